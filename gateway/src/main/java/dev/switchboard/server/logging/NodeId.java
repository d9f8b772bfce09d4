package dev.switchboard.server.logging;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import org.slf4j.LoggerFactory;

/**
 * The gateway's node id on every log line: kept as a property of the logging context (so it reaches
 * every thread, event loops and the asynchronous appender included), written as the {@code node}
 * field of JSON lines and as {@code node=…} first among a text line's key-values.
 */
public final class NodeId {

  /** The logging context property holding the id. */
  public static final String PROPERTY = "switchboard.node";

  private NodeId() {}

  /** Sets the id for every line logged from now on. */
  public static void set(String id) {
    if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
      context.putProperty(PROPERTY, id);
    }
  }

  /** The id an event was logged under, or null before one was set. */
  static String of(ILoggingEvent event) {
    var vo = event.getLoggerContextVO();
    if (vo == null || vo.getPropertyMap() == null) {
      return null;
    }
    return vo.getPropertyMap().get(PROPERTY);
  }
}
