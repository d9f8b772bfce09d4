package dev.switchboard.simulator.dialect;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Gemini's error bodies, Google's RPC status shape {@code {"error":{"code","message","status"}}}:
 * the recorded ones for 400 ({@code INVALID_ARGUMENT}), 404 ({@code NOT_FOUND}) and 429 ({@code
 * RESOURCE_EXHAUSTED} with {@code RetryInfo}), written ones for 401, 403, 500, 503 and 504, and a
 * generic body for any other status.
 */
final class GeminiErrors {

  private static final Map<Integer, String> BODIES =
      Map.of(
          400, load("error-400-invalid-argument.json"),
          404, load("error-404-model-not-found.json"),
          429, load("error-429-resource-exhausted.json"),
          401,
              body(
                  401,
                  "Request had invalid authentication credentials. Expected OAuth 2 access token,"
                      + " login cookie or other valid authentication credential.",
                  "UNAUTHENTICATED"),
          403,
              body(
                  403,
                  "Method doesn't allow unregistered callers (callers without established"
                      + " identity). Please use API Key or other form of API consumer identity to"
                      + " call this API.",
                  "PERMISSION_DENIED"),
          500,
              body(
                  500,
                  "An internal error has occurred. Please retry or report in"
                      + " https://developers.generativeai.google/guide/troubleshooting",
                  "INTERNAL"),
          503, body(503, "The model is overloaded. Please try again later.", "UNAVAILABLE"),
          504, body(504, "The request timed out. Please try again.", "DEADLINE_EXCEEDED"));

  private GeminiErrors() {}

  static String forStatus(int status) {
    String body = BODIES.get(status);
    return body != null
        ? body
        : body(status, "Simulated HTTP " + status + " error.", rpcStatus(status));
  }

  /** Google's RPC status name for an HTTP status. */
  static String rpcStatus(int status) {
    return switch (status) {
      case 400 -> "INVALID_ARGUMENT";
      case 401 -> "UNAUTHENTICATED";
      case 403 -> "PERMISSION_DENIED";
      case 404 -> "NOT_FOUND";
      case 409 -> "ABORTED";
      case 429 -> "RESOURCE_EXHAUSTED";
      case 499 -> "CANCELLED";
      case 501 -> "UNIMPLEMENTED";
      case 503 -> "UNAVAILABLE";
      case 504 -> "DEADLINE_EXCEEDED";
      default -> status >= 500 ? "INTERNAL" : "FAILED_PRECONDITION";
    };
  }

  /** {@code {"error": {"code": ...,"message": "...","status": "..."}}}, Google's spacing. */
  static String body(int code, String message, String status) {
    StringBuilder out = new StringBuilder(96 + message.length());
    out.append("{\"error\": {\"code\": ").append(code).append(",\"message\": \"");
    JsonStringEncoder.getInstance().quoteAsString(message, out);
    return out.append("\",\"status\": \"").append(status).append("\"}}").toString();
  }

  private static String load(String name) {
    try (InputStream in =
        GeminiErrors.class.getResourceAsStream("/dev/switchboard/simulator/google/" + name)) {
      if (in == null) {
        throw new IllegalStateException("missing simulator resource " + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
