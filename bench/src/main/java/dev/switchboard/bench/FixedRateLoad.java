package dev.switchboard.bench;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientConnection;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpConnectOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;

/**
 * A fixed-rate, open-loop HTTP load generator (what wrk2 does, which is not packaged here): POSTs
 * one body at a total rate over N keep-alive connections for a warm-up and then a measured window,
 * and records each request's latency from its <em>intended</em> send time into HdrHistogram, so a
 * target that stalls is charged for the requests it delayed (no coordinated omission). For streams
 * it also records the time to the first body byte. Prints one line in the style of {@code
 * bench/load.sh} (wrk) and, with {@code -i}, a line per interval before it. See {@link
 * LoadOptions#USAGE}.
 *
 * <p>Threads: one Vert.x event loop owns the connections, the histograms and all counters; a pacer
 * thread only tells it, at each due time, how many requests are due. A connection carries one
 * request at a time (HTTP/1.1, no pipelining); when its next request falls due while it is busy, it
 * is sent the moment the connection frees up and its latency still counts from the due time.
 */
public final class FixedRateLoad {

  private static final long MAX_LATENCY_US = TimeUnit.HOURS.toMicros(1);

  /** One client connection and where it is in its share of the schedule. */
  private static final class Conn {
    final int id;
    HttpClientConnection http;
    boolean connecting;
    boolean busy;
    long inFlight = -1;

    /** The next request index this connection will carry, or -1 when it has none left. */
    long next;

    Conn(int id, long next) {
      this.id = id;
      this.next = next;
    }
  }

  private final LoadOptions opt;
  private final RateSchedule schedule;
  private final Buffer body;
  private final Vertx vertx;
  private final Context ctx;
  private final HttpClientAgent client;
  private final RequestOptions request;
  private final Conn[] conns;

  // Event-loop confined state.
  private long startNanos;
  private long dueTo;
  private boolean finished;
  private long measuredSettled;
  private long completedInWindow;
  private long recorded;
  private long errors;
  private long non2xx;
  private long late;
  private long bodyBytes;
  private long bodyResponses;
  private final Histogram latency = new Histogram(MAX_LATENCY_US, 3);
  private final Histogram ttfb = new Histogram(MAX_LATENCY_US, 3);
  // The current interval (-i): what completed in it.
  private final Histogram intervalLatency = new Histogram(MAX_LATENCY_US, 3);
  private long intervalCompleted;
  private long intervalErrors;
  private long intervalNon2xx;
  private final CompletableFuture<Void> allSettled = new CompletableFuture<>();

  private FixedRateLoad(LoadOptions opt, byte[] bodyBytes) {
    this.opt = opt;
    this.schedule = opt.schedule();
    this.body = Buffer.buffer(bodyBytes);
    this.vertx =
        Vertx.vertx(
            new VertxOptions()
                .setPreferNativeTransport(true)
                .setEventLoopPoolSize(1)
                .setWorkerPoolSize(1)
                .setInternalBlockingPoolSize(1)
                .setBlockedThreadCheckInterval(TimeUnit.HOURS.toMillis(1)));
    this.ctx = vertx.getOrCreateContext();
    this.client =
        vertx.createHttpClient(
            new HttpClientOptions()
                .setKeepAlive(true)
                .setTcpNoDelay(true)
                .setDecompressionSupported(false)
                .setPipelining(false));
    this.request =
        new RequestOptions()
            .setMethod(HttpMethod.POST)
            .setHost(opt.url().getHost())
            .setPort(opt.port())
            .setURI(opt.pathAndQuery())
            .setIdleTimeout(TimeUnit.SECONDS.toMillis(opt.timeoutSeconds()))
            .putHeader("content-type", "application/json");
    for (String[] h : opt.headers()) {
      request.putHeader(h[0], h[1]);
    }
    this.conns = new Conn[opt.connections()];
    for (int i = 0; i < conns.length; i++) {
      conns[i] = new Conn(i, i < schedule.total() ? i : -1);
    }
  }

