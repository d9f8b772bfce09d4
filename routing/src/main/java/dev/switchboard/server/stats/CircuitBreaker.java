package dev.switchboard.server.stats;

/**
 * A per-endpoint circuit breaker: {@code failureThreshold} consecutive failures open it for {@code
 * openMs}; then it is half-open and lets one probe through at a time; a success closes it, a
 * failure opens it again for twice as long (capped). Not thread-safe: {@link EndpointStats} guards
 * it.
 */
public final class CircuitBreaker {

  /** States of the breaker. */
  public enum State {
    CLOSED,
    OPEN,
    HALF_OPEN
  }

  /** Thresholds: consecutive failures to open, first open time, longest open time. */
  record Settings(int failureThreshold, long openMs, long maxOpenMs) {
    static final Settings DEFAULT = new Settings(5, 10_000, 120_000);
  }

  private final Settings settings;
  private int consecutiveFailures;
  private long openUntilMs;
  private long currentOpenMs;
  private boolean probeInFlight;
  private boolean opened;

  CircuitBreaker(Settings settings) {
    this.settings = settings;
    this.currentOpenMs = settings.openMs();
  }

  State state(long nowMs) {
    if (!opened) {
      return State.CLOSED;
    }
    return nowMs < openUntilMs ? State.OPEN : State.HALF_OPEN;
  }

  boolean tryAcquire(long nowMs) {
    return switch (state(nowMs)) {
      case CLOSED -> true;
      case OPEN -> false;
      case HALF_OPEN -> {
        if (probeInFlight) {
          yield false;
        }
        probeInFlight = true;
        yield true;
      }
    };
  }

  long openUntilMs() {
    return openUntilMs;
  }

  void release() {
    probeInFlight = false;
  }

  void onSuccess(long nowMs) {
    consecutiveFailures = 0;
    probeInFlight = false;
    opened = false;
    currentOpenMs = settings.openMs();
  }

  void onFailure(long nowMs) {
    consecutiveFailures++;
    if (opened && state(nowMs) == State.HALF_OPEN) {
      probeInFlight = false;
      currentOpenMs = Math.min(settings.maxOpenMs(), currentOpenMs * 2);
      openUntilMs = nowMs + currentOpenMs;
    } else if (!opened && consecutiveFailures >= settings.failureThreshold()) {
      opened = true;
      openUntilMs = nowMs + currentOpenMs;
    }
  }
}
