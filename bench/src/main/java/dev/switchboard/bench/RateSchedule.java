package dev.switchboard.bench;

/**
 * When each request of a fixed-rate (open-loop) run is meant to be sent, independent of when the
 * target answers. Request {@code i} (0-based) is due {@code floor(i * 1e9 / rate)} nanoseconds
 * after the start; the first {@code warmup} seconds are sent but not recorded, the next {@code
 * duration} seconds are measured. Requests are spread over the connections round-robin, so
 * connection {@code k} carries requests {@code k, k + n, k + 2n, ...} at {@code rate / n} each, as
 * wrk2 does.
 *
 * <p>Latency is taken from the due time, not from the moment the request could actually be sent: a
 * target that falls behind pays for the queue it causes (no coordinated omission). Pure arithmetic
 * on longs, exact over any run length the options allow, and free of clocks so it can be tested.
 */
public final class RateSchedule {

  static final long NANOS = 1_000_000_000L;

  /** The highest rate accepted, requests per second. */
  static final long MAX_RATE = 1_000_000;

  /** The longest run accepted (warm-up plus measurement), seconds: a day, for soak runs. */
  static final long MAX_SECONDS = 86_400;

  /**
   * The most requests a run may schedule (an hour at {@link #MAX_RATE}): {@code nanos * rate} stays
   * below 2^63 for every offset of such a run, so the arithmetic below is exact.
   */
  static final long MAX_REQUESTS = MAX_RATE * 3_600;

  private final long rate;
  private final int connections;
  private final long warmupNanos;
  private final long endNanos;
  private final long firstMeasured;
  private final long total;

  public RateSchedule(long rate, int connections, long warmupSeconds, long durationSeconds) {
    if (rate < 1 || rate > MAX_RATE) {
      throw new IllegalArgumentException("rate must be 1.." + MAX_RATE + " req/s, was " + rate);
    }
    if (connections < 1) {
      throw new IllegalArgumentException("connections must be at least 1, was " + connections);
    }
    if (warmupSeconds < 0 || durationSeconds < 1 || warmupSeconds + durationSeconds > MAX_SECONDS) {
      throw new IllegalArgumentException(
          "need warm-up >= 0 s, duration >= 1 s and both together <= "
              + MAX_SECONDS
              + " s, was "
              + warmupSeconds
              + " + "
              + durationSeconds);
    }
    if (rate * (warmupSeconds + durationSeconds) > MAX_REQUESTS) {
      throw new IllegalArgumentException(
          "at most "
              + MAX_REQUESTS
              + " requests per run (rate x seconds), was "
              + rate
              + " x "
              + (warmupSeconds + durationSeconds));
    }
    this.rate = rate;
    this.connections = connections;
    this.warmupNanos = warmupSeconds * NANOS;
    this.endNanos = (warmupSeconds + durationSeconds) * NANOS;
    this.firstMeasured = countBefore(warmupNanos);
    this.total = countBefore(endNanos);
  }

  public long rate() {
    return rate;
  }

  public int connections() {
    return connections;
  }

  /** Requests in the whole run (warm-up and measurement). */
  public long total() {
    return total;
  }

  /** Index of the first measured request (the number of warm-up requests). */
  public long firstMeasured() {
    return firstMeasured;
  }

  /** Requests in the measured window. */
  public long measuredCount() {
    return total - firstMeasured;
  }

  /** Whether request {@code i} falls in the measured window. */
  public boolean measured(long i) {
    return i >= firstMeasured && i < total;
  }

  /** Nanoseconds from the start at which request {@code i} is due. */
  public long dueOffsetNanos(long i) {
    if (i < 0) {
      throw new IllegalArgumentException("request index must not be negative, was " + i);
    }
    return Math.multiplyExact(i, NANOS) / rate;
  }

  /** Nanoseconds from the start at which the measured window begins. */
  public long warmupNanos() {
    return warmupNanos;
  }

  /** Nanoseconds from the start at which the last request is due at the latest (end of window). */
  public long endNanos() {
    return endNanos;
  }

  /**
   * How many requests are due once {@code elapsedNanos} have passed since the start: the number of
   * indices {@code i} with {@code dueOffsetNanos(i) <= elapsedNanos}, capped at {@link #total()}.
   */
  public long dueCount(long elapsedNanos) {
    if (elapsedNanos < 0) {
      return 0;
    }
    return Math.min(total, countBefore(Math.min(elapsedNanos, endNanos) + 1));
  }

  /** The connection (0-based) that carries request {@code i}. */
  public int connectionOf(long i) {
    return (int) (i % connections);
  }

  /** The next request on the same connection as {@code i}, or -1 when the run has no more. */
  public long nextOnConnection(long i) {
    long next = i + connections;
    return next < total ? next : -1;
  }

  /** The number of indices {@code i} with {@code dueOffsetNanos(i) < nanos}. */
  private long countBefore(long nanos) {
    if (nanos <= 0) {
      return 0;
    }
    // floor(i * 1e9 / rate) < nanos  <=>  i * 1e9 < nanos * rate  <=>  i < ceil(nanos * rate / 1e9)
    long scaled = Math.multiplyExact(nanos, rate);
    return (scaled + NANOS - 1) / NANOS;
  }
}
