package dev.switchboard.server.stats;

import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * The live stats of every endpoint, keyed by model id and provider slug. Created once per gateway
 * and shared by every event loop. In a cluster each endpoint's stats also hold what the other nodes
 * published of it ({@link EndpointStats#merge}), so routing and {@code /endpoints} see all traffic.
 */
public final class LiveStats {

  private final ConcurrentHashMap<String, EndpointStats> byEndpoint = new ConcurrentHashMap<>();
  private final LongSupplier clockMs;
  private final CircuitBreaker.Settings breaker;

  public LiveStats(LongSupplier clockMs) {
    this(clockMs, CircuitBreaker.Settings.DEFAULT);
  }

  LiveStats(LongSupplier clockMs, CircuitBreaker.Settings breaker) {
    this.clockMs = clockMs;
    this.breaker = breaker;
  }

  /** Breaker thresholds as configured. */
  public static LiveStats withBreaker(
      LongSupplier clockMs, int failureThreshold, long openMs, long maxOpenMs) {
    return new LiveStats(clockMs, new CircuitBreaker.Settings(failureThreshold, openMs, maxOpenMs));
  }

  public EndpointStats of(String modelId, String providerSlug) {
    return byEndpoint.computeIfAbsent(
        modelId + "|" + providerSlug, k -> new EndpointStats(breaker));
  }

  /** Calls {@code action(modelId|providerSlug, stats)} for every endpoint seen so far. */
  public void forEach(java.util.function.BiConsumer<String, EndpointStats> action) {
    byEndpoint.forEach(action);
  }

  /** The stats of the endpoint named {@code modelId|providerSlug}, as {@link #forEach} names it. */
  public EndpointStats byName(String name) {
    return byEndpoint.computeIfAbsent(name, k -> new EndpointStats(breaker));
  }

  public long nowMs() {
    return clockMs.getAsLong();
  }
}
