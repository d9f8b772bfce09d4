package dev.switchboard.api.chat;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.switchboard.api.json.ApiJson;
import java.util.List;
import java.util.Map;

/**
 * A non-streaming chat completion, as OpenRouter returns it ({@code provider} and {@code
 * native_finish_reason} included) and as OpenAI-dialect upstreams send it.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({
  "id",
  "provider",
  "model",
  "object",
  "created",
  "choices",
  "system_fingerprint",
  "usage"
})
public record ChatCompletion(
    String id,
    String provider,
    String model,
    String object,
    long created,
    List<Choice> choices,
    @JsonInclude(JsonInclude.Include.ALWAYS) String systemFingerprint,
    String serviceTier,
    Usage usage,
    @JsonAnySetter @JsonProperty(ApiJson.EXTRA) Map<String, JsonNode> extra) {

  public ChatCompletion {
    extra = ApiJson.extra(extra);
  }

  @JsonAnyGetter
  @Override
  public Map<String, JsonNode> extra() {
    return extra;
  }

  /** This completion with one more top-level field, e.g. {@code openrouter_metadata}. */
  public ChatCompletion withExtra(String field, JsonNode value) {
    Map<String, JsonNode> more = new java.util.LinkedHashMap<>(extra);
    more.put(field, value);
    return new ChatCompletion(
        id, provider, model, object, created, choices, systemFingerprint, serviceTier, usage, more);
  }

  /** One choice. {@code logprobs} and {@code native_finish_reason} are written even when null. */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonPropertyOrder({"index", "logprobs", "finish_reason", "native_finish_reason", "message"})
  public record Choice(
      int index,
      @JsonInclude(JsonInclude.Include.ALWAYS) JsonNode logprobs,
      @JsonInclude(JsonInclude.Include.ALWAYS) String finishReason,
      @JsonInclude(JsonInclude.Include.ALWAYS) String nativeFinishReason,
      ResponseMessage message,
      JsonNode error) {}

  /** The assistant message of a choice. */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonPropertyOrder({"role", "content", "refusal", "reasoning"})
  public record ResponseMessage(
      String role,
      @JsonInclude(JsonInclude.Include.ALWAYS) String content,
      @JsonInclude(JsonInclude.Include.ALWAYS) String refusal,
      @JsonInclude(JsonInclude.Include.ALWAYS) String reasoning,
      String reasoningContent,
      JsonNode reasoningDetails,
      List<ToolCall> toolCalls,
      JsonNode annotations,
      JsonNode images,
      JsonNode audio) {}
}
