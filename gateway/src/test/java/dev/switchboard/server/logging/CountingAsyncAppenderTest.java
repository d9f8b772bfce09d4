package dev.switchboard.server.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import ch.qos.logback.core.read.ListAppender;
import dev.switchboard.server.catalog.Catalog;
import dev.switchboard.server.stats.LiveStats;
import dev.switchboard.server.telemetry.Metrics;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * A log whose output stalls: the lines that find the queue full are dropped without making the
 * caller wait, counted in the metric, and a WARN line says how many.
 */
class CountingAsyncAppenderTest {

  /** An output that blocks until released, as a full pipe or a stalled disk does. */
  static final class StalledOutput extends AppenderBase<ILoggingEvent> {
    final CountDownLatch release = new CountDownLatch(1);
    int written;

    @Override
    protected void append(ILoggingEvent e) {
      try {
        release.await(10, TimeUnit.SECONDS);
      } catch (InterruptedException ex) {
        Thread.currentThread().interrupt();
      }
      written++;
    }
  }

  @Test
  void linesThatFindTheQueueFullAreCountedReportedAndNeverWaitedFor() throws Exception {
    Logger reportLog = (Logger) LoggerFactory.getLogger("switchboard.log");
    ListAppender<ILoggingEvent> reports = new ListAppender<>();
    reports.start();
    reportLog.addAppender(reports);

    LoggerContext ctx = new LoggerContext();
    ctx.setMDCAdapter(new ch.qos.logback.classic.util.LogbackMDCAdapter());
    StalledOutput out = new StalledOutput();
    out.setContext(ctx);
    out.start();
    CountingAsyncAppender async = new CountingAsyncAppender();
    async.setContext(ctx);
    async.setQueueSize(2);
    async.setDiscardingThreshold(0);
    async.setNeverBlock(true);
    async.setReportEveryMs(50);
    async.addAppender(out);
    async.start();
    Logger log = ctx.getLogger("t");
    log.setLevel(Level.INFO);
    log.addAppender(async);
    try (Metrics metrics =
        new Metrics(new Catalog(List.of(), List.of()), new LiveStats(() -> 0L))) {
      long before = CountingAsyncAppender.dropped();
      long started = System.nanoTime();
      for (int i = 0; i < 20; i++) {
        log.info("line {}", i);
      }
      long tookMs = (System.nanoTime() - started) / 1_000_000;
      // The worker takes what is queued in one go (logback drains the queue), so at most two lines
      // in its hands, one of them in the stalled output, and two queued; the rest dropped, no wait.
      long dropped = CountingAsyncAppender.dropped() - before;
      assertThat(dropped).isBetween(16L, 20L);
      assertThat(tookMs).isLessThan(5_000);
      assertThat(new String(metrics.scrapeBytes(), StandardCharsets.UTF_8))
          .containsPattern("(?m)^switchboard_log_lines_dropped_total \\d+\\.0$");

      // The reporter may have looked in the middle of the loop: its lines add up to the count.
      long deadline = System.currentTimeMillis() + 5_000;
      while (System.currentTimeMillis() < deadline && reported(reports) < dropped) {
        Thread.sleep(20);
      }
      assertThat(reported(reports)).isEqualTo(dropped);
    } finally {
      out.release.countDown();
      async.stop();
      reportLog.detachAppender(reports);
    }
    // The lines that were queued reach the output once it drains.
    assertThat(out.written).isBetween(1, 4);
  }

  /** The sum of the counts in the WARN lines so far. */
  private static long reported(ListAppender<ILoggingEvent> reports) {
    long sum = 0;
    for (ILoggingEvent e : List.copyOf(reports.list)) {
      java.util.regex.Matcher m =
          java.util.regex.Pattern.compile("^(\\d+) log lines dropped in the last 50 ms: ")
              .matcher(e.getFormattedMessage());
      if (e.getLevel() == Level.WARN && m.find()) {
        sum += Long.parseLong(m.group(1));
      }
    }
    return sum;
  }
}
