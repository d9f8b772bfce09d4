package dev.switchboard.server.telemetry;

import dev.switchboard.core.error.FailureClass;
import dev.switchboard.server.catalog.Catalog;
import dev.switchboard.server.catalog.EndpointEntry;
import dev.switchboard.server.catalog.ModelEntry;
import dev.switchboard.server.stats.CircuitBreaker;
import dev.switchboard.server.stats.LiveStats;
import dev.switchboard.server.storage.ConnectionPoolStats;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * The gateway's Prometheus metrics (names and labels in docs/operations.md). Meters are resolved
 * once per label combination and kept in small maps, so a request costs a few map look-ups and
 * atomic additions. Labels are bounded: models and providers come from the catalog (a model the
 * catalog does not know is {@code other}), statuses are HTTP codes, APIs are the inbound dialects,
 * failure classes an enum; never a key, a user or a generation id.
 */
public final class Metrics implements AutoCloseable {

  /** Buckets of the latency histograms, in seconds: from 5 ms to two minutes. */
  static final Duration[] LATENCY_BUCKETS = {
    Duration.ofMillis(5),
    Duration.ofMillis(10),
    Duration.ofMillis(25),
    Duration.ofMillis(50),
    Duration.ofMillis(100),
    Duration.ofMillis(250),
    Duration.ofMillis(500),
    Duration.ofSeconds(1),
    Duration.ofMillis(2_500),
    Duration.ofSeconds(5),
    Duration.ofSeconds(10),
    Duration.ofSeconds(30),
    Duration.ofSeconds(60),
    Duration.ofSeconds(120)
  };

  private final PrometheusMeterRegistry registry;
  private final JvmGcMetrics gc = new JvmGcMetrics();
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicInteger openStreams = new AtomicInteger();
  // model -> provider -> meters: two look-ups of String keys (their hashes cached), no key object
  // allocated per request.
  private final ConcurrentHashMap<String, ConcurrentHashMap<String, EndpointMeters>> endpoints =
      new ConcurrentHashMap<>();
  // provider -> one counter per failure class (by ordinal), made on first use.
  private final ConcurrentHashMap<String, AtomicReferenceArray<Counter>> failures =
      new ConcurrentHashMap<>();

  private static final FailureClass[] FAILURE_CLASSES = FailureClass.values();
  private static final String[] FAILURE_LABELS = new String[FAILURE_CLASSES.length];

  static {
    for (FailureClass f : FAILURE_CLASSES) {
      FAILURE_LABELS[f.ordinal()] = f.name().toLowerCase(Locale.ROOT);
    }
  }

  /** The meters of one (api, status) of one endpoint. */
  record RequestMeters(String api, int status, Counter count, Timer duration) {}

  /**
   * Everything of one (model, provider): its request meters per (api, status), in a small
   * copy-on-write array scanned linearly (an endpoint sees a handful of statuses), and, made on
   * first use, time to first token, tokens and cost.
   */
  final class EndpointMeters {
    final String model;
    final String provider;
    private volatile RequestMeters[] requests = new RequestMeters[0];
    private volatile UsageMeters usage;

    EndpointMeters(String model, String provider) {
      this.model = model;
      this.provider = provider;
    }

    RequestMeters requests(String api, int status) {
      RequestMeters[] all = requests;
      for (RequestMeters m : all) {
        if (m.status == status && (m.api == api || m.api.equals(api))) {
          return m;
        }
      }
      return addRequests(api, status);
    }

    private synchronized RequestMeters addRequests(String api, int status) {
      RequestMeters[] all = requests;
      for (RequestMeters m : all) {
        if (m.status == status && m.api.equals(api)) {
          return m;
        }
      }
      RequestMeters m = requestMeters(api, model, provider, status);
      RequestMeters[] grown = Arrays.copyOf(all, all.length + 1);
      grown[all.length] = m;
      requests = grown;
      return m;
    }

    UsageMeters usage() {
      UsageMeters u = usage;
      return u != null ? u : addUsage();
    }

    private synchronized UsageMeters addUsage() {
      if (usage == null) {
        usage = new UsageMeters(registry, model, provider);
      }
      return usage;
    }
  }

