package dev.switchboard.server.limits;

import java.time.Duration;
import java.util.Objects;

/**
 * The port for rate limits: named token buckets. One node uses {@link BucketRateLimiter} (Bucket4j
 * buckets in memory); a cluster backs the same contract with buckets in a shared store (Bucket4j's
 * Redis proxy manager) so that more nodes do not mean more requests.
 */
public interface RateLimiter {

  /** Takes {@code amount} tokens from the bucket {@code name} shaped by {@code rate}, or none. */
  Verdict take(String name, Rate rate, long amount);

  /**
   * Corrects a bucket after the fact without refusing: a positive {@code delta} takes more (the
   * bucket may go into debt, which later requests wait out), a negative one gives tokens back.
   */
  void adjust(String name, Rate rate, long delta);

  /**
   * A bucket's shape: {@code capacity} tokens refilled over {@code period}, gradually, or, when
   * {@code calendarDay}, all at once at 00:00 UTC.
   */
  record Rate(long capacity, Duration period, boolean calendarDay) {
    public Rate {
      if (capacity <= 0) {
        throw new IllegalArgumentException("capacity must be positive");
      }
      Objects.requireNonNull(period, "period");
    }

    public static Rate perMinute(long capacity) {
      return new Rate(capacity, Duration.ofMinutes(1), false);
    }

    public static Rate perUtcDay(long capacity) {
      return new Rate(capacity, Duration.ofDays(1), true);
    }
  }

  /**
   * The outcome of {@link #take}: the numbers of the {@code X-RateLimit-*} headers.
   *
   * @param allowed whether the tokens were taken
   * @param limit the bucket's capacity
   * @param remaining tokens left after this call
   * @param resetAtMs epoch milliseconds when the bucket is full again (00:00 UTC for daily ones)
   * @param retryAfterMs when refused, how long until the tokens asked for are there; else 0
   */
  record Verdict(boolean allowed, long limit, long remaining, long resetAtMs, long retryAfterMs) {

    /** {@code Retry-After} in whole seconds, at least one. */
    public long retryAfterSeconds() {
      return Math.max(1, (retryAfterMs + 999) / 1000);
    }
  }
}
