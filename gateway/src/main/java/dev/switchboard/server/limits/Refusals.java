package dev.switchboard.server.limits;

import dev.switchboard.core.error.FailureClass;
import dev.switchboard.core.error.GatewayError;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The error bodies admission answers with, in OpenRouter's words where it has them (reference §2.2,
 * §12.1): the 402 of a request the caller cannot afford, the 402 of a non-positive balance, the
 * retryable 402 of a budget that requests in flight fill, the 403 {@code Request blocked: ...} of a
 * spent policy budget or a refused model, and the 429 of a rate limit with its {@code
 * X-RateLimit-*} and {@code Retry-After} headers copied into {@code error.metadata.headers}.
 */
public final class Refusals {

  private Refusals() {}

  /** The balance is at or below zero: every request is refused, free ones too (checklist 50). */
  public static Refusal noCredits(BigDecimal credits, BigDecimal usage) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("limit_source", LimitSource.CREDITS.wire());
    m.put("limit_usd", credits);
    m.put("spend_usd", usage);
    return new Refusal(
        error(
            FailureClass.INSUFFICIENT_CREDITS,
            402,
            "Insufficient credits. Add more with POST /api/v1/credits (management key).",
            m,
            null));
  }

  /**
   * The budget {@code s} names cannot take the request's worst case: a 402 with OpenRouter's
   * message (credits, key limit) or a 403 {@code Request blocked} (guardrail, user, session); or,
   * when only the reservations in flight fill it, a retryable 402.
   */
  public static Refusal shortOf(
      BudgetCounters.Short s, WorstCase worst, Instant now, long inFlightRetryAfterSeconds) {
    BudgetLine line = s.line();
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("limit_usd", line.limit());
    m.put("spend_usd", s.spent());
    Instant resets = line.window().resetsAt(now);
    if (resets != null) {
      m.put("resets_at", resets.toString());
    }
    if (line.sourceId() != null) {
      m.put("guardrail_id", line.sourceId());
    }
    if (s.inFlight()) {
      m.put("limit_source", LimitSource.IN_FLIGHT.wire());
      m.put("budget", line.source().wire());
      m.put("reserved_usd", s.reserved());
      m.put("requested_usd", s.amount());
      return new Refusal(
          error(
              FailureClass.INSUFFICIENT_CREDITS,
              402,
              "Requests in flight have reserved the rest of the "
                  + describe(line)
                  + "; retry when they finish.",
              m,
              inFlightRetryAfterSeconds));
    }
    m.put("limit_source", line.source().wire());
    BigDecimal left = line.limit().subtract(s.spent());
    if (left.signum() < 0) {
      left = BigDecimal.ZERO;
    }
    if (line.source().status() == 403) {
      return new Refusal(
          error(
              FailureClass.FORBIDDEN,
              403,
              "Request blocked: the "
                  + describe(line)
                  + " of $"
                  + line.limit().stripTrailingZeros().toPlainString()
                  + " cannot cover this request (spent $"
                  + s.spent().stripTrailingZeros().toPlainString()
                  + ", worst case $"
                  + s.amount().stripTrailingZeros().toPlainString()
                  + ")",
              m,
              null));
    }
    long affordable = worst.affordableOutputTokens(left);
    String hint =
        line.source() == LimitSource.CREDITS
            ? "To increase, add credits with POST /api/v1/credits (management key)"
            : "To increase, raise this key's limit with PATCH /api/v1/keys/{hash} (management"
                + " key)";
    String message;
    if (affordable == 0 && worst.promptCost().compareTo(left) > 0) {
      message =
          "Prompt tokens limit exceeded: "
              + worst.promptTokens()
              + " > "
              + worst.affordablePromptTokens(left)
              + ". "
              + hint;
    } else {
      message =
          "This request requires more credits, or fewer max_tokens. You requested up to "
              + worst.outputTokens()
              + " tokens, but can only afford "
              + affordable
              + ". "
              + hint;
    }
    m.put("requested_tokens", worst.outputTokens());
    m.put("affordable_tokens", affordable);
    return new Refusal(error(FailureClass.INSUFFICIENT_CREDITS, 402, message, m, null));
  }

  /** A guardrail does not allow the model (or any of the fallbacks). */
  public static Refusal modelBlocked(String model, String guardrailId, String guardrailName) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("limit_source", LimitSource.GUARDRAIL.wire());
    m.put("guardrail_id", guardrailId);
    return new Refusal(
        error(
            FailureClass.FORBIDDEN,
            403,
            "Request blocked: model "
                + model
                + " is not allowed by guardrail \""
                + guardrailName
                + "\"",
            m,
            null));
  }

  /**
   * A 429 of a rate limit: {@code X-RateLimit-Limit}, {@code -Remaining}, {@code -Reset} (epoch ms)
   * and {@code Retry-After} in {@code error.metadata.headers} (checklist 59, 60).
   */
  public static Refusal rateLimited(String message, String limitSource, RateLimiter.Verdict v) {
    Map<String, Object> headers = new LinkedHashMap<>();
    headers.put("X-RateLimit-Limit", Long.toString(v.limit()));
    headers.put("X-RateLimit-Remaining", Long.toString(Math.max(0, v.remaining())));
    headers.put("X-RateLimit-Reset", Long.toString(v.resetAtMs()));
    headers.put("Retry-After", Long.toString(v.retryAfterSeconds()));
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("headers", headers);
    m.put("limit_source", limitSource);
    return new Refusal(error(FailureClass.RATE_LIMITED, 429, message, m, v.retryAfterSeconds()));
  }

  /**
   * The shared store of a cluster's limits (Redis) cannot be reached: a request that a limit
   * applies to is refused with a retryable 503 rather than admitted unchecked (limits fail closed).
   */
  public static Refusal unavailable(String reason) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("limit_source", "cluster");
    m.put("unavailable", "redis");
    return new Refusal(
        error(
            FailureClass.GATEWAY_BUSY,
            503,
            "Limits are unavailable: the cluster's Redis cannot be reached ("
                + reason
                + "), so a request that a limit or rate limit applies to cannot be admitted."
                + " Retry shortly.",
            m,
            1L));
  }

  private static String describe(BudgetLine line) {
    String window = line.window().wire() == null ? "" : line.window().wire() + " ";
    return switch (line.source()) {
      case CREDITS -> "organisation's credit balance";
      case KEY_LIMIT -> "key's " + window + "limit";
      case GUARDRAIL -> window + "budget of guardrail \"" + line.sourceName() + "\"";
      case USER_BUDGET -> window + "budget of user \"" + line.holder().id() + "\"";
      case SESSION_BUDGET -> window + "budget of session \"" + line.holder().id() + "\"";
      case IN_FLIGHT -> "budget";
    };
  }

  private static GatewayError error(
      FailureClass kind, int status, String message, Map<String, Object> metadata, Long retry) {
    return new GatewayError(kind, status, message, null, null, null, retry, metadata, null);
  }
}
