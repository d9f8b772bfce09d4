package dev.switchboard.server.logging;

import ch.qos.logback.classic.AsyncAppender;
import ch.qos.logback.classic.spi.ILoggingEvent;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The log's asynchronous appender (logback.xml): a request never waits for the log's output, so a
 * line that finds the queue full is dropped, as before, but now counted. The count is the metric
 * {@code switchboard_log_lines_dropped_total}, and once a minute a WARN line on {@code
 * switchboard.log} says how many were dropped since the last one, so a hole in the access log is
 * never silent.
 *
 * <p>The count is of lines that found the queue full when they came; a line that fills the last
 * free slot at the same moment as another can still be dropped by logback uncounted, so it is a
 * lower bound, exact when one thread logs at a time.
 */
public final class CountingAsyncAppender extends AsyncAppender {

  private static final AtomicLong DROPPED = new AtomicLong();
  private static final Logger LOG = LoggerFactory.getLogger("switchboard.log");

  private long reportEveryMs = 60_000;
  private Thread reporter;

  /** Lines dropped since the process started (every instance of the appender adds here). */
  public static long dropped() {
    return DROPPED.get();
  }

  /** How often the WARN line is considered (tests shorten it). */
  public void setReportEveryMs(long ms) {
    this.reportEveryMs = Math.max(10, ms);
  }

  @Override
  protected void append(ILoggingEvent event) {
    if (getRemainingCapacity() == 0) { // logback calls append only while started
      DROPPED.incrementAndGet();
      return;
    }
    super.append(event);
  }

  @Override
  public void start() {
    super.start();
    if (!isStarted()) {
      return;
    }
    Thread t =
        new Thread(
            () -> {
              long reported = DROPPED.get();
              while (!Thread.currentThread().isInterrupted()) {
                try {
                  Thread.sleep(reportEveryMs);
                } catch (InterruptedException e) {
                  return;
                }
                long now = DROPPED.get();
                if (now > reported) {
                  LOG.warn(
                      "{} log lines dropped in the last {}: the log's output did not keep up (a"
                          + " slow terminal, disk or log collector); the gateway did not wait for"
                          + " it",
                      now - reported,
                      reportEveryMs % 1000 == 0
                          ? reportEveryMs / 1000 + " s"
                          : reportEveryMs + " ms");
                  reported = now;
                }
              }
            },
            "switchboard-log-drops");
    t.setDaemon(true);
    reporter = t;
    t.start();
  }

  @Override
  public void stop() {
    Thread t = reporter;
    reporter = null;
    if (t != null) {
      t.interrupt();
    }
    super.stop();
  }
}