  /** The meters of one (model, provider): time to first token, tokens, cost. */
  static final class UsageMeters {
    final Timer timeToFirstToken;
    final Counter promptTokens;
    final Counter completionTokens;
    final LongAdder costNanos = new LongAdder();

    UsageMeters(PrometheusMeterRegistry r, String model, String provider) {
      timeToFirstToken =
          Timer.builder("switchboard.time.to.first.token")
              .description("Time from the request's arrival to the first output of its answer")
              .tags("model", model, "provider", provider)
              .serviceLevelObjectives(LATENCY_BUCKETS)
              .register(r);
      promptTokens = tokens(r, model, provider, "prompt");
      completionTokens = tokens(r, model, provider, "completion");
      // Money is counted exactly, in nano-dollars; only the exposition turns it into a float.
      FunctionCounter.builder("switchboard.cost", costNanos, a -> a.sum() / 1e9)
          .description("USD billed, as metered for the generation records")
          .baseUnit("usd")
          .tags("model", model, "provider", provider)
          .register(r);
    }

    private static Counter tokens(
        PrometheusMeterRegistry r, String model, String provider, String type) {
      return Counter.builder("switchboard.tokens")
          .description("Tokens billed")
          .tags("model", model, "provider", provider, "type", type)
          .register(r);
    }
  }

  public Metrics(Catalog catalog, LiveStats stats) {
    registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    new JvmMemoryMetrics().bindTo(registry);
    gc.bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ClassLoaderMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    Gauge.builder("switchboard.requests.in.flight", inFlight, AtomicInteger::get)
        .description("Inference requests in flight")
        .register(registry);
    Gauge.builder("switchboard.streams.open", openStreams, AtomicInteger::get)
        .description("Streamed answers in flight")
        .register(registry);
    FunctionCounter.builder(
            "switchboard.log.lines.dropped",
            this,
            m -> dev.switchboard.server.logging.CountingAsyncAppender.dropped())
        .description("Log lines dropped because the log's output did not keep up")
        .register(registry);
    for (ModelEntry m : catalog.models()) {
      for (EndpointEntry e : m.endpoints()) {
        String model = m.id();
        String provider = e.provider();
        Gauge.builder(
                "switchboard.breaker.state",
                stats,
                s -> breakerValue(s.of(model, provider).breakerState(s.nowMs())))
            .description("Circuit breaker per endpoint: 0 closed, 1 half-open, 2 open")
            .tags("model", model, "provider", provider)
            .register(registry);
      }
    }
  }

  static double breakerValue(CircuitBreaker.State state) {
    return switch (state) {
      case CLOSED -> 0;
      case HALF_OPEN -> 1;
      case OPEN -> 2;
    };
  }

  /** The registry, for other meters (the upstream connection pools). */
  public PrometheusMeterRegistry registry() {
    return registry;
  }

  /**
   * Gauges of the connection pools: the storage's ({@code switchboard.db.pool.connections} by
   * {@code pool} and {@code state} active, idle or pending, and {@code switchboard.db.pool.max})
   * and the HTTP clients' ({@link dev.switchboard.server.upstream.ClientPools}).
   */
  public void bindPools(
      List<ConnectionPoolStats> storagePools,
      dev.switchboard.server.upstream.ClientPools clientPools) {
    for (ConnectionPoolStats p : storagePools) {
      String pool = p.name();
      Gauge.builder("switchboard.db.pool.connections", p, ConnectionPoolStats::active)
          .description("Database connections by state: lent (active), idle, callers waiting")
          .tags("pool", pool, "state", "active")
          .strongReference(true) // the stats object lives only here
          .register(registry);
      Gauge.builder("switchboard.db.pool.connections", p, ConnectionPoolStats::idle)
          .tags("pool", pool, "state", "idle")
          .strongReference(true) // the stats object lives only here
          .register(registry);
      Gauge.builder("switchboard.db.pool.connections", p, ConnectionPoolStats::pending)
          .tags("pool", pool, "state", "pending")
          .strongReference(true) // the stats object lives only here
          .register(registry);
      Gauge.builder("switchboard.db.pool.max", p, ConnectionPoolStats::max)
          .description("The most connections the database pool opens")
          .tags("pool", pool)
          .strongReference(true) // the stats object lives only here
          .register(registry);
    }
    if (clientPools != null) {
      clientPools.bindTo(registry);
    }
  }

