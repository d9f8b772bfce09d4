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
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Collections;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * Many streaming requests held open at once, read slowly: the "10,000 open streams" load test.
 * Opens {@code -n} streams at {@code -r} a second, each on its own connection; every stream is
 * paused and reads one chunk every {@code --read-ms} (a slow reader, so that the gateway must hold
 * or push back what it cannot write), and is followed to its end. It counts the streams open at
 * once, those that end with {@code data: [DONE]}, errors by kind, and stalls (a stream that
 * receives nothing for {@code --stall} seconds), and watches the gateway's CPU and RSS. See {@link
 * StreamsOptions#USAGE}.
 *
 * <p>Threads: one Vert.x event loop owns every connection and counter; the main thread only waits
 * for the run to end (every stream settled, or the time limit).
 */
public final class OpenStreams {

  private static final long MAX_LATENCY_US = TimeUnit.HOURS.toMicros(1);
  private static final String DONE = "data: [DONE]";

  /** What a run found. */
  record Result(
      int streams,
      int opened,
      int peakOpen,
      double allOpenSeconds,
      int completed,
      int errors,
      int stalls,
      int unfinished,
      long maxGapMs,
      Map<String, Integer> errorsByKind) {

    /** All streams were open at once and every one completed without error or stall. */
    boolean ok() {
      return peakOpen == streams && completed == streams && errors == 0 && stalls == 0;
    }
  }

  /** One stream: its connection and where it is. */
  private static final class Stream {
    HttpClientConnection http;
    HttpClientResponse response;
    long sentAt;
    long lastProgress;
    long bytes;
    boolean open;
    boolean settled;
    boolean stalled;
    boolean sawDone;
    String tail = "";
  }

  private final StreamsOptions opt;
  private final Buffer body;
  private final Vertx vertx;
  private final Context ctx;
  private final HttpClientAgent client;
  private final RequestOptions request;
  private final Stream[] streams;
  private final PrintStream progress;

  // Event-loop confined state.
  private long startNanos;
  private int opened;
  private int open;
  private int peakOpen;
  private long allOpenSince = -1;
  private long allOpenNanos;
  private int settled;
  private int completed;
  private int errors;
  private int stalls;
  private long maxGapNanos;
  private long totalBytes;
  private boolean announcedAllOpen;
  private final Map<String, Integer> errorsByKind = new TreeMap<>();
  private final Histogram head = new Histogram(MAX_LATENCY_US, 3);
  private final CompletableFuture<Void> allSettled = new CompletableFuture<>();

  private OpenStreams(StreamsOptions opt, byte[] bodyBytes, PrintStream progress) {
    this.opt = opt;
    this.body = Buffer.buffer(bodyBytes);
    this.progress = progress;
    this.vertx =
        Vertx.vertx(
            new VertxOptions()
                .setPreferNativeTransport(true)
                .setEventLoopPoolSize(1)
                .setWorkerPoolSize(1)
                .setInternalBlockingPoolSize(1)
                .setBlockedThreadCheckInterval(TimeUnit.HOURS.toMillis(1)));
    this.ctx = vertx.getOrCreateContext();
    HttpClientOptions options =
        // Keep-alive, so that the gateway does not close a connection after its stream: a close
        // while a paused reader still has chunks queued would end the stream with an error here.
        // Each stream closes its connection itself once it has read the end.
        new HttpClientOptions()
            .setKeepAlive(true)
            .setTcpNoDelay(true)
            .setDecompressionSupported(false)
            .setPipelining(false);
    if (opt.receiveBufferBytes() > 0) {
      options.setReceiveBufferSize(opt.receiveBufferBytes());
    }
    this.client = vertx.createHttpClient(options);
    this.request =
        new RequestOptions()
            .setMethod(HttpMethod.POST)
            .setHost(opt.url().getHost())
            .setPort(opt.port())
            .setURI(opt.pathAndQuery())
            .putHeader("content-type", "application/json")
            .putHeader("accept", "text/event-stream");
    for (String[] h : opt.headers()) {
      request.putHeader(h[0], h[1]);
    }
    this.streams = new Stream[opt.streams()];
    for (int i = 0; i < streams.length; i++) {
      streams[i] = new Stream();
    }
  }

