package dev.switchboard.server.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.read.ListAppender;
import dev.switchboard.server.catalog.Catalog;
import dev.switchboard.server.stats.LiveStats;
import dev.switchboard.server.telemetry.Metrics;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The log's asynchronous appender: lines are written in order by its own thread, in batches with
 * one flush each, within its delay, and all of them at the stop; a line that finds the queue full
 * is dropped without making the caller wait, counted in the metric, and a WARN line says how many.
 */
class CountingAsyncAppenderTest {

  /** An output that blocks until released, as a full pipe or a stalled disk does. */
  static final class StalledOutput extends AppenderBase<ILoggingEvent> {
    final CountDownLatch release = new CountDownLatch(1);
    volatile int written;

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

  /** A byte stream that counts its flushes. */
  static final class CountingStream extends ByteArrayOutputStream {
    volatile int flushes;

    @Override
    public void flush() {
      flushes++;
    }

    synchronized String text() {
      return toString(StandardCharsets.UTF_8);
    }
  }

  private static LoggerContext context() {
    LoggerContext ctx = new LoggerContext();
    ctx.setMDCAdapter(new ch.qos.logback.classic.util.LogbackMDCAdapter());
    return ctx;
  }

  /** An output like the console's under the appender: a stream flushed by the writer. */
  private static OutputStreamAppender<ILoggingEvent> streamOutput(
      LoggerContext ctx, CountingStream stream) {
    PatternLayoutEncoder encoder = new PatternLayoutEncoder();
    encoder.setContext(ctx);
    encoder.setPattern("%msg%n");
    encoder.start();
    OutputStreamAppender<ILoggingEvent> out = new OutputStreamAppender<>();
    out.setContext(ctx);
    out.setEncoder(encoder);
    out.setImmediateFlush(false);
    out.setOutputStream(stream);
    out.start();
    return out;
  }

  private static CountingAsyncAppender async(
      LoggerContext ctx, ch.qos.logback.core.Appender<ILoggingEvent> out, int queue, long delay) {
    CountingAsyncAppender async = new CountingAsyncAppender();
    async.setContext(ctx);
    async.setName("ASYNC");
    async.setQueueSize(queue);
    async.setMaxDelayMs(delay);
    async.addAppender(out);
    async.start();
    assertThat(async.isStarted()).isTrue();
    return async;
  }

  /** A logger writing through the appender (a queue of 8,192, {@code delay}) to a stream. */
  private record Rig(CountingStream stream, CountingAsyncAppender async, Logger log) {
    static Rig of(long delay) {
      LoggerContext ctx = context();
      CountingStream stream = new CountingStream();
      CountingAsyncAppender async =
          CountingAsyncAppenderTest.async(ctx, streamOutput(ctx, stream), 8192, delay);
      Logger log = ctx.getLogger("t");
      log.addAppender(async);
      return new Rig(stream, async, log);
    }
  }

  @Test
  void linesAreWrittenInOrderInBatchesWithOneFlushEach() throws Exception {
    Rig rig = Rig.of(50);
    for (int i = 0; i < 2_000; i++) {
      rig.log().info("line {}", i);
    }
    rig.async().stop();
    String[] lines = rig.stream().text().split("\n");
    assertThat(lines).hasSize(2_000);
    for (int i = 0; i < lines.length; i++) {
      assertThat(lines[i]).isEqualTo("line " + i);
    }
    // One flush per batch the writer took, not one per line (a burst wakes it at a quarter full).
    assertThat(rig.stream().flushes).isBetween(1, 200);
  }

  @Test
  void aLineWaitsNoLongerThanTheDelay() throws Exception {
    Rig rig = Rig.of(20);
    try {
      rig.log().info("alone");
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
      // The writer writes the line, then flushes: wait for the flush.
      while (rig.stream().flushes == 0 && System.nanoTime() < deadline) {
        Thread.sleep(5);
      }
      assertThat(rig.stream().text()).isEqualTo("alone\n"); // written and flushed before any stop
      assertThat(rig.stream().flushes).isGreaterThanOrEqualTo(1);
    } finally {
      rig.async().stop();
    }
  }

  @Test
  void theStopWritesOutWhatIsQueued() {
    Rig rig = Rig.of(60_000);
    for (int i = 0; i < 10; i++) {
      rig.log().info("queued {}", i);
    }
    rig.async().stop();
    assertThat(rig.stream().text().split("\n")).hasSize(10).endsWith("queued 9");
    rig.log().info("after the stop");
    assertThat(rig.stream().text()).doesNotContain("after the stop");
  }

  @Test
  void linesThatFindTheQueueFullAreCountedReportedAndNeverWaitedFor() throws Exception {
    Logger reportLog = (Logger) LoggerFactory.getLogger("switchboard.log");
    ListAppender<ILoggingEvent> reports = new ListAppender<>();
    reports.start();
    reportLog.addAppender(reports);

    LoggerContext ctx = context();
    StalledOutput out = new StalledOutput();
    out.setContext(ctx);
    out.start();
    CountingAsyncAppender async = new CountingAsyncAppender();
    async.setContext(ctx);
    async.setQueueSize(2);
    async.setMaxDelayMs(10);
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
      // The writer takes what is queued in one go, so at most two lines in its hands, one of them
      // in the stalled output, and two queued; the rest dropped, and no wait.
      long dropped = CountingAsyncAppender.dropped() - before;
      assertThat(dropped).isBetween(16L, 20L);
      assertThat(tookMs).isLessThan(5_000);
      assertThat(new String(metrics.scrapeBytes(), StandardCharsets.UTF_8))
          .containsPattern("(?m)^switchboard_log_lines_dropped_total \\d+\\.0$");

      // The report comes from the writer once the output moves again.
      out.release.countDown();
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
    Pattern count = Pattern.compile("^(\\d+) log lines dropped in the last 50 ms: ");
    long sum = 0;
    for (ILoggingEvent e : List.copyOf(reports.list)) {
      Matcher m = count.matcher(e.getFormattedMessage());
      if (e.getLevel() == Level.WARN && m.find()) {
        sum += Long.parseLong(m.group(1));
      }
    }
    return sum;
  }
}
