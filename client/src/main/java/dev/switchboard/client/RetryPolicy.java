package dev.switchboard.client;

import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.DoubleSupplier;

/**
 * When and how long to wait before sending a failed request again: exponential backoff with jitter,
 * on the statuses in {@link #retryOnStatus()} (408, 429, 502, 503 by default) and on connection
 * errors; a server's {@code Retry-After} is honoured instead of the backoff, unless it asks for
 * longer than {@link #maxRetryAfter()}, in which case the error is thrown at once.
 *
 * <p>400, 401, 402 and 403 are never retried: the same request would fail the same way. A stream is
 * retried only until its first byte; after that errors come from the stream's {@code next()}.
 *
 * @param maxRetries retries after the first attempt (0 = none)
 * @param initialBackoff the wait before the first retry, before jitter
 * @param maxBackoff the most any backoff wait grows to
 * @param multiplier the growth of the wait per retry
 * @param jitter the fraction of the wait that is random: the wait is {@code base * (1 - jitter +
 *     jitter * random)}, so 0 is no jitter and 1 is "full jitter"
 * @param maxRetryAfter the longest {@code Retry-After} that is waited for
 * @param retryOnStatus the HTTP statuses that are retried
 * @param retryOnConnectionErrors whether refused or dropped connections and client time-outs are
 *     retried
 */
public record RetryPolicy(
    int maxRetries,
    Duration initialBackoff,
    Duration maxBackoff,
    double multiplier,
    double jitter,
    Duration maxRetryAfter,
    Set<Integer> retryOnStatus,
    boolean retryOnConnectionErrors) {

  private static final Set<Integer> NEVER = Set.of(400, 401, 402, 403);

  public RetryPolicy {
    Checks.requireArgument(maxRetries >= 0, "maxRetries must not be negative, was %s", maxRetries);
    Checks.requireArgument(
        !initialBackoff.isNegative(),
        "initialBackoff must not be negative, was %s",
        initialBackoff);
    Checks.requireArgument(
        maxBackoff.compareTo(initialBackoff) >= 0,
        "maxBackoff (%s) must not be below initialBackoff (%s)",
        maxBackoff,
        initialBackoff);
    Checks.requireArgument(multiplier >= 1.0, "multiplier must be at least 1, was %s", multiplier);
    Checks.requireArgument(
        jitter >= 0.0 && jitter <= 1.0, "jitter must be between 0 and 1, was %s", jitter);
    Checks.requireArgument(
        !maxRetryAfter.isNegative(), "maxRetryAfter must not be negative, was %s", maxRetryAfter);
    for (int status : retryOnStatus) {
      Checks.requireArgument(
          !NEVER.contains(status),
          "status %s is never retried: the same request would fail the same way",
          status);
    }
    retryOnStatus = Set.copyOf(new TreeSet<>(retryOnStatus));
  }

  /**
   * Two retries, 500 ms doubling up to 8 s with 50 % jitter, {@code Retry-After} up to 60 s, on
   * 408, 429, 502, 503 and connection errors.
   */
  public static RetryPolicy defaults() {
    return new RetryPolicy(
        2,
        Duration.ofMillis(500),
        Duration.ofSeconds(8),
        2.0,
        0.5,
        Duration.ofSeconds(60),
        Set.of(408, 429, 502, 503),
        true);
  }

  /** No retries at all. */
  public static RetryPolicy none() {
    return defaults().withMaxRetries(0);
  }

  public RetryPolicy withMaxRetries(int maxRetries) {
    return new RetryPolicy(
        maxRetries,
        initialBackoff,
        maxBackoff,
        multiplier,
        jitter,
        maxRetryAfter,
        retryOnStatus,
        retryOnConnectionErrors);
  }

  /** The same policy with another backoff: {@code initial}, doubling up to {@code max}. */
  public RetryPolicy withBackoff(Duration initial, Duration max) {
    return new RetryPolicy(
        maxRetries,
        initial,
        max,
        multiplier,
        jitter,
        maxRetryAfter,
        retryOnStatus,
        retryOnConnectionErrors);
  }

  public RetryPolicy withJitter(double jitter) {
    return new RetryPolicy(
        maxRetries,
        initialBackoff,
        maxBackoff,
        multiplier,
        jitter,
        maxRetryAfter,
        retryOnStatus,
        retryOnConnectionErrors);
  }

  public RetryPolicy withMaxRetryAfter(Duration maxRetryAfter) {
    return new RetryPolicy(
        maxRetries,
        initialBackoff,
        maxBackoff,
        multiplier,
        jitter,
        maxRetryAfter,
        retryOnStatus,
        retryOnConnectionErrors);
  }

  public RetryPolicy withRetryOnStatus(Set<Integer> statuses) {
    return new RetryPolicy(
        maxRetries,
        initialBackoff,
        maxBackoff,
        multiplier,
        jitter,
        maxRetryAfter,
        statuses,
        retryOnConnectionErrors);
  }

  /** Whether this failure may be retried at all (the attempt budget aside). */
  public boolean retries(SwitchboardException e) {
    if (e.midStream() || NEVER.contains(e.status())) {
      return false;
    }
    if (e.status() == 0) {
      return retryOnConnectionErrors
          && (e instanceof ConnectionException || e instanceof RequestTimeoutException);
    }
    if (!retryOnStatus.contains(e.status())) {
      return false;
    }
    return e.retryAfter().map(d -> d.compareTo(maxRetryAfter) <= 0).orElse(true);
  }

  /**
   * The wait before retry number {@code retry} (1 for the first): the server's {@code Retry-After}
   * when given, else {@code initialBackoff * multiplier^(retry-1)} capped at {@code maxBackoff},
   * with jitter drawn from {@code random} (values in [0, 1)).
   */
  public Duration delay(int retry, Duration retryAfter, DoubleSupplier random) {
    if (retryAfter != null) {
      return retryAfter;
    }
    double base = initialBackoff.toNanos() * Math.pow(multiplier, Math.max(0, retry - 1));
    base = Math.min(base, maxBackoff.toNanos());
    double factor = 1.0 - jitter + jitter * random.getAsDouble();
    return Duration.ofNanos((long) (base * factor));
  }
}
