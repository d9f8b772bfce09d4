package dev.switchboard.server.limits;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.TimeMeter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * {@link RateLimiter} on Bucket4j's local buckets, kept in a Caffeine cache by name and shape (a
 * bucket whose limits change starts afresh) and forgotten two days after their last use. Time comes
 * from the injected {@link Clock}, so tests move it by hand.
 */
public final class BucketRateLimiter implements RateLimiter {

  private final Clock clock;
  private final TimeMeter meter;
  private final Cache<BucketId, Bucket> buckets =
      Caffeine.newBuilder()
          .expireAfterAccess(Duration.ofDays(2))
          .maximumSize(1_000_000)
          .executor(Runnable::run) // see Admission.perKey
          .build();

  public BucketRateLimiter(Clock clock) {
    this.clock = clock;
    this.meter =
        new TimeMeter() {
          @Override
          public long currentTimeNanos() {
            return Math.multiplyExact(clock.millis(), 1_000_000L);
          }

          @Override
          public boolean isWallClockBased() {
            return true;
          }
        };
  }

  @Override
  public Verdict take(String name, Rate rate, long amount) {
    long now = clock.millis();
    ConsumptionProbe probe = bucket(name, rate).tryConsumeAndReturnRemaining(amount);
    long reset =
        rate.calendarDay()
            ? Window.DAILY.resetsAt(Instant.ofEpochMilli(now)).toEpochMilli()
            : now + probe.getNanosToWaitForReset() / 1_000_000;
    if (probe.isConsumed()) {
      return new Verdict(true, rate.capacity(), probe.getRemainingTokens(), reset, 0);
    }
    return new Verdict(
        false,
        rate.capacity(),
        probe.getRemainingTokens(),
        reset,
        (probe.getNanosToWaitForRefill() + 999_999) / 1_000_000);
  }

  @Override
  public void adjust(String name, Rate rate, long delta) {
    if (delta > 0) {
      bucket(name, rate).consumeIgnoringRateLimits(delta);
    } else if (delta < 0) {
      bucket(name, rate).addTokens(-delta);
    }
  }

  private Bucket bucket(String name, Rate rate) {
    return buckets.get(new BucketId(name, rate), k -> build(rate));
  }

  /** A bucket is its name and its shape: a bucket whose limits change starts afresh. */
  private record BucketId(String name, Rate rate) {}

  private Bucket build(Rate rate) {
    Instant now = clock.instant();
    return Bucket.builder()
        .addLimit(
            limit ->
                rate.calendarDay()
                    ? limit
                        .capacity(rate.capacity())
                        .refillIntervallyAligned(
                            rate.capacity(), Duration.ofDays(1), Window.DAILY.resetsAt(now))
                    : limit.capacity(rate.capacity()).refillGreedy(rate.capacity(), rate.period()))
        .withCustomTimePrecision(meter)
        .build();
  }
}
