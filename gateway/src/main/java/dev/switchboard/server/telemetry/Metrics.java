package dev.switchboard.server.telemetry;

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
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
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
  private final ConcurrentHashMap<RequestKey, RequestMeters> requests = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<EndpointKey, EndpointMeters> endpoints =
      new ConcurrentHashMap<>();
  private final ConcurrentHashMap<FailureKey, Counter> failures = new ConcurrentHashMap<>();

  private record RequestKey(String api, String model, String provider, int status) {}

  private record EndpointKey(String model, String provider) {}

  private record FailureKey(String provider, String failureClass) {}

  /** The meters of one (api, model, provider, status). */
  record RequestMeters(Counter count, Timer duration) {}

  /** The meters of one (model, provider): time to first token, tokens, cost. */
  static final class EndpointMeters {
    final Timer timeToFirstToken;
    final Counter promptTokens;
    final Counter completionTokens;
    final LongAdder costNanos = new LongAdder();

    EndpointMeters(PrometheusMeterRegistry r, String model, String provider) {
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
    RequestKey key = new RequestKey(api, model, provider, status);
    RequestMeters m = requests.get(key); // a plain get first: no lambda on the common path
    if (m == null) {
      m = requests.computeIfAbsent(key, this::requestMeters);
    }
    m.count().increment();
    m.duration().record(durationNanos, TimeUnit.NANOSECONDS);
    if (timeToFirstTokenNanos > 0 || promptTokens > 0 || completionTokens > 0 || costNanos > 0) {
      EndpointKey key2 = new EndpointKey(model, provider);
      EndpointMeters e = endpoints.get(key2);
      if (e == null) {
        e = endpoints.computeIfAbsent(key2, k -> new EndpointMeters(registry, model, provider));
      }
      if (timeToFirstTokenNanos > 0) {
        e.timeToFirstToken.record(timeToFirstTokenNanos, TimeUnit.NANOSECONDS);
      }
      if (promptTokens > 0) {
        e.promptTokens.increment(promptTokens);
      }
      if (completionTokens > 0) {
        e.completionTokens.increment(completionTokens);
      }
      if (costNanos > 0) {
        e.costNanos.add(costNanos);
      }
    }
  }

  /** An attempt at an upstream failed. */
  void upstreamFailure(String provider, String failureClass) {
    failures
        .computeIfAbsent(
            new FailureKey(provider, failureClass),
            k ->
                Counter.builder("switchboard.upstream.failures")
                    .description("Failed attempts at upstream providers, by failure class")
                    .tags("provider", k.provider(), "failure_class", k.failureClass())
                    .register(registry))
        .increment();
  }

  private RequestMeters requestMeters(RequestKey k) {
    String status = Integer.toString(k.status());
    return new RequestMeters(
        Counter.builder("switchboard.requests")
            .description("Inference requests by API, model, provider and status")
            .tags("api", k.api(), "model", k.model(), "provider", k.provider(), "status", status)
            .register(registry),
        Timer.builder("switchboard.request.duration")
            .description("Inference request duration, from arrival to the end of the answer")
            .tags("api", k.api(), "model", k.model(), "provider", k.provider(), "status", status)
            .serviceLevelObjectives(LATENCY_BUCKETS)
            .register(registry));
  }

  @Override
  public void close() {
    gc.close();
    registry.close();
  }
}
