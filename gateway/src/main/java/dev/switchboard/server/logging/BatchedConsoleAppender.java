package dev.switchboard.server.logging;

import ch.qos.logback.core.ConsoleAppender;
import java.io.BufferedOutputStream;

/**
 * The console appender under {@link CountingAsyncAppender}: lines collect in a 64 KB buffer and go
 * to standard output when the asynchronous appender's writer flushes after each batch (or when the
 * buffer fills), one system call for many lines instead of one a line. It writes to {@code
 * System.out} as it is at the flush, as logback's console appender does.
 */
public final class BatchedConsoleAppender<E> extends ConsoleAppender<E> {

  @Override
  public void start() {
    super.start();
    if (isStarted()) {
      setImmediateFlush(false);
      setOutputStream(new BufferedOutputStream(getOutputStream(), 64 * 1024));
    }
  }
}
