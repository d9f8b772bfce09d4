package dev.switchboard.server.plugins;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.api.json.ApiJson;
import dev.switchboard.core.model.LlmRequest;
import dev.switchboard.core.model.LlmResponse;

/**
 * The {@code response-healing} plugin (checklist 101): a non-streaming answer to a {@code
 * json_object} or {@code json_schema} request whose text is not valid JSON is repaired ({@link
 * JsonRepair}) when it can be; an answer that is valid JSON, or cannot be repaired, is left as it
 * came. Streams are never changed (the text is already with the client).
 */
final class ResponseHealing implements Plugin {

  static final String ID = "response-healing";

  @Override
  public void check(String at, JsonNode item, LlmRequest request) {
    PluginRegistry.allowOnly(at, item, java.util.Set.of());
  }

  @Override
  public java.util.concurrent.CompletionStage<LlmResponse> afterModel(
      dev.switchboard.server.pipeline.Exchange ex, LlmResponse answer, JsonNode item) {
    return java.util.concurrent.CompletableFuture.completedFuture(
        applies(ex.request()) ? heal(answer) : answer);
  }

  static boolean applies(LlmRequest request) {
    return !request.stream()
        && PluginOptions.enabled(request.plugins(), ID) != null
        && request.responseFormat() != null
        && (request.responseFormat().type().equals("json_object")
            || request.responseFormat().type().equals("json_schema"));
  }

  static LlmResponse heal(LlmResponse answer) {
    String text = answer.content();
    if (text == null || text.isBlank()) {
      return answer;
    }
    try {
      ApiJson.mapper().readTree(text);
      if (text.strip().startsWith("{") || text.strip().startsWith("[")) {
        return answer;
      }
    } catch (Exception notJson) {
      // repaired below
    }
    JsonNode repaired = JsonRepair.parse(text);
    if (repaired == null) {
      return answer;
    }
    return answer.withContent(ApiJson.string(repaired));
  }
}
