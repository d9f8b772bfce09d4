package dev.switchboard.provider.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.api.json.ApiJson;
import dev.switchboard.core.error.FailureClass;
import dev.switchboard.core.error.GatewayError;
import dev.switchboard.core.error.UpstreamBodies;
import dev.switchboard.core.provider.Target;
import dev.switchboard.core.provider.UpstreamResponse;
import java.util.Locale;

/**
 * Classifies Gemini failures ({@code {"error":{"code","message","status","details"}}}, Google's RPC
 * status shape) into a {@link FailureClass} and the status the gateway renders. The message is
 * always {@code "Provider returned error"}; the body goes in {@code raw} (at most 4096 characters),
 * the RPC {@code status} ({@code RESOURCE_EXHAUSTED}, ...) in {@code providerCode}.
 *
 * <table>
 *   <caption>Classification</caption>
 *   <tr><th>Upstream</th><th>Class</th><th>Rendered</th></tr>
 *   <tr><td>400 with an {@code API_KEY_INVALID} reason or "API key not valid"</td>
 *       <td>UPSTREAM_CREDENTIAL</td><td>502</td></tr>
 *   <tr><td>400 "input token count ... exceeds the maximum"</td><td>CONTEXT_TOO_LONG</td>
 *       <td>400</td></tr>
 *   <tr><td>400 {@code FAILED_PRECONDITION} (region, billing)</td><td>UPSTREAM_CREDENTIAL</td>
 *       <td>502</td></tr>
 *   <tr><td>other 400 ({@code INVALID_ARGUMENT})</td><td>UPSTREAM_INVALID_REQUEST</td>
 *       <td>400</td></tr>
 *   <tr><td>401, 403</td><td>UPSTREAM_CREDENTIAL</td><td>502</td></tr>
 *   <tr><td>402</td><td>UPSTREAM_QUOTA</td><td>502</td></tr>
 *   <tr><td>408</td><td>TIMEOUT</td><td>408</td></tr>
 *   <tr><td>404</td><td>UPSTREAM_MODEL_UNAVAILABLE</td><td>404</td></tr>
 *   <tr><td>429 with a per-day quota and no {@code RetryInfo}</td><td>UPSTREAM_QUOTA</td>
 *       <td>502</td></tr>
 *   <tr><td>other 429</td><td>UPSTREAM_RATE_LIMITED</td>
 *       <td>429, {@code Retry-After} from {@code RetryInfo.retryDelay} or the header</td></tr>
 *   <tr><td>503 (and 529, which a proxy may send)</td><td>UPSTREAM_OVERLOADED</td>
 *       <td>503</td></tr>
 *   <tr><td>500, 504, other 5xx</td><td>UPSTREAM_TRANSIENT</td><td>502</td></tr>
 *   <tr><td>non-JSON 2xx or unexplained 4xx</td><td>UPSTREAM_BAD_RESPONSE</td><td>502</td></tr>
 * </table>
 *
 * Statuses without a Gemini-specific rule fall back to {@link FailureClass#ofUpstreamStatus}.
 */
final class GeminiErrors {

  private static final String RETRY_INFO = "type.googleapis.com/google.rpc.RetryInfo";
  private static final String QUOTA_FAILURE = "type.googleapis.com/google.rpc.QuotaFailure";

  private GeminiErrors() {}

  static GatewayError classify(UpstreamResponse response, Target target) {
    String text = response.bodyText();
    JsonNode root = UpstreamBodies.jsonObject(response.body());
    JsonNode error = root == null ? null : root.get("error");
    if (error != null && !error.isObject()) {
      error = null;
    }
    int status = response.status();
    if (status >= 200 && status < 300) {
      if (error == null) {
        return UpstreamBodies.badResponse(target.providerName(), text);
      }
      status = error.path("code").asInt(0);
    } else if (error == null && !speaksForItself(status)) {
      return UpstreamBodies.badResponse(target.providerName(), text);
    }
    Long retryAfter = UpstreamBodies.retryAfterSeconds(response.header("retry-after"));
    return build(status, error, text, retryAfter, target);
  }

