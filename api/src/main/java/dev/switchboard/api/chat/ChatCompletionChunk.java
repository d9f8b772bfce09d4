package dev.switchboard.api.chat;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.switchboard.api.error.ErrorBody;
import dev.switchboard.api.json.ApiJson;
import java.util.List;
import java.util.Map;

/** One {@code chat.completion.chunk} of a stream. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"id", "provider", "model", "object", "created", "choices", "usage", "error"})
public record ChatCompletionChunk(
    String id,
    String provider,
    String model,
    String object,
    long created,
    List<ChunkChoice> choices,
    String systemFingerprint,
    String serviceTier,
    Usage usage,
    ErrorBody error,
    @JsonAnySetter @JsonProperty(ApiJson.EXTRA) Map<String, JsonNode> extra) {

  public ChatCompletionChunk {
    extra = ApiJson.extra(extra);
  }

  @JsonAnyGetter
  @Override
  public Map<String, JsonNode> extra() {
    return extra;
  }

  /** This chunk with one more top-level field, e.g. {@code openrouter_metadata}. */
  public ChatCompletionChunk withExtra(String field, JsonNode value) {
    Map<String, JsonNode> more = new java.util.LinkedHashMap<>(extra);
    more.put(field, value);
    return new ChatCompletionChunk(
        id,
        provider,
        model,
        object,
        created,
        choices,
        systemFingerprint,
        serviceTier,
        usage,
        error,
        more);
  }

  /**
   * A choice of a chunk; {@code finish_reason} and {@code native_finish_reason} are always written.
   */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonPropertyOrder({"index", "delta", "finish_reason", "native_finish_reason", "logprobs"})
  public record ChunkChoice(
      int index,
      Delta delta,
      @JsonInclude(JsonInclude.Include.ALWAYS) String finishReason,
      @JsonInclude(JsonInclude.Include.ALWAYS) String nativeFinishReason,
      @JsonInclude(JsonInclude.Include.ALWAYS) JsonNode logprobs) {}

  /** The delta of a chunk choice. */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonPropertyOrder({"role", "content", "reasoning", "reasoning_details", "tool_calls"})
  public record Delta(
      String role,
      String content,
      String reasoning,
      String reasoningContent,
      JsonNode reasoningDetails,
      List<ToolCall> toolCalls,
      String refusal,
      JsonNode annotations,
      JsonNode images) {}
}
