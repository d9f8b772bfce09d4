package dev.switchboard.provider.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.core.error.FailureClass;
import dev.switchboard.core.error.GatewayError;
import dev.switchboard.core.error.UpstreamBodies;
import dev.switchboard.core.provider.Target;
import dev.switchboard.core.provider.UpstreamResponse;
import java.util.Locale;

/**
 * Classifies Anthropic failures, once, from the status and the envelope {@code
 * {"type":"error","error":{"type","message"},"request_id"}}. The message is OpenRouter's {@code
 * "Provider returned error"}; {@code providerCode} is {@code error.type}; {@code raw} the body
 * (truncated; for an in-stream error, the event's JSON).
 *
 * <p>Rendered status, as for the OpenAI dialect: {@code invalid_request_error} 400 stays 400 (a
 * prompt that is too long is {@code CONTEXT_TOO_LONG}; "credit balance is too low" is our account's
 * quota, 502); {@code authentication_error}/{@code permission_error} (401/403) and {@code
 * billing_error} become 502 (our upstream key or account, not the caller's); {@code
 * not_found_error} 404 stays 404; {@code rate_limit_error} 429 stays 429 with {@code Retry-After};
 * {@code api_error} and other 5xx become 502; {@code overloaded_error} (529) becomes 503. In a
 * stream, where there is no status, the error type decides alone.
 */
final class AnthropicErrors {

  private AnthropicErrors() {}

  /** A non-2xx response, or a 2xx whose body is an error envelope. */
  static GatewayError classify(UpstreamResponse response, Target target) {
    String text = response.bodyText();
    JsonNode root = UpstreamBodies.jsonObject(response.body());
    JsonNode error = root == null ? null : root.get("error");
    if (error != null && !error.isObject()) {
      error = null;
    }
    int status = response.status();
    if (root == null && !speaksForItself(status)) {
      return UpstreamBodies.badResponse(target.providerName(), text);
    }
    if (status >= 200 && status < 300) {
      if (error == null) {
        return UpstreamBodies.badResponse(target.providerName(), text);
      }
      status = 0; // an error envelope in a 200: the type decides
    }
    Long retryAfter = UpstreamBodies.retryAfterSeconds(response.header("retry-after"));
    return build(status, error, text, retryAfter, target);
  }

  /** {@code event: error} inside a 200 stream: {@code {"type":"error","error":{...}}}. */
  static GatewayError classifyInStream(JsonNode root, String raw, Target target) {
    JsonNode error = root.get("error");
    return build(0, error != null && error.isObject() ? error : null, raw, null, target);
  }

  private static GatewayError build(
      int status, JsonNode error, String raw, Long retryAfter, Target target) {
    String type = error == null ? null : AnthropicWire.text(error, "type");
    String message = error == null ? null : AnthropicWire.text(error, "message");
    FailureClass kind = kind(status, type, message);
    boolean retryable =
        kind == FailureClass.UPSTREAM_RATE_LIMITED || kind == FailureClass.UPSTREAM_OVERLOADED;
    return GatewayError.upstream(
        kind,
        kind.httpStatus(),
        target.providerName(),
        type,
        UpstreamBodies.truncate(raw),
        retryable ? retryAfter : null);
  }

  private static FailureClass kind(int status, String type, String message) {
    String lower = message == null ? "" : message.toLowerCase(Locale.ROOT);
    if (lower.contains("prompt is too long")
        || lower.contains("context window")
        || lower.contains("exceed context limit")) {
      return FailureClass.CONTEXT_TOO_LONG;
    }
    if (lower.contains("credit balance is too low")) {
      return FailureClass.UPSTREAM_QUOTA;
    }
    if (type != null) {
      switch (type) {
        case "invalid_request_error", "request_too_large" -> {
          return FailureClass.UPSTREAM_INVALID_REQUEST;
        }
        case "authentication_error", "permission_error" -> {
          return FailureClass.UPSTREAM_CREDENTIAL;
        }
        case "billing_error" -> {
          return FailureClass.UPSTREAM_QUOTA;
        }
        case "not_found_error" -> {
          return FailureClass.UPSTREAM_MODEL_UNAVAILABLE;
        }
        case "rate_limit_error" -> {
          return FailureClass.UPSTREAM_RATE_LIMITED;
        }
        case "overloaded_error" -> {
          return FailureClass.UPSTREAM_OVERLOADED;
        }
        case "api_error", "timeout_error" -> {
          return status == 0 || status >= 500
              ? FailureClass.UPSTREAM_TRANSIENT
              : FailureClass.ofUpstreamStatus(status);
        }
        default -> {
          // an unknown type: the status decides
        }
      }
    }
    return status == 0 ? FailureClass.UPSTREAM_TRANSIENT : FailureClass.ofUpstreamStatus(status);
  }

  private static boolean speaksForItself(int status) {
    return status == 401
        || status == 403
        || status == 408
        || status == 429
        || status == 529
        || status >= 500;
  }
}