  /** The Prometheus text exposition of every meter. */
  public String scrape() {
    return registry.scrape();
  }

  private volatile int lastScrapeBytes = 16 * 1024;

  /**
   * The Prometheus text exposition as UTF-8 bytes, written straight into a buffer sized from the
   * previous scrape: no string built and encoded again on the way out (a catalog-wide registry runs
   * to several hundred KB).
   */
  public byte[] scrapeBytes() {
    ByteArrayOutputStream out = new ByteArrayOutputStream(lastScrapeBytes + lastScrapeBytes / 8);
    try {
      registry.scrape(out);
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a ByteArrayOutputStream does not throw
    }
    lastScrapeBytes = out.size();
    return out.toByteArray();
  }

  /** The content type of {@link #scrape()}. */
  public static String contentType() {
    return "text/plain; version=0.0.4; charset=utf-8";
  }

  void opened() {
    inFlight.incrementAndGet();
  }

  void streamOpened() {
    openStreams.incrementAndGet();
  }

  void streamClosed() {
    openStreams.decrementAndGet();
  }

  /** One request has ended. */
  void finished(
      String api,
      String model,
      String provider,
      int status,
      long durationNanos,
      long timeToFirstTokenNanos,
      long promptTokens,
      long completionTokens,
      long costNanos) {
    inFlight.decrementAndGet();
    EndpointMeters e = endpoint(model, provider);
    RequestMeters m = e.requests(api, status);
    m.count().increment();
    m.duration().record(durationNanos, TimeUnit.NANOSECONDS);
    if (timeToFirstTokenNanos > 0 || promptTokens > 0 || completionTokens > 0 || costNanos > 0) {
      UsageMeters u = e.usage();
      if (timeToFirstTokenNanos > 0) {
        u.timeToFirstToken.record(timeToFirstTokenNanos, TimeUnit.NANOSECONDS);
      }
      if (promptTokens > 0) {
        u.promptTokens.increment(promptTokens);
      }
      if (completionTokens > 0) {
        u.completionTokens.increment(completionTokens);
      }
      if (costNanos > 0) {
        u.costNanos.add(costNanos);
      }
    }
  }

  private EndpointMeters endpoint(String model, String provider) {
    // Plain gets first: no lambda on the common path.
    ConcurrentHashMap<String, EndpointMeters> byProvider = endpoints.get(model);
    if (byProvider == null) {
      byProvider = endpoints.computeIfAbsent(model, k -> new ConcurrentHashMap<>());
    }
    EndpointMeters e = byProvider.get(provider);
    if (e == null) {
      e = byProvider.computeIfAbsent(provider, p -> new EndpointMeters(model, p));
    }
    return e;
  }

  /** An attempt at an upstream failed. */
  void upstreamFailure(String provider, FailureClass failure) {
    AtomicReferenceArray<Counter> byClass = failures.get(provider);
    if (byClass == null) {
      byClass =
          failures.computeIfAbsent(
              provider, p -> new AtomicReferenceArray<>(FAILURE_CLASSES.length));
    }
    int i = failure.ordinal();
    Counter c = byClass.get(i);
    if (c == null) {
      c =
          Counter.builder("switchboard.upstream.failures")
              .description("Failed attempts at upstream providers, by failure class")
              .tags("provider", provider, "failure_class", FAILURE_LABELS[i])
              .register(registry); // the registry returns the one meter of these tags
      byClass.compareAndSet(i, null, c);
    }
    c.increment();
  }

  private RequestMeters requestMeters(String api, String model, String provider, int status) {
    String code = Integer.toString(status);
    return new RequestMeters(
        api,
        status,
        Counter.builder("switchboard.requests")
            .description("Inference requests by API, model, provider and status")
            .tags("api", api, "model", model, "provider", provider, "status", code)
            .register(registry),
        Timer.builder("switchboard.request.duration")
            .description("Inference request duration, from arrival to the end of the answer")
            .tags("api", api, "model", model, "provider", provider, "status", code)
            .serviceLevelObjectives(LATENCY_BUCKETS)
            .register(registry));
  }

  @Override
  public void close() {
    gc.close();
    registry.close();
  }
}