  public static void main(String[] args) {
    LoadOptions opt;
    try {
      opt = LoadOptions.parse(args);
    } catch (IllegalArgumentException e) {
      if (!e.getMessage().isEmpty()) {
        System.err.println(e.getMessage());
      }
      System.err.print(LoadOptions.USAGE);
      System.exit(2);
      return;
    }
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(opt.body());
    } catch (IOException e) {
      System.err.println("cannot read body file " + opt.body() + ": " + e.getMessage());
      System.exit(2);
      return;
    }
    System.exit(run(opt, bytes, System.out));
  }

  /** One run: the interval lines (with -i) and the summary line go to {@code out}; 0 when done. */
  static int run(LoadOptions opt, byte[] body, PrintStream out) {
    ProcWatch watch;
    try {
      watch = ProcWatch.of(opt.pids());
    } catch (IllegalArgumentException e) {
      out.println(opt.label() + " ERROR " + e.getMessage());
      return 1;
    }
    FixedRateLoad load = new FixedRateLoad(opt, body);
    try {
      return load.run(watch, out);
    } finally {
      watch.close();
      load.vertx.close().toCompletionStage().toCompletableFuture().join();
    }
  }

  private int run(ProcWatch watch, PrintStream out) {
    String probe = probe();
    if (probe != null) {
      out.println(opt.label() + " ERROR " + probe);
      return 1;
    }
    if (!connectAll()) {
      out.println(opt.label() + " ERROR could not open " + conns.length + " connections");
      return 1;
    }
    long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(20);
    onLoop(() -> startNanos = start);
    Thread pacer =
        Thread.ofPlatform().name("pacer").daemon().start(() -> pace(start, schedule.total()));

    sleepUntil(start + schedule.warmupNanos());
    long[] m0 = ProcWatch.machineTicks();
    long lg0 = ownCpuNanos();
    long w0 = watch.cpuNanos();
    long wall0 = System.nanoTime();
    watch.startSampling();

    if (opt.intervalSeconds() > 0) {
      printIntervals(start + schedule.warmupNanos(), start + schedule.endNanos(), watch, out);
    }
    sleepUntil(start + schedule.endNanos());
    long[] m1 = ProcWatch.machineTicks();
    long lg1 = ownCpuNanos();
    long w1 = watch.cpuNanos();
    long wall1 = System.nanoTime();
    watch.stopSampling();

    long drainDeadline = start + schedule.endNanos() + TimeUnit.SECONDS.toNanos(opt.drainSeconds());
    try {
      allSettled.get(Math.max(0, drainDeadline - System.nanoTime()), TimeUnit.NANOSECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      // some answers are late: finish() records them with the time waited so far
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
    pacer.interrupt();
    CompletableFuture<String> line = new CompletableFuture<>();
    ctx.runOnContext(
        v -> {
          finish(System.nanoTime());
          double wall = (wall1 - wall0) / 1e9;
          long mTotal = m1[0] - m0[0];
          double busy = mTotal > 0 ? 100.0 * (1 - (double) (m1[1] - m0[1]) / mTotal) : 0;
          StringBuilder sb = new StringBuilder(line(wall, busy, (lg1 - lg0) / 1e9 / wall * 100));
          if (!watch.isEmpty()) {
            sb.append(
                String.format(
                    Locale.ROOT,
                    " w_cpu%%=%.0f w_rss_peak_MB=%.1f w_hwm_MB=%.1f",
                    (w1 - w0) / 1e9 / wall * 100,
                    watch.peakKb() / 1024.0,
                    watch.hwmKb() / 1024.0));
          }
          line.complete(sb.toString());
        });
    out.println(line.join());
    return 0;
  }

  /**
   * Prints a line at the end of each interval of the window (the last one may be shorter), from
   * this thread; the event loop hands over the interval's figures and starts the next.
   */
  private void printIntervals(long windowStart, long windowEnd, ProcWatch watch, PrintStream out) {
    long step = TimeUnit.SECONDS.toNanos(opt.intervalSeconds());
    long from = windowStart;
    for (int k = 1; from < windowEnd; k++) {
      long to = Math.min(from + step, windowEnd);
      sleepUntil(to);
      CompletableFuture<String> figures = new CompletableFuture<>();
      double seconds = (to - from) / 1e9;
      ctx.runOnContext(v -> figures.complete(takeInterval(seconds)));
      StringBuilder sb =
          new StringBuilder(
              String.format(
                  Locale.ROOT,
                  "%s interval=%d t=%.0f %s",
                  opt.label(),
                  k,
                  (to - windowStart) / 1e9,
                  figures.join()));
      if (!watch.isEmpty()) {
        sb.append(
            String.format(
                Locale.ROOT,
                " w_rss_MB=%.1f w_rss_peak_MB=%.1f",
                watch.rssKb() / 1024.0,
                watch.takeIntervalPeakKb() / 1024.0));
      }
      out.println(sb);
      out.flush();
      from = to;
    }
  }

  /** On the event loop: the current interval's figures, then a fresh interval. */
  private String takeInterval(double seconds) {
    String s =
        String.format(
            Locale.ROOT,
            "rps=%.1f p50=%.3f p90=%.3f p99=%.3f max=%.3f n=%d err=%d non2xx=%d",
            intervalCompleted / seconds,
            ms(intervalLatency, 50),
            ms(intervalLatency, 90),
            ms(intervalLatency, 99),
            intervalLatency.getTotalCount() == 0 ? 0 : intervalLatency.getMaxValue() / 1000.0,
            intervalCompleted,
            intervalErrors,
            intervalNon2xx);
    intervalLatency.reset();
    intervalCompleted = 0;
    intervalErrors = 0;
    intervalNon2xx = 0;
    return s;
  }

  /** One request through the pool; null when it answered 2xx, otherwise what went wrong. */
  private String probe() {
    CompletableFuture<String> result = new CompletableFuture<>();
    ctx.runOnContext(
        v ->
            client
                .request(request)
                .compose(r -> r.send(body))
                .compose(resp -> resp.body().map(b -> new Object[] {resp.statusCode(), b}))
                .onComplete(
                    ar -> {
                      if (ar.failed()) {
                        result.complete("probe failed: " + ar.cause());
                        return;
                      }
                      int status = (Integer) ar.result()[0];
                      String text = ar.result()[1].toString();
                      result.complete(
                          status / 100 == 2
                              ? null
                              : "probe returned HTTP "
                                  + status
                                  + ": "
                                  + text.substring(0, Math.min(200, text.length())));
                    }));
    try {
      return result.get(opt.timeoutSeconds() + 5, TimeUnit.SECONDS);
    } catch (Exception e) {
      return "probe timed out";
    }
  }

  private boolean connectAll() {
    CompletableFuture<Boolean> ok = new CompletableFuture<>();
    ctx.runOnContext(
        v -> {
          int[] pending = {conns.length};
          boolean[] failed = {false};
          for (Conn c : conns) {
            c.connecting = true;
            client
                .connect(connectOptions())
                .onComplete(
                    ar -> {
                      c.connecting = false;
                      if (ar.succeeded()) {
                        attach(c, ar.result());
                      } else {
                        failed[0] = true;
                      }
                      if (--pending[0] == 0) {
                        ok.complete(!failed[0]);
                      }
                    });
          }
        });
    try {
      return ok.get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      return false;
    }
  }

  private HttpConnectOptions connectOptions() {
    return new HttpConnectOptions()
        .setHost(opt.url().getHost())
        .setPort(opt.port())
        .setConnectTimeout(TimeUnit.SECONDS.toMillis(opt.timeoutSeconds()));
  }

  private void attach(Conn c, HttpClientConnection http) {
    c.http = http;
    http.closeHandler(
        v -> {
          if (c.http == http) {
            c.http = null;
            if (!finished) {
              reconnect(c);
            }
          }
        });
  }

  private void reconnect(Conn c) {
    if (c.connecting || finished) {
      return;
    }
    c.connecting = true;
    client
        .connect(connectOptions())
        .onComplete(
            ar -> {
              c.connecting = false;
              if (finished) {
                if (ar.succeeded()) {
                  ar.result().close();
                }
                return;
              }
              if (ar.failed()) {
                vertx.setTimer(100, t -> reconnect(c));
                return;
              }
              attach(c, ar.result());
              sendIfDue(c);
            });
  }

  /** After an error the connection may be half-broken: close it and open a fresh one. */
  private void dropConnection(Conn c) {
    HttpClientConnection old = c.http;
    if (old == null) {
      return;
    }
    c.http = null;
    old.close();
    if (!finished) {
      reconnect(c);
    }
  }

  // ---- pacing ----------------------------------------------------------------------------

  /** The pacer thread: tells the event loop how many requests are due, at each due time. */
  private void pace(long start, long total) {
    long posted = 0;
    while (posted < total && !Thread.currentThread().isInterrupted()) {
      long now = System.nanoTime();
      long due = schedule.dueCount(now - start);
      if (due > posted) {
        long to = due;
        ctx.runOnContext(v -> onDue(to));
        posted = due;
        continue;
      }
      long wait = start + schedule.dueOffsetNanos(posted) - now;
      LockSupport.parkNanos(Math.min(wait, TimeUnit.MILLISECONDS.toNanos(10)));
    }
  }

  private void onDue(long due) {
    long from = dueTo;
    dueTo = Math.max(dueTo, due);
    for (long i = from; i < dueTo && !finished; i++) {
      Conn c = conns[schedule.connectionOf(i)];
      if (c.next == i) {
        sendIfDue(c);
      }
    }
  }

  private void sendIfDue(Conn c) {
    if (finished || c.busy || c.http == null || c.next < 0 || c.next >= dueTo) {
      return;
    }
    long i = c.next;
    c.busy = true;
    c.inFlight = i;
    long intended = startNanos + schedule.dueOffsetNanos(i);
    HttpClientConnection http = c.http;
    http.request(request)
        .compose(r -> r.send(body))
        .onComplete(
            ar -> {
              if (ar.failed()) {
                settled(c, i, intended, -1, 0, 0, ar.cause());
                return;
              }
              HttpClientResponse resp = ar.result();
              long[] first = {0};
              long[] bytes = {0};
              resp.handler(
                  b -> {
                    if (first[0] == 0) {
                      first[0] = System.nanoTime();
                    }
                    bytes[0] += b.length();
                  });
              resp.exceptionHandler(err -> settled(c, i, intended, -1, 0, 0, err));
              resp.endHandler(
                  v -> settled(c, i, intended, resp.statusCode(), first[0], bytes[0], null));
            });
  }

  private void settled(
      Conn c, long i, long intended, int status, long firstByte, long bytes, Throwable error) {
    if (c.inFlight != i) {
      return; // already settled (an error after the end, or finish() gave up on it)
    }
    long now = System.nanoTime();
    c.inFlight = -1;
    c.busy = false;
    boolean measured = schedule.measured(i);
    boolean inWindow =
        now >= startNanos + schedule.warmupNanos() && now < startNanos + schedule.endNanos();
    if (error == null) {
      if (inWindow) {
        completedInWindow++;
        intervalCompleted++;
        record(intervalLatency, now - intended);
        if (status / 100 != 2) {
          intervalNon2xx++;
        }
      }
      if (measured) {
        record(latency, now - intended);
        record(ttfb, (firstByte == 0 ? now : firstByte) - intended);
        recorded++;
        if (status / 100 != 2) {
          non2xx++;
        }
        bodyBytes += bytes;
        bodyResponses++;
      }
    } else {
      if (measured) {
        errors++;
      }
      if (inWindow) {
        intervalErrors++;
      }
      dropConnection(c);
    }
    if (measured && ++measuredSettled == schedule.measuredCount()) {
      allSettled.complete(null);
    }
    if (finished) {
      return;
    }
    c.next = schedule.nextOnConnection(i);
    sendIfDue(c);
  }

  /**
   * Ends the run: what is still in flight, or due and never sent, is recorded with the time it has
   * waited so far (a lower bound of its latency) and counted as late.
   */
  private void finish(long now) {
    finished = true;
    for (Conn c : conns) {
      long i = c.busy ? c.inFlight : c.next;
      for (; i >= 0 && i < schedule.total(); i += schedule.connections()) {
        if (schedule.measured(i)) {
          long intended = startNanos + schedule.dueOffsetNanos(i);
          record(latency, now - intended);
          record(ttfb, now - intended);
          recorded++;
          late++;
        }
      }
      c.inFlight = -1;
      if (c.http != null) {
        c.http.close();
      }
    }
  }

  private static void record(Histogram h, long nanos) {
    h.recordValue(Math.min(MAX_LATENCY_US, Math.max(0, nanos / 1_000)));
  }

  private String line(double wallSeconds, double busyPct, double lgPct) {
    StringBuilder sb = new StringBuilder();
    sb.append(
        String.format(
            Locale.ROOT,
            "%s tool=hdrload c=%d t=1 R=%d d=%d rps=%.1f p50=%.3f p90=%.3f p99=%.3f p999=%.3f"
                + " max=%.3f n=%d err=%d non2xx=%d late=%d B/req=%.0f cpu_busy%%=%.0f lg_cpu%%=%.0f",
            opt.label(),
            opt.connections(),
            opt.rate(),
            opt.durationSeconds(),
            completedInWindow / (double) opt.durationSeconds(),
            ms(latency, 50),
            ms(latency, 90),
            ms(latency, 99),
            ms(latency, 99.9),
            latency.getTotalCount() == 0 ? 0 : latency.getMaxValue() / 1000.0,
            recorded,
            errors,
            non2xx,
            late,
            bodyResponses == 0 ? 0 : bodyBytes / (double) bodyResponses,
            busyPct,
            lgPct));
    if (opt.stream()) {
      sb.append(
          String.format(
              Locale.ROOT,
              " ttfb_p50=%.3f ttfb_p90=%.3f ttfb_p99=%.3f",
              ms(ttfb, 50),
              ms(ttfb, 90),
              ms(ttfb, 99)));
    }
    return sb.toString();
  }

  private static double ms(Histogram h, double percentile) {
    return h.getTotalCount() == 0 ? 0 : h.getValueAtPercentile(percentile) / 1000.0;
  }

  private void onLoop(Runnable r) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    ctx.runOnContext(
        v -> {
          r.run();
          done.complete(null);
        });
    done.join();
  }

  private static long ownCpuNanos() {
    return ProcessHandle.current()
        .info()
        .totalCpuDuration()
        .map(java.time.Duration::toNanos)
        .orElse(0L);
  }

  private static void sleepUntil(long nanoTime) {
    long wait;
    while ((wait = nanoTime - System.nanoTime()) > 0) {
      LockSupport.parkNanos(wait);
    }
  }
}
