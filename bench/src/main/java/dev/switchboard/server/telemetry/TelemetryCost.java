package dev.switchboard.server.telemetry;

import com.sun.management.ThreadMXBean;
import dev.switchboard.core.error.FailureClass;
import dev.switchboard.server.catalog.Catalog;
import dev.switchboard.server.catalog.EndpointEntry;
import dev.switchboard.server.catalog.ModelEntry;
import dev.switchboard.server.config.ConfigLoader;
import dev.switchboard.server.config.GatewayConfig;
import dev.switchboard.server.routing.Attempt;
import dev.switchboard.server.stats.LiveStats;
import dev.switchboard.server.storage.Usd;
import io.opentelemetry.api.trace.Span;
import java.lang.management.ManagementFactory;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * What metrics and tracing cost a request, in CPU nanoseconds and bytes allocated, timed in-process
 * where a 3 % difference in throughput is lost in the noise of a shared two-core machine (issue
 * 15's bar; docs/performance.md, "Metrics and traces"). It calls what the pipeline's observer calls
 * per request ({@link Telemetry#opened(Function)}, the span's trace id for the access log, the cost
 * in nano-dollars, the value form of {@link Telemetry#finished}) for three set-ups, interleaved
 * round by round: {@code off} (metrics off, no tracing: bench/metrics.sh ab's A side), {@code
 * metrics} (on, no tracing) and {@code metrics+tracing} (on; OTLP exporter with {@code
 * OTEL_TRACES_SAMPLER=always_off}: the B side). Requests are a mix over the catalog's endpoints:
 * statuses 200 (most), 429 and 502 (with one failed attempt counted), a quarter streamed (time to
 * first token), half with an incoming {@code traceparent}. Prints per set-up the median CPU ns and
 * bytes per request over the rounds, the cost over {@code off}, that cost as a share of the
 * gateway's CPU per request ({@code CPU_US}, measured by bench/ab.sh), and last the scrape of the
 * registry this leaves: series, bytes, CPU ms per scrape.
 *
 * <p>Run: {@code java -cp GATEWAY_JAR:BENCH_JAR dev.switchboard.server.telemetry.TelemetryCost
 * [ROUNDS [REQUESTS_PER_ROUND [CPU_US]]]} (bench/metrics.sh cost).
 */
public final class TelemetryCost {

  private static final ThreadMXBean THREADS = (ThreadMXBean) ManagementFactory.getThreadMXBean();

  private record Req(
      String api,
      String model,
      String provider,
      int status,
      long durationNanos,
      long ttftNanos,
      long prompt,
      long completion,
      BigDecimal cost,
      boolean streamed,
      Function<String, String> headers,
      String upstream) {}

  private TelemetryCost() {}

  public static void main(String[] args) throws Exception {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 30;
    int perRound = args.length > 1 ? Integer.parseInt(args[1]) : 200_000;
    double cpuUs = args.length > 2 ? Double.parseDouble(args[2]) : 190;
    GatewayConfig config = ConfigLoader.load(null, Map.of(), ConfigLoader.Overrides.NONE);
    Catalog catalog = new Catalog(config.catalog().models(), List.of());
    LiveStats stats = new LiveStats(System::currentTimeMillis);
    Req[] reqs = requests(catalog);
    String[] names = {"off", "metrics", "metrics+tracing"};
    Telemetry[] setups = {
      new Telemetry(catalog, null, null),
      new Telemetry(catalog, new Metrics(catalog, stats), null),
      new Telemetry(
          catalog,
          new Metrics(catalog, stats),
          Tracing.of(
              Map.of(
                  "OTEL_TRACES_EXPORTER", "otlp",
                  "OTEL_TRACES_SAMPLER", "always_off",
                  "OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:4318")))
    };
    // Warm up every set-up (JIT) before timing.
    for (int w = 0; w < 5; w++) {
      for (Telemetry t : setups) {
        run(t, reqs, perRound);
      }
    }
    double[][] ns = new double[setups.length][rounds];
    double[][] bytes = new double[setups.length][rounds];
    long tid = Thread.currentThread().threadId();
    for (int r = 0; r < rounds; r++) {
      for (int k = 0; k < setups.length; k++) {
        int s = (k + r) % setups.length; // rotate the order round by round
        long b0 = THREADS.getThreadAllocatedBytes(tid);
        long c0 = THREADS.getCurrentThreadCpuTime();
        run(setups[s], reqs, perRound);
        long c1 = THREADS.getCurrentThreadCpuTime();
        long b1 = THREADS.getThreadAllocatedBytes(tid);
        ns[s][r] = (double) (c1 - c0) / perRound;
        bytes[s][r] = (double) (b1 - b0) / perRound;
      }
    }
    double load = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    System.out.printf(
        "rounds=%d requests_per_round=%d load=%.2f (CPU ns and bytes per request, medians over the"
            + " rounds; p10-p90 of the ns)%n",
        rounds, perRound, load);
    double off = median(ns[0]);
    for (int s = 0; s < setups.length; s++) {
      double m = median(ns[s]);
      System.out.printf(
          "%-16s ns/req=%7.1f (p10 %6.1f p90 %6.1f) bytes/req=%6.1f cost_over_off_ns=%6.1f"
              + " share_of_%.0fus=%.3f%%%n",
          names[s],
          m,
          pct(ns[s], 0.1),
          pct(ns[s], 0.9),
          median(bytes[s]),
          m - off,
          cpuUs,
          (m - off) / (cpuUs * 1000) * 100);
    }
    scrape(setups[2].metrics(), catalog);
    for (Telemetry t : setups) {
      t.close();
    }
  }

  /** One round: the observer's per-request calls for every request of the mix, in turn. */
  private static void run(Telemetry t, Req[] reqs, int n) {
    long sink = 0;
    List<Attempt> none = List.of();
    for (int i = 0; i < n; i++) {
      Req q = reqs[i & (reqs.length - 1)];
      long start = System.nanoTime();
      Span span = t.opened(q.headers());
      if (span != null) {
        String traceId = span.getSpanContext().getTraceId(); // for the access log
        sink += traceId.length();
      }
      if (q.streamed() && t.metrics() != null) {
        t.metrics().streamOpened();
      }
      t.finished(
          span,
          q.api(),
          q.model(),
          q.provider(),
          q.status(),
          q.durationNanos() + (start & 0xffff),
          q.ttftNanos(),
          q.prompt(),
          q.completion(),
          t.metrics() != null ? Usd.toNanos(q.cost()) : 0,
          none,
          q.streamed());
      if (q.status() == 502 && t.metrics() != null) {
        // what finished() calls per failed attempt (the mix's attempts list is empty)
        t.metrics().upstreamFailure(q.upstream(), FailureClass.UPSTREAM_TRANSIENT);
      }
    }
    if (sink == 42) {
      System.out.print("");
    }
  }

  /** 1,024 requests over the catalog's endpoints (a power of two: the index is masked). */
  private static Req[] requests(Catalog catalog) {
    List<String[]> endpoints = new ArrayList<>();
    for (ModelEntry m : catalog.models()) {
      for (EndpointEntry e : m.endpoints()) {
        endpoints.add(new String[] {m.id(), e.provider()});
      }
    }
    String traceparent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
    Function<String, String> withParent = h -> h.equals("traceparent") ? traceparent : null;
    Function<String, String> without = h -> null;
    java.util.Random random = new java.util.Random(15);
    Req[] reqs = new Req[1024];
    for (int i = 0; i < reqs.length; i++) {
      String[] e = endpoints.get(random.nextInt(Math.min(endpoints.size(), 12)));
      int roll = random.nextInt(100);
      int status = roll < 94 ? 200 : roll < 97 ? 429 : 502;
      boolean ok = status == 200;
      boolean streamed = ok && random.nextInt(4) == 0;
      reqs[i] =
          new Req(
              i % 5 == 0 ? "anthropic-messages" : "openai-chat",
              e[0],
              ok ? e[1] : "none",
              status,
              150_000_000L + random.nextInt(1_000_000_000),
              streamed ? 80_000_000L + random.nextInt(200_000_000) : 0,
              ok ? 20 + random.nextInt(2000) : 0,
              ok ? 10 + random.nextInt(800) : 0,
              ok ? new BigDecimal("0.000" + (100_000 + random.nextInt(800_000))) : BigDecimal.ZERO,
              streamed,
              random.nextBoolean() ? withParent : without,
              e[1]);
    }
    return reqs;
  }

  /**
   * Scrapes after every catalog endpoint has answered 200 on two APIs (and some 429 and 502): the
   * exposition's series, its size, and CPU ms per scrape (median, p99 over 200).
   */
  private static void scrape(Metrics metrics, Catalog catalog) {
    for (ModelEntry m : catalog.models()) {
      for (EndpointEntry e : m.endpoints()) {
        for (String api : new String[] {"openai-chat", "anthropic-messages"}) {
          metrics.opened();
          metrics.finished(api, m.id(), e.provider(), 200, 300_000_000L, 90_000_000L, 10, 10, 1);
        }
      }
      metrics.opened();
      metrics.finished("openai-chat", m.id(), "none", 502, 20_000_000L, 0, 0, 0, 0);
    }
    String text = metrics.scrape();
    long series = text.lines().filter(l -> !l.isEmpty() && l.charAt(0) != '#').count();
    for (int i = 0; i < 50; i++) {
      metrics.scrapeBytes();
    }
    double[] ms = new double[200];
    for (int i = 0; i < ms.length; i++) {
      long c0 = THREADS.getCurrentThreadCpuTime();
      metrics.scrapeBytes(); // what GET /metrics sends
      ms[i] = (THREADS.getCurrentThreadCpuTime() - c0) / 1e6;
    }
    System.out.printf(
        "scrape: series=%d bytes=%d cpu_ms median=%.2f p99=%.2f (%d models in the catalog)%n",
        series, text.length(), median(ms), pct(ms, 0.99), catalog.models().size());
  }

  private static double median(double[] v) {
    return pct(v, 0.5);
  }

  private static double pct(double[] v, double p) {
    double[] s = v.clone();
    Arrays.sort(s);
    return s[
        Math.min(
            s.length - 1,
            (int) Math.ceil(p * s.length) - 1 < 0 ? 0 : (int) Math.ceil(p * s.length) - 1)];
  }
}
