package dev.switchboard.server.routing;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.core.model.LlmRequest;

/**
 * The conversation key for sticky routing (reference §6.9): {@code session_id} in the body, else
 * the {@code x-session-id} header, else {@code prompt_cache_key}. Requests without one are not
 * sticky.
 */
final class SessionKeys {

  private SessionKeys() {}

  static String of(LlmRequest request, String header) {
    if (request.sessionId() != null && !request.sessionId().isBlank()) {
      return "s:" + request.sessionId();
    }
    if (header != null && !header.isBlank()) {
      return "s:" + header.trim();
    }
    JsonNode cacheKey = request.vendorFields().get("prompt_cache_key");
    if (cacheKey != null && cacheKey.isTextual() && !cacheKey.asText().isBlank()) {
      return "p:" + cacheKey.asText();
    }
    return null;
  }
}
