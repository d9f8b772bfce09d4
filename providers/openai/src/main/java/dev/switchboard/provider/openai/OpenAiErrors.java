package dev.switchboard.provider.openai;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.api.json.ApiJson;
import dev.switchboard.core.error.FailureClass;
import dev.switchboard.core.error.GatewayError;
import dev.switchboard.core.error.UpstreamBodies;
import dev.switchboard.core.provider.Target;
import dev.switchboard.core.provider.UpstreamResponse;

/**
 * Classifies OpenAI-dialect failures, once, into a {@link FailureClass} and the status the gateway
 * renders. The message is always OpenRouter's {@code "Provider returned error"}; the upstream body
 * travels in {@code raw} (truncated) and its {@code error.code} (or {@code type}) in {@code
 * providerCode}.
 *
 * <p>Rendered status, following OpenRouter (reference 2.2: upstream error = mapped upstream
 * status): 400 stays 400 (the request is what the upstream refused); 401/403/402 and quota errors
 * become 502 (the gateway's upstream credentials or account, not the caller's, so a client must not
 * read them as "your key" or "add credits"); 404 stays 404 (model unavailable upstream); 408 stays
 * 408; 429 stays 429 with {@code Retry-After}; 500/502/504 and other 5xx become 502; 503 and 529
 * become 503. A body that is not JSON from a 2xx or an unexplained 4xx (an HTML page from a proxy,
 * a wrong base URL) is {@code UPSTREAM_BAD_RESPONSE}, 502; statuses that speak for themselves (401,
 * 403, 408, 429, 5xx) are classified by status even then.
 */
final class OpenAiErrors {

  private static final String MESSAGE = "Provider returned error";

  private OpenAiErrors() {}

  /** A non-2xx response, or a 2xx whose body is an error. */
  static GatewayError classify(UpstreamResponse response, Target target) {
    String text = response.bodyText();
    JsonNode root = UpstreamBodies.jsonObject(response.body());
    int status = response.status();
    JsonNode error = root == null ? null : errorNode(root);
    if (status >= 200 && status < 300) {
      if (error == null) {
        return UpstreamBodies.badResponse(target.providerName(), text);
      }
      int embedded = embeddedStatus(root, error);
      return build(embedded, error, text, retryAfter(response, error), target);
    }
    if (root == null && !speaksForItself(status)) {
      return UpstreamBodies.badResponse(target.providerName(), text);
    }
    return build(status, error, text, retryAfter(response, error), target);
  }

  /**
   * An error reported inside a 200 stream: {@code event: error} (Groq) or a chunk with a top-level
   * {@code error} (OpenRouter). The status comes from {@code error.code} (an integer), {@code
   * error.status_code} or a top-level {@code status_code}; without one, from the code.
   */
  static GatewayError classifyInStream(JsonNode root, String raw, Target target) {
    JsonNode error = errorNode(root);
    Long retryAfter = error == null ? null : bodyRetryAfter(error);
    // A chunk that also carries choices and usage (OpenRouter) keeps only its error as raw.
    String kept =
        root.size() > 1 && root.get("error") != null ? ApiJson.string(root.get("error")) : raw;
    return build(embeddedStatus(root, error), error, kept, retryAfter, target);
  }

  private static GatewayError build(
      int status, JsonNode error, String raw, Long retryAfter, Target target) {
    String code = error == null ? null : code(error);
    FailureClass kind = kind(status, code, error);
    boolean retryable =
        kind == FailureClass.UPSTREAM_RATE_LIMITED || kind == FailureClass.UPSTREAM_OVERLOADED;
    return GatewayError.upstream(
        kind,
        kind.httpStatus(),
        target.providerName(),
        code,
        UpstreamBodies.truncate(raw),
        retryable ? retryAfter : null);
  }

  private static FailureClass kind(int status, String code, JsonNode error) {
    if ("insufficient_quota".equals(code)) {
      return FailureClass.UPSTREAM_QUOTA;
    }
    if (isContextLength(code, error)) {
      return FailureClass.CONTEXT_TOO_LONG;
    }
    if ("content_filter".equals(code) || "content_policy_violation".equals(code)) {
      return FailureClass.CONTENT_FILTERED;
    }
    if (status == 0) {
      if ("rate_limit_exceeded".equals(code)) {
        return FailureClass.UPSTREAM_RATE_LIMITED;
      }
      return FailureClass.UPSTREAM_TRANSIENT;
    }
    return FailureClass.ofUpstreamStatus(status);
  }

  /** OpenAI's code, or the wording OpenAI and vLLM use when there is none. */
  private static boolean isContextLength(String code, JsonNode error) {
    if ("context_length_exceeded".equals(code) || "string_above_max_length".equals(code)) {
      return true;
    }
    String message = error == null ? null : UpstreamBodies.text(error, "message");
    return message != null
        && (message.contains("maximum context length")
            || message.contains("context_length_exceeded"));
  }

  private static boolean speaksForItself(int status) {
    return status == 401 || status == 403 || status == 408 || status == 429 || status >= 500;
  }

  /**
   * The error object: {@code error} when it is an object, the root itself when it looks like one
   * ({@code {"object":"error","message":...}}, vLLM), or a synthetic view of {@code
   * "error":"text"}.
   */
  static JsonNode errorNode(JsonNode root) {
    JsonNode error = root.get("error");
    if (error != null && error.isObject()) {
      return error;
    }
    if (error != null && error.isTextual()) {
      return ApiJson.object().put("message", error.textValue());
    }
    if (root.has("message") && (root.has("type") || root.has("code") || root.has("object"))) {
      return root;
    }
    return null;
  }

  /** The upstream's own code: {@code error.code} when textual, else {@code type}. */
  private static String code(JsonNode error) {
    JsonNode code = error.get("code");
    if (code != null && code.isTextual() && !code.textValue().isEmpty()) {
      return code.textValue();
    }
    String errorType = UpstreamBodies.text(error.path("metadata"), "error_type");
    if (errorType != null) {
      return errorType;
    }
    return UpstreamBodies.text(error, "type");
  }

  /** A status carried inside a body: {@code error.code} as a number, or {@code status_code}. */
  private static int embeddedStatus(JsonNode root, JsonNode error) {
    if (error != null) {
      JsonNode code = error.get("code");
      if (code != null && code.canConvertToInt() && code.isIntegralNumber()) {
        return code.intValue();
      }
      JsonNode statusCode = error.get("status_code");
      if (statusCode != null && statusCode.isIntegralNumber()) {
        return statusCode.intValue();
      }
    }
    JsonNode statusCode = root.get("status_code");
    return statusCode != null && statusCode.isIntegralNumber() ? statusCode.intValue() : 0;
  }

  /** {@code Retry-After} seconds, {@code retry-after-ms}, or OpenRouter's body copy. */
  static Long retryAfter(UpstreamResponse response, JsonNode error) {
    Long seconds = UpstreamBodies.retryAfterSeconds(response.header("retry-after"));
    if (seconds != null) {
      return seconds;
    }
    String millis = response.header("retry-after-ms");
    if (millis != null) {
      Long ms = UpstreamBodies.retryAfterSeconds(millis);
      if (ms != null) {
        return (ms + 999) / 1000;
      }
    }
    return error == null ? null : bodyRetryAfter(error);
  }

  private static Long bodyRetryAfter(JsonNode error) {
    JsonNode value = error.path("metadata").get("retry_after_seconds");
    return value != null && value.isNumber() ? (long) Math.ceil(value.doubleValue()) : null;
  }
}