  public static void main(String[] args) {
    StreamsOptions opt;
    try {
      opt = StreamsOptions.parse(args);
    } catch (IllegalArgumentException e) {
      if (!e.getMessage().isEmpty()) {
        System.err.println(e.getMessage());
      }
      System.err.print(StreamsOptions.USAGE);
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
    System.exit(run(opt, bytes, System.out, System.err));
  }

  /** One run: the summary line goes to {@code out}, progress to {@code progress}; 0 when ok. */
  static int run(StreamsOptions opt, byte[] body, PrintStream out, PrintStream progress) {
    ProcWatch watch;
    try {
      watch = ProcWatch.of(opt.pids());
    } catch (IllegalArgumentException e) {
      out.println(opt.label() + " ERROR " + e.getMessage());
      return 1;
    }
    OpenStreams load = new OpenStreams(opt, body, progress);
    try {
      Result r = load.run(watch, out);
      return r.ok() ? 0 : 1;
    } finally {
      watch.close();
      load.vertx.close().toCompletionStage().toCompletableFuture().join();
    }
  }

  private Result run(ProcWatch watch, PrintStream out) {
    long lg0 = ownCpuNanos();
    long w0 = watch.cpuNanos();
    watch.startSampling();
    CompletableFuture<Void> started = new CompletableFuture<>();
    ctx.runOnContext(
        v -> {
          startNanos = System.nanoTime();
          vertx.setPeriodic(10, id -> openDue(id));
          if (opt.readIntervalMs() > 0) {
            vertx.setPeriodic(opt.readIntervalMs(), id -> readOneChunkEach());
          }
          vertx.setPeriodic(1000, id -> tick(watch));
          started.complete(null);
        });
    started.join();
    try {
      allSettled.get(opt.timeoutSeconds(), TimeUnit.SECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      // the time limit: finish() counts what is still open as unfinished
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
    long wall = System.nanoTime();
    long lg1 = ownCpuNanos();
    long w1 = watch.cpuNanos();
    watch.stopSampling();
    CompletableFuture<Result> result = new CompletableFuture<>();
    ctx.runOnContext(v -> result.complete(finish(System.nanoTime())));
    Result r = result.join();
    double seconds = (wall - startNanos) / 1e9;
    StringBuilder sb =
        new StringBuilder(
            String.format(
                Locale.ROOT,
                "%s tool=openstreams n=%d opened=%d peak_open=%d all_open_s=%.1f completed=%d"
                    + " errors=%d stalls=%d unfinished=%d max_gap_ms=%d head_p50=%.3f"
                    + " head_p99=%.3f B/stream=%.0f d=%.1f lg_cpu%%=%.0f",
                opt.label(),
                r.streams(),
                r.opened(),
                r.peakOpen(),
                r.allOpenSeconds(),
                r.completed(),
                r.errors(),
                r.stalls(),
                r.unfinished(),
                r.maxGapMs(),
                ms(head, 50),
                ms(head, 99),
                r.opened() == 0 ? 0 : totalBytes / (double) r.opened(),
                seconds,
                (lg1 - lg0) / 1e9 / seconds * 100));
    if (!watch.isEmpty()) {
      sb.append(
          String.format(
              Locale.ROOT,
              " w_cpu%%=%.0f w_rss_peak_MB=%.1f w_hwm_MB=%.1f",
              (w1 - w0) / 1e9 / seconds * 100,
              watch.peakKb() / 1024.0,
              watch.hwmKb() / 1024.0));
    }
    sb.append(" errors_by_kind=").append(r.errorsByKind().toString().replace(" ", ""));
    out.println(sb);
    return r;
  }

  // ---- on the event loop -----------------------------------------------------------------

  /** Opens the streams whose time has come ({@code -r} a second from the start). */
  private void openDue(long timerId) {
    long elapsed = System.nanoTime() - startNanos;
    long due = Math.min(streams.length, elapsed * opt.openPerSecond() / 1_000_000_000L + 1);
    while (opened < due) {
      openStream(streams[opened++]);
    }
    if (opened == streams.length) {
      vertx.cancelTimer(timerId);
    }
  }

  private void openStream(Stream s) {
    s.sentAt = System.nanoTime();
    s.lastProgress = s.sentAt;
    client
        .connect(
            new HttpConnectOptions()
                .setHost(opt.url().getHost())
                .setPort(opt.port())
                .setConnectTimeout(10_000))
        .onComplete(
            ar -> {
              if (ar.failed()) {
                fail(s, "connect", ar.cause());
                return;
              }
              s.http = ar.result();
              if (s.settled) {
                s.http.close();
                return;
              }
              s.http
                  .request(request)
                  .compose(r -> r.send(body))
                  .onComplete(
                      rr -> {
                        if (rr.failed()) {
                          fail(s, "request", rr.cause());
                          return;
                        }
                        onResponse(s, rr.result());
                      });
            });
  }

  private void onResponse(Stream s, HttpClientResponse resp) {
    long now = System.nanoTime();
    head.recordValue(Math.min(MAX_LATENCY_US, (now - s.sentAt) / 1_000));
    s.lastProgress = now;
    if (resp.statusCode() != 200) {
      resp.body()
          .onComplete(
              b ->
                  fail(
                      s,
                      "status-" + resp.statusCode(),
                      b.succeeded() ? b.result().toString(StandardCharsets.UTF_8) : b.cause()));
      return;
    }
    s.response = resp;
    if (opt.readIntervalMs() > 0) {
      resp.pause();
    }
    s.open = true;
    open++;
    peakOpen = Math.max(peakOpen, open);
    if (open == streams.length) {
      allOpenSince = now;
      if (!announcedAllOpen) {
        announcedAllOpen = true;
        progress.printf(
            Locale.ROOT, "%s all-open t=%.1f n=%d%n", opt.label(), (now - startNanos) / 1e9, open);
      }
    }
    resp.handler(b -> onChunk(s, b));
    resp.exceptionHandler(err -> fail(s, "reset", err));
    resp.endHandler(v -> onEnd(s));
  }

  private void onChunk(Stream s, Buffer b) {
    long now = System.nanoTime();
    noteGap(s, now - s.lastProgress);
    s.lastProgress = now;
    s.bytes += b.length();
    totalBytes += b.length();
    if (!s.sawDone) {
      String text = s.tail + b.toString(StandardCharsets.UTF_8);
      s.sawDone = text.contains(DONE);
      s.tail = text.substring(Math.max(0, text.length() - DONE.length()));
    }
  }

  private void onEnd(Stream s) {
    if (s.settled) {
      return;
    }
    if (!s.sawDone) {
      fail(s, "no-done", s.tail);
      return;
    }
    settle(s);
    completed++;
  }

  /** A failed stream; the first of each kind is shown in the progress output with its detail. */
  private void fail(Stream s, String kind, Object detail) {
    if (s.settled) {
      return;
    }
    settle(s);
    errors++;
    if (errorsByKind.merge(kind, 1, Integer::sum) == 1) {
      String text = String.valueOf(detail).replace('\n', ' ');
      progress.printf(
          Locale.ROOT,
          "%s first-error kind=%s t=%.1f %s%n",
          opt.label(),
          kind,
          (System.nanoTime() - startNanos) / 1e9,
          text.substring(0, Math.min(300, text.length())));
    }
  }

  private void settle(Stream s) {
    s.settled = true;
    closeOpen(s, System.nanoTime());
    if (s.http != null) {
      s.http.close();
    }
    if (++settled == streams.length) {
      allSettled.complete(null);
    }
  }

  private void closeOpen(Stream s, long now) {
    if (!s.open) {
      return;
    }
    if (open == streams.length && allOpenSince >= 0) {
      allOpenNanos += now - allOpenSince;
      allOpenSince = -1;
    }
    s.open = false;
    open--;
  }

  /** The slow reader: one chunk for every open stream. */
  private void readOneChunkEach() {
    for (Stream s : streams) {
      if (s.open && s.response != null) {
        s.response.fetch(1);
      }
    }
  }

  /** A gap in a stream (since its request, its head or its last chunk): a stall when too long. */
  private void noteGap(Stream s, long gapNanos) {
    maxGapNanos = Math.max(maxGapNanos, gapNanos);
    if (gapNanos > TimeUnit.SECONDS.toNanos(opt.stallSeconds()) && !s.stalled) {
      s.stalled = true;
      stalls++;
    }
  }

  /** Every second: streams that are still waiting (stalls), and a progress line. */
  private void tick(ProcWatch watch) {
    long now = System.nanoTime();
    for (int i = 0; i < opened; i++) {
      Stream s = streams[i];
      if (!s.settled) {
        noteGap(s, now - s.lastProgress);
      }
    }
    StringBuilder sb =
        new StringBuilder(
            String.format(
                Locale.ROOT,
                "%s progress t=%.0f opened=%d open=%d completed=%d errors=%d stalls=%d max_gap_ms=%d",
                opt.label(),
                (now - startNanos) / 1e9,
                opened,
                open,
                completed,
                errors,
                stalls,
                maxGapNanos / 1_000_000));
    if (!watch.isEmpty()) {
      sb.append(String.format(Locale.ROOT, " w_rss_MB=%.1f", watch.rssKb() / 1024.0));
    }
    progress.println(sb);
  }

  /** Ends the run: what has not settled is unfinished; every connection is closed. */
  private Result finish(long now) {
    int unfinished = 0;
    for (Stream s : streams) {
      if (!s.settled) {
        unfinished++;
        closeOpen(s, now);
        s.settled = true;
        if (s.http != null) {
          s.http.close();
        }
      }
    }
    if (allOpenSince >= 0) {
      allOpenNanos += now - allOpenSince;
    }
    return new Result(
        streams.length,
        opened,
        peakOpen,
        allOpenNanos / 1e9,
        completed,
        errors,
        stalls,
        unfinished,
        maxGapNanos / 1_000_000,
        Collections.unmodifiableMap(new TreeMap<>(errorsByKind)));
  }

  private static double ms(Histogram h, double percentile) {
    return h.getTotalCount() == 0 ? 0 : h.getValueAtPercentile(percentile) / 1000.0;
  }

  private static long ownCpuNanos() {
    return ProcessHandle.current()
        .info()
        .totalCpuDuration()
        .map(java.time.Duration::toNanos)
        .orElse(0L);
  }
}
