package dev.switchboard.core.error;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.api.json.ApiJson;
import java.io.IOException;

/**
 * Small helpers for reading upstream answers, shared by the adapters: parsing a body that should be
 * a JSON object, reading a textual field, a {@code Retry-After} value, the body kept as {@code raw}
 * and the error for an answer that is not the dialect's at all. Classification is not here: each
 * adapter's {@code XxxErrors} decides the {@link FailureClass} from what its upstream says.
 */
public final class UpstreamBodies {

  /** The most of an upstream body kept in {@link GatewayError#raw()}. */
  public static final int MAX_RAW = 4096;

  private UpstreamBodies() {}

  /**
   * Whole or fractional seconds ({@code Retry-After}, {@code retry-after-ms}, {@code "34.4"}),
   * rounded up; blank, an HTTP date or garbage gives null.
   */
  public static Long retryAfterSeconds(String value) {
    if (value == null || value.isBlank()) {
      return null;
    }
    String trimmed = value.trim();
    for (int i = 0; i < trimmed.length(); i++) {
      char c = trimmed.charAt(i);
      if ((c < '0' || c > '9') && c != '.') {
        return null;
      }
    }
    try {
      return (long) Math.ceil(Double.parseDouble(trimmed));
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /** {@code raw} cut to {@link #MAX_RAW} characters, with {@code …} when it was longer. */
  public static String truncate(String raw) {
    if (raw == null) {
      return null;
    }
    return raw.length() <= MAX_RAW ? raw : raw.substring(0, MAX_RAW) + "…";
  }

  /** The body as a JSON object; null when it is empty, not JSON, or JSON but not an object. */
  public static JsonNode jsonObject(byte[] body) {
    if (body == null || body.length == 0) {
      return null;
    }
    try {
      JsonNode root = ApiJson.tree(body);
      return root != null && root.isObject() ? root : null;
    } catch (IOException e) {
      return null;
    }
  }

  /** A stream event's data as a JSON object; null when it is not JSON or not an object. */
  public static JsonNode jsonObject(String data) {
    try {
      JsonNode root = ApiJson.tree(data);
      return root != null && root.isObject() ? root : null;
    } catch (IOException e) {
      return null;
    }
  }

  /** The field's value when it is a JSON string; null when absent, not a string, or no node. */
  public static String text(JsonNode node, String field) {
    JsonNode value = node == null ? null : node.get(field);
    return value != null && value.isTextual() ? value.textValue() : null;
  }

  /**
   * Something that is not the dialect's answer at all (a proxy's HTML page, a wrong base URL,
   * malformed JSON): {@code UPSTREAM_BAD_RESPONSE} with the body, truncated, as {@code raw}.
   */
  public static GatewayError badResponse(String provider, String raw) {
    return GatewayError.upstream(
        FailureClass.UPSTREAM_BAD_RESPONSE,
        FailureClass.UPSTREAM_BAD_RESPONSE.httpStatus(),
        provider,
        null,
        truncate(raw),
        null);
  }
}
