package dev.switchboard.server.logging;

import java.io.PrintWriter;
import java.io.Writer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

/**
 * What a server command prints for its operator (start-up notes, a failure to start), turned into
 * log events when the logs are JSON, so the process writes nothing but JSON lines. Each complete
 * line becomes one event on the logger {@code switchboard.console}; blank lines are dropped. A
 * management key in a line is withheld: a generated one is handed over another way with JSON logs.
 */
public final class ConsoleLog extends Writer {

  static final String LOGGER = "switchboard.console";

  /** A management key's plaintext: never logged, even when a command prints one. */
  private static final java.util.regex.Pattern MANAGEMENT_KEY =
      java.util.regex.Pattern.compile("sk-sb-mgmt-v1-[A-Za-z0-9_-]{8,}");

  private final Logger log = LoggerFactory.getLogger(LOGGER);
  private final Level level;
  private final StringBuilder line = new StringBuilder();

  private ConsoleLog(Level level) {
    this.level = level;
  }

  /** A writer whose lines become events at {@code level}. */
  public static PrintWriter writer(Level level) {
    return new PrintWriter(new ConsoleLog(level), true);
  }

  @Override
  public synchronized void write(char[] chars, int offset, int length) {
    for (int i = offset; i < offset + length; i++) {
      char c = chars[i];
      if (c == '\n') {
        emit();
      } else if (c != '\r') {
        line.append(c);
      }
    }
  }

  private void emit() {
    String text =
        MANAGEMENT_KEY.matcher(line.toString().strip()).replaceAll("sk-sb-mgmt-v1-[withheld]");
    line.setLength(0);
    if (!text.isEmpty()) {
      log.atLevel(level).log(text);
    }
  }

  @Override
  public synchronized void flush() {}

  @Override
  public synchronized void close() {
    if (!line.isEmpty()) {
      emit();
    }
  }

  /** Writes out what the asynchronous appender still holds; call before the process exits. */
  public static void drain() {
    if (LoggerFactory.getILoggerFactory() instanceof ch.qos.logback.classic.LoggerContext ctx) {
      ctx.stop();
    }
  }
}
