package dev.switchboard.server.routing;

import dev.switchboard.core.error.FailureClass;
import dev.switchboard.server.stats.LiveStats;

/** Feeds the live stats with the outcome of each attempt. */
public final class Outcomes {

  private Outcomes() {}

  /**
   * What a successful attempt tells about its endpoint's speed: a latency (time to first token) and
   * an output rate in tokens per second (0 when it cannot tell).
   */
  public record Sample(long latencyMs, double tokensPerSecond) {

    /**
     * A streamed answer: latency is the time to the first event; the rate counts the tokens after
     * the first over the time after the first.
     */
    public static Sample streamed(long ttftMs, long generationMs, long completionTokens) {
      double tps =
          generationMs > ttftMs && completionTokens > 1
              ? (completionTokens - 1) * 1000.0 / (generationMs - ttftMs)
              : 0;
      return new Sample(ttftMs, tps);
    }

    /**
     * A whole (non-streamed) answer, which cannot tell when its first token came: latency is the
     * time to the response head (for most upstreams, which send the head with the body, the whole
     * generation); the rate counts every token over the whole upstream time, prompt processing
     * included, so it is a lower bound of the streamed rate.
     */
    public static Sample whole(long headMs, long generationMs, long completionTokens) {
      double tps =
          generationMs > 0 && completionTokens > 0 ? completionTokens * 1000.0 / generationMs : 0;
      return new Sample(headMs, tps);
    }
  }

  /** A success: its latency and output rate, and the circuit breaker closes. */
  public static void success(LiveStats stats, Candidate c, Sample sample) {
    stats
        .of(c.model().id(), c.endpoint().provider())
        .success(stats.nowMs(), sample.latencyMs(), sample.tokensPerSecond());
  }

  /** A failure, counted by its class: rate limits apart, the caller's own errors not at all. */
  public static void failure(LiveStats stats, Candidate c, FailureClass kind) {
    var s = stats.of(c.model().id(), c.endpoint().provider());
    switch (kind) {
      case UPSTREAM_RATE_LIMITED, UPSTREAM_QUOTA -> s.rateLimited(stats.nowMs());
      case UPSTREAM_TRANSIENT,
          UPSTREAM_OVERLOADED,
          UPSTREAM_BAD_RESPONSE,
          UPSTREAM_CREDENTIAL,
          UPSTREAM_MODEL_UNAVAILABLE,
          TIMEOUT ->
          s.failure(stats.nowMs());
      case INVALID_REQUEST,
          UNAUTHENTICATED,
          INSUFFICIENT_CREDITS,
          FORBIDDEN,
          NOT_FOUND,
          PAYLOAD_TOO_LARGE,
          UNSUPPORTED_MEDIA_TYPE,
          RATE_LIMITED,
          CLIENT_CLOSED,
          UPSTREAM_INVALID_REQUEST,
          CONTEXT_TOO_LONG,
          ENDPOINT_LACKS_FEATURE,
          CONTENT_FILTERED,
          NO_ROUTE,
          GATEWAY_BUSY,
          SHUTTING_DOWN,
          INTERNAL -> {}
    }
  }
}
