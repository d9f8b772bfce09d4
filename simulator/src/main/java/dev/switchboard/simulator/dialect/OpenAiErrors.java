package dev.switchboard.simulator.dialect;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.api.json.ApiJson;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * OpenAI's error bodies: the recorded ones for 400 (context length), 401 (invalid key), 404 (model
 * not found) and 429 (rate limit), written ones in the same shape for 500, 502, 503 and 529, and a
 * generic body of that shape for any other status.
 */
final class OpenAiErrors {

  /** OpenAI's answer to a body that is not JSON. */
  static final String UNPARSABLE_JSON =
      "We could not parse the JSON body of your request. (HINT: This likely means you aren't using"
          + " your HTTP library correctly. The OpenAI API expects a JSON payload, but what was sent"
          + " was not valid JSON. If you have trouble figuring out how to fix this, please contact"
          + " us through our help center at help.openai.com.)";

  private static final Map<Integer, String> BODIES =
      Map.of(
          400, load("error-400-context-length-exceeded.json"),
          401, load("error-401-invalid-api-key.json"),
          404, load("error-404-model-not-found.json"),
          429, load("error-429-rate-limit-exceeded.json"),
          500, load("error-500-server-error.json"),
          502, load("error-502-bad-gateway.json"),
          503, load("error-503-overloaded.json"),
          529, load("error-529-overloaded.json"));

  private OpenAiErrors() {}

  static String forStatus(int status) {
    String body = BODIES.get(status);
    return body != null
        ? body
        : body(
            "Simulated HTTP " + status + " error.",
            status >= 500 ? "server_error" : "invalid_request_error",
            null,
            null);
  }

  /** {@code {"error":{"message","type","param","code"}}}. */
  static String body(String message, String type, String param, String code) {
    ObjectNode error = ApiJson.object();
    error.put("message", message);
    error.put("type", type);
    error.put("param", param);
    error.put("code", code);
    ObjectNode root = ApiJson.object();
    root.set("error", error);
    return ApiJson.string(root);
  }

  private static String load(String name) {
    try (InputStream in =
        OpenAiErrors.class.getResourceAsStream("/dev/switchboard/simulator/openai/" + name)) {
      if (in == null) {
        throw new IllegalStateException("missing simulator resource " + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
