package dev.switchboard.server.routing;

import dev.switchboard.core.error.FailureClass;
import dev.switchboard.core.error.GatewayError;

/**
 * What to do after a failed attempt, decided by its failure class (house style 3.6):
 *
 * <ul>
 *   <li>Caller faults and content filters stop at once: another provider would answer the same.
 *   <li>A context-length error skips the model's other endpoints and goes on with the next model
 *       (checklist 75).
 *   <li>Transient failures, overloads and rate limits move on to the next candidate; when none is
 *       left they retry the same endpoint, at most {@code maxRetries} times, after an exponential
 *       backoff with jitter or the upstream's {@code Retry-After} when it asks for no more than
 *       {@code maxRetryAfterMs}.
 *   <li>Other upstream failures (credentials, model unavailable, bad responses, time-outs) move on.
 * </ul>
 *
 * Nothing is retried or fallen back once a stream's first byte reached the client; that check is
 * the relay's.
 */
public record AttemptPolicy(int maxRetries, long baseBackoffMs, long maxRetryAfterMs) {

  public static final AttemptPolicy DEFAULT = new AttemptPolicy(1, 100, 5_000);

  /**
   * The decision: stop, move on (to the next model or the next candidate), or retry after a delay.
   */
  public sealed interface Decision {
    /** Give up; render this attempt's error. */
    record Stop() implements Decision {}

    /** Try the next candidate. */
    record Next() implements Decision {}

    /** Skip the remaining endpoints of this model. */
    record NextModel() implements Decision {}

    /** Try the same endpoint again after {@code delayMs}. */
    record Retry(long delayMs) implements Decision {}
  }

  /**
   * @param error the failure
   * @param retriesSoFar how often this endpoint was already retried for this request
   * @param othersLeft whether untried candidates remain
   * @param jitter a number in [0, 1) for the backoff jitter
   */
  public Decision decide(GatewayError error, int retriesSoFar, boolean othersLeft, double jitter) {
    FailureClass kind = error.kind();
    if (kind == FailureClass.CONTEXT_TOO_LONG) {
      return othersLeft ? new Decision.NextModel() : new Decision.Stop();
    }
    if (othersLeft && kind.triesNextCandidate()) {
      return new Decision.Next();
    }
    if (kind.retriesSameEndpoint() && retriesSoFar < maxRetries) {
      Long retryAfter = error.retryAfterSeconds();
      if (retryAfter != null) {
        long ms = retryAfter * 1000;
        return ms <= maxRetryAfterMs ? new Decision.Retry(ms) : new Decision.Stop();
      }
      long backoff = baseBackoffMs << retriesSoFar;
      return new Decision.Retry(backoff + (long) (jitter * backoff));
    }
    return new Decision.Stop();
  }
}
