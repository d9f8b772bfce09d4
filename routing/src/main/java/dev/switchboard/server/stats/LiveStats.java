package dev.switchboard.server.stats;

import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * The live stats of every endpoint, keyed by model id and provider slug. Created once per gateway
 * and shared by every event loop; in cluster mode this is where merged sketches will come from.
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

  public long nowMs() {
    return clockMs.getAsLong();
  }
}