  /** An {@code error} object inside a 200 stream; its {@code code} is the HTTP status. */
  static GatewayError classifyInStream(JsonNode error, Target target) {
    int status = error.isObject() ? error.path("code").asInt(0) : 0;
    return build(status, error.isObject() ? error : null, ApiJson.string(error), null, target);
  }

  private static GatewayError build(
      int status, JsonNode error, String raw, Long headerRetryAfter, Target target) {
    String rpcStatus = error == null ? null : UpstreamBodies.text(error, "status");
    FailureClass kind = kind(status, rpcStatus, error);
    Long retryAfter = null;
    if (kind == FailureClass.UPSTREAM_RATE_LIMITED || kind == FailureClass.UPSTREAM_OVERLOADED) {
      retryAfter = headerRetryAfter != null ? headerRetryAfter : retryDelay(error);
    }
    return GatewayError.upstream(
        kind,
        kind.httpStatus(),
        target.providerName(),
        rpcStatus,
        UpstreamBodies.truncate(raw),
        retryAfter);
  }

  private static FailureClass kind(int status, String rpcStatus, JsonNode error) {
    String message = error == null ? "" : UpstreamBodies.text(error, "message");
    message = message == null ? "" : message.toLowerCase(Locale.ROOT);
    if (status == 400 || "INVALID_ARGUMENT".equals(rpcStatus)) {
      if (hasReason(error, "API_KEY_INVALID") || message.contains("api key not valid")) {
        return FailureClass.UPSTREAM_CREDENTIAL;
      }
      if (message.contains("input token count") && message.contains("exceeds")) {
        return FailureClass.CONTEXT_TOO_LONG;
      }
      if ("FAILED_PRECONDITION".equals(rpcStatus)) {
        return FailureClass.UPSTREAM_CREDENTIAL;
      }
      return FailureClass.UPSTREAM_INVALID_REQUEST;
    }
    if (status == 0) {
      status = statusOf(rpcStatus);
    }
    if (status == 429) {
      return dailyQuota(error) && retryDelay(error) == null
          ? FailureClass.UPSTREAM_QUOTA
          : FailureClass.UPSTREAM_RATE_LIMITED;
    }
    return status == 0 ? FailureClass.UPSTREAM_TRANSIENT : FailureClass.ofUpstreamStatus(status);
  }

  /** The HTTP status an RPC status stands for, when a body has no usable {@code code}. */
  private static int statusOf(String rpcStatus) {
    if (rpcStatus == null) {
      return 0;
    }
    return switch (rpcStatus) {
      case "INVALID_ARGUMENT", "FAILED_PRECONDITION", "OUT_OF_RANGE" -> 400;
      case "UNAUTHENTICATED" -> 401;
      case "PERMISSION_DENIED" -> 403;
      case "NOT_FOUND" -> 404;
      case "RESOURCE_EXHAUSTED" -> 429;
      case "UNAVAILABLE" -> 503;
      case "DEADLINE_EXCEEDED" -> 504;
      default -> 500;
    };
  }

  private static boolean hasReason(JsonNode error, String reason) {
    if (error == null) {
      return false;
    }
    for (JsonNode detail : error.path("details")) {
      if (reason.equals(detail.path("reason").asText())) {
        return true;
      }
    }
    return false;
  }

  private static boolean dailyQuota(JsonNode error) {
    if (error == null) {
      return false;
    }
    for (JsonNode detail : error.path("details")) {
      if (QUOTA_FAILURE.equals(detail.path("@type").asText())) {
        for (JsonNode violation : detail.path("violations")) {
          if (violation.path("quotaId").asText().contains("PerDay")) {
            return true;
          }
        }
      }
    }
    return false;
  }

  /** {@code RetryInfo.retryDelay} ({@code "34.4s"}), rounded up to whole seconds. */
  static Long retryDelay(JsonNode error) {
    if (error == null) {
      return null;
    }
    for (JsonNode detail : error.path("details")) {
      if (RETRY_INFO.equals(detail.path("@type").asText())) {
        String delay = detail.path("retryDelay").asText("");
        if (delay.endsWith("s")) {
          return UpstreamBodies.retryAfterSeconds(delay.substring(0, delay.length() - 1));
        }
      }
    }
    return null;
  }

  private static boolean speaksForItself(int status) {
    return status == 401 || status == 403 || status == 408 || status == 429 || status >= 500;
  }
}
