package dev.switchboard.server.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.logging.Handler;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * java.util.logging and System.Logger (what the JDK and Caffeine log through) reach logback as
 * configured by the shipped logback.xml, instead of JUL's console handler printing plain text.
 */
class JulBridgeTest {

  @Test
  void julAndSystemLoggerRecordsGoThroughLogback() {
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    ListAppender<ILoggingEvent> captured = new ListAppender<>();
    captured.setContext(context);
    captured.start();
    root.addAppender(captured);
    try {
      java.util.logging.Logger.getLogger("jul.test").warning("from JUL: 42");
      System.getLogger("system.logger.test").log(System.Logger.Level.WARNING, "from System.Logger");
    } finally {
      root.detachAppender(captured);
    }
    assertThat(captured.list)
        .extracting(ILoggingEvent::getLoggerName, ILoggingEvent::getFormattedMessage)
        .contains(
            org.assertj.core.groups.Tuple.tuple("jul.test", "from JUL: 42"),
            org.assertj.core.groups.Tuple.tuple("system.logger.test", "from System.Logger"));
    for (Handler h : java.util.logging.Logger.getLogger("").getHandlers()) {
      assertThat(h).isInstanceOf(org.slf4j.bridge.SLF4JBridgeHandler.class);
    }
  }
}
