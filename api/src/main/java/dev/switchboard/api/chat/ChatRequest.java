package dev.switchboard.api.chat;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.switchboard.api.json.ApiJson;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

/**
 * The body of {@code POST /chat/completions}, OpenAI fields plus OpenRouter's. Every field is
 * nullable: absent means "not set" and stays absent upstream. Fields we do not model land in {@link
 * #extra()} and are passed through to OpenAI-dialect upstreams.
 *
 * <p>Loosely typed members ({@code stop}, {@code tool_choice}, {@code response_format}, {@code
 * provider}, {@code plugins}) are kept as JSON trees: the codec validates and interprets them.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ChatRequest(
    String model,
    List<String> models,
    List<ChatMessage> messages,
    String prompt,
    Boolean stream,
    Integer maxTokens,
    Integer maxCompletionTokens,
    BigDecimal temperature,
    BigDecimal topP,
    Integer topK,
    BigDecimal frequencyPenalty,
    BigDecimal presencePenalty,
    BigDecimal repetitionPenalty,
    BigDecimal minP,
    BigDecimal topA,
    Long seed,
    JsonNode logitBias,
    Boolean logprobs,
    Integer topLogprobs,
    JsonNode stop,
    List<Tool> tools,
    JsonNode toolChoice,
    Boolean parallelToolCalls,
    JsonNode responseFormat,
    String user,
    JsonNode metadata,
    Reasoning reasoning,
    String reasoningEffort,
    Boolean includeReasoning,
    JsonNode provider,
    JsonNode plugins,
    String sessionId,
    JsonNode usage,
    JsonNode streamOptions,
    JsonNode transforms,
    String route,
    JsonNode debug,
    @JsonAnySetter @JsonProperty(ApiJson.EXTRA) Map<String, JsonNode> extra) {

  public ChatRequest {
    extra = ApiJson.extra(extra);
  }

  @JsonAnyGetter
  @Override
  public Map<String, JsonNode> extra() {
    return extra;
  }

  public boolean streaming() {
    return Boolean.TRUE.equals(stream);
  }

  /** Builder-style copy with another model and a fresh body for upstream calls. */
  public ChatRequest withModel(String newModel) {
    return new ChatRequest(
        newModel,
        models,
        messages,
        prompt,
        stream,
        maxTokens,
        maxCompletionTokens,
        temperature,
        topP,
        topK,
        frequencyPenalty,
        presencePenalty,
        repetitionPenalty,
        minP,
        topA,
        seed,
        logitBias,
        logprobs,
        topLogprobs,
        stop,
        tools,
        toolChoice,
        parallelToolCalls,
        responseFormat,
        user,
        metadata,
        reasoning,
        reasoningEffort,
        includeReasoning,
        provider,
        plugins,
        sessionId,
        usage,
        streamOptions,
        transforms,
        route,
        debug,
        extra);
  }
}
