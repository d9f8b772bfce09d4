package dev.switchboard.server.logging;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.UnsynchronizedAppenderBase;
import ch.qos.logback.core.spi.AppenderAttachable;
import ch.qos.logback.core.spi.AppenderAttachableImpl;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The log's asynchronous appender (logback.xml): a request never waits for the log's output. A line
 * is prepared on the caller's thread and queued; a writer thread takes what queued every {@link
 * #setMaxDelayMs max delay} (or at once when the queue is a quarter full), writes it to the
 * attached appenders and flushes their streams once for the lot. Logback's own {@code
 * AsyncAppender} woke its worker for every line and the console wrote each line with its own system
 * call: two futex wakes and a write a line, about half the log's cost per request on a virtual
 * machine where a system call is dear (async-profiler, 2026-12-04; docs/performance.md).
 *
 * <p>A line that finds the queue full is dropped rather than make a request wait, and counted: the
 * metric {@code switchboard_log_lines_dropped_total}, and once a minute a WARN line on {@code
 * switchboard.log} says how many were dropped since the last one, so a hole in the access log is
 * never silent. {@link #stop} writes out what is queued (within {@link #setMaxFlushMs}).
 */
public final class CountingAsyncAppender extends UnsynchronizedAppenderBase<ILoggingEvent>
    implements AppenderAttachable<ILoggingEvent> {

  private static final AtomicLong DROPPED = new AtomicLong();
  private static final Logger LOG = LoggerFactory.getLogger("switchboard.log");

  private final AppenderAttachableImpl<ILoggingEvent> appenders = new AppenderAttachableImpl<>();
  private int queueSize = 8192;
  private long maxDelayMs = 10;
  private long maxFlushMs = 1_000;
  private long reportEveryMs = 60_000;

  private ArrayBlockingQueue<ILoggingEvent> queue;
  private final AtomicInteger queued = new AtomicInteger();
  private int wakeAt;
  private volatile boolean running;
  private Thread writer;

  /** Lines dropped since the process started (every instance of the appender adds here). */
  public static long dropped() {
    return DROPPED.get();
  }

  /** The lines that may wait for the writer; more are dropped (and counted). */
  public void setQueueSize(int queueSize) {
    this.queueSize = queueSize;
  }

  /** How long a line may wait in the queue before the writer takes it. */
  public void setMaxDelayMs(long ms) {
    this.maxDelayMs = Math.max(1, ms);
  }

  /** How long {@link #stop} waits for the queued lines to be written. */
  public void setMaxFlushMs(long ms) {
    this.maxFlushMs = Math.max(0, ms);
  }

  /** How often the WARN line is considered (tests shorten it). */
  public void setReportEveryMs(long ms) {
    this.reportEveryMs = Math.max(10, ms);
  }

  @Override
  public void start() {
    if (isStarted()) {
      return;
    }
    if (queueSize < 1) {
      addError("queueSize must be at least 1, not " + queueSize);
      return;
    }
    if (!appenders.iteratorForAppenders().hasNext()) {
      addError("no appender attached to \"" + name + "\"");
      return;
    }
    queue = new ArrayBlockingQueue<>(queueSize);
    wakeAt = Math.max(1, queueSize / 4);
    running = true;
    // The drops to report are counted from here, not from when the writer thread first runs: a
    // line dropped in between would otherwise never be reported.
    long reportedBefore = DROPPED.get();
    Thread t = new Thread(() -> writeLoop(reportedBefore), "switchboard-log-writer");
    t.setDaemon(true);
    writer = t;
    super.start();
    t.start();
  }

  @Override
  protected void append(ILoggingEvent event) {
    // What the line needs from the caller's thread (its MDC, its formatted message) before it
    // waits.
    event.prepareForDeferredProcessing();
    if (!queue.offer(event)) {
      DROPPED.incrementAndGet();
      return;
    }
    if (queued.incrementAndGet() == wakeAt) {
      LockSupport.unpark(writer); // a burst: do not let the queue fill while the writer sleeps
    }
  }

  private void writeLoop(long reportedBefore) {
    List<ILoggingEvent> batch = new ArrayList<>(256);
    long reported = reportedBefore;
    long nextReport = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(reportEveryMs);
    long delay = TimeUnit.MILLISECONDS.toNanos(maxDelayMs);
    while (running) {
      LockSupport.parkNanos(this, delay);
      writeOut(batch);
      long now = System.nanoTime();
      if (now - nextReport >= 0) {
        nextReport = now + TimeUnit.MILLISECONDS.toNanos(reportEveryMs);
        long total = DROPPED.get();
        if (total > reported) {
          LOG.warn(
              "{} log lines dropped in the last {}: the log's output did not keep up (a slow"
                  + " terminal, disk or log collector); the gateway did not wait for it",
              total - reported,
              reportEveryMs % 1000 == 0 ? reportEveryMs / 1000 + " s" : reportEveryMs + " ms");
          reported = total;
        }
      }
    }
    writeOut(batch); // what came before stop
  }

  /** Writes every queued line to the attached appenders, then flushes their streams once. */
  private void writeOut(List<ILoggingEvent> batch) {
    boolean wrote = false;
    while (queue.drainTo(batch, 512) > 0) {
      queued.addAndGet(-batch.size());
      for (ILoggingEvent e : batch) {
        appenders.appendLoopOnAppenders(e);
      }
      batch.clear();
      wrote = true;
    }
    if (wrote) {
      for (Iterator<Appender<ILoggingEvent>> it = appenders.iteratorForAppenders();
          it.hasNext(); ) {
        if (it.next() instanceof OutputStreamAppender<ILoggingEvent> out
            && !out.isImmediateFlush()
            && out.getOutputStream() != null) {
          try {
            out.getOutputStream().flush();
          } catch (IOException e) {
            addError("could not flush the log's output", e);
          }
        }
      }
    }
  }

  @Override
  public void stop() {
    if (!isStarted()) {
      return;
    }
    super.stop(); // no line is queued from here on
    running = false;
    Thread t = writer;
    LockSupport.unpark(t);
    try {
      t.join(maxFlushMs);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (t.isAlive()) {
      addWarn(queue.size() + " log lines not written within " + maxFlushMs + " ms of the stop");
    }
  }

  @Override
  public void addAppender(Appender<ILoggingEvent> appender) {
    appenders.addAppender(appender);
  }

  @Override
  public Iterator<Appender<ILoggingEvent>> iteratorForAppenders() {
    return appenders.iteratorForAppenders();
  }

  @Override
  public Appender<ILoggingEvent> getAppender(String name) {
    return appenders.getAppender(name);
  }

  @Override
  public boolean isAttached(Appender<ILoggingEvent> appender) {
    return appenders.isAttached(appender);
  }

  @Override
  public void detachAndStopAllAppenders() {
    appenders.detachAndStopAllAppenders();
  }

  @Override
  public boolean detachAppender(Appender<ILoggingEvent> appender) {
    return appenders.detachAppender(appender);
  }

  @Override
  public boolean detachAppender(String name) {
    return appenders.detachAppender(name);
  }
}
