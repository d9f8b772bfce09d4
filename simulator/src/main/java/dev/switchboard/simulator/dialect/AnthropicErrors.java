package dev.switchboard.simulator.dialect;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.api.json.ApiJson;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Anthropic's error bodies, {@code {"type":"error","error":{"type","message"},"request_id"}}: the
 * recorded ones for 400, 404 and 529, written ones for 401, 429, 500 and 503, and for any other
 * status a body of that shape whose {@code error.type} is the one Anthropic documents for it.
 */
final class AnthropicErrors {

  /**
   * The mid-stream error event as recorded ({@code
   * fixtures/anthropic/stream-error-overloaded.sse}).
   */
  static final String OVERLOADED_EVENT =
      "{\"type\":\"error\",\"error\":{\"details\":null,\"type\":\"overloaded_error\","
          + "\"message\":\"Overloaded\"}}";

  private static final Map<Integer, String> BODIES =
      Map.of(
          400, load("error-400-invalid-request.json"),
          401, load("error-401-authentication.json"),
          404, load("error-404-not-found.json"),
          429, load("error-429-rate-limit.json"),
          500, load("error-500-api-error.json"),
          503, load("error-503-overloaded.json"),
          529, load("error-529-overloaded-with-request-id.json"));

  private AnthropicErrors() {}

  static String forStatus(int status) {
    String body = BODIES.get(status);
    return body != null ? body : body(typeFor(status), "Simulated HTTP " + status + " error.");
  }

  /** {@code {"type":"error","error":{"type","message"}}}. */
  static String body(String type, String message) {
    ObjectNode root = ApiJson.object();
    root.put("type", "error");
    ObjectNode error = root.putObject("error");
    error.put("type", type);
    error.put("message", message);
    return ApiJson.string(root);
  }

  static String typeFor(int status) {
    return switch (status) {
      case 400 -> "invalid_request_error";
      case 401 -> "authentication_error";
      case 402 -> "billing_error";
      case 403 -> "permission_error";
      case 404 -> "not_found_error";
      case 413 -> "request_too_large";
      case 429 -> "rate_limit_error";
      case 504 -> "timeout_error";
      case 503, 529 -> "overloaded_error";
      default -> status >= 500 ? "api_error" : "invalid_request_error";
    };
  }

  private static String load(String name) {
    try (InputStream in =
        AnthropicErrors.class.getResourceAsStream("/dev/switchboard/simulator/anthropic/" + name)) {
      if (in == null) {
        throw new IllegalStateException("missing simulator resource " + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
