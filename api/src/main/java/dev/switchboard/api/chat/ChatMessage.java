package dev.switchboard.api.chat;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.switchboard.api.json.ApiJson;
import java.util.List;
import java.util.Map;

/**
 * One message of a chat request: {@code system}, {@code developer}, {@code user}, {@code assistant}
 * or {@code tool}. {@code content} is a string, an array of content parts, or null; it stays a JSON
 * tree here and the codec reads it into typed parts.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ChatMessage(
    String role,
    JsonNode content,
    String name,
    List<ToolCall> toolCalls,
    String toolCallId,
    String reasoning,
    String reasoningContent,
    JsonNode reasoningDetails,
    String refusal,
    @JsonAnySetter @JsonProperty(ApiJson.EXTRA) Map<String, JsonNode> extra) {

  public ChatMessage {
    extra = ApiJson.extra(extra);
  }

  @JsonAnyGetter
  @Override
  public Map<String, JsonNode> extra() {
    return extra;
  }
}
