package dev.switchboard.core.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * A complete answer from one upstream attempt, in canonical form. {@code upstreamId} and {@code
 * upstreamModel} are what the provider reported. {@code error} ({@code {code, message, metadata}},
 * else null) is set when the provider failed after part of the answer: the finish reason is then
 * {@link FinishReason#ERROR} and the content is what came before the failure. {@code stopSequence}
 * is the request's stop string that ended the answer when the upstream says which one did
 * (Anthropic's {@code stop_sequence}, the {@code stop_reason} string of vLLM-style
 * OpenAI-compatible servers); null otherwise, and then also when it ended on one without saying so
 * (OpenAI, Gemini).
 */
public record LlmResponse(
    String upstreamId,
    String upstreamModel,
    String content,
    String refusal,
    String reasoning,
    JsonNode reasoningDetails,
    List<ToolCall> toolCalls,
    FinishReason finishReason,
    String nativeFinishReason,
    Usage usage,
    JsonNode logprobs,
    String systemFingerprint,
    String serviceTier,
    JsonNode annotations,
    // Absent from serialised answers that did not fail (golden files, records).
    @JsonInclude(JsonInclude.Include.NON_NULL) JsonNode error,
    // Absent from serialised answers when unknown (golden files, cached answers).
    @JsonInclude(JsonInclude.Include.NON_NULL) String stopSequence) {

  public LlmResponse {
    toolCalls = toolCalls == null ? List.of() : List.copyOf(toolCalls);
    usage = usage == null ? Usage.ZERO : usage;
  }

  /** A complete answer (no mid-generation error) that names no stop string. */
  public LlmResponse(
      String upstreamId,
      String upstreamModel,
      String content,
      String refusal,
      String reasoning,
      JsonNode reasoningDetails,
      List<ToolCall> toolCalls,
      FinishReason finishReason,
      String nativeFinishReason,
      Usage usage,
      JsonNode logprobs,
      String systemFingerprint,
      String serviceTier,
      JsonNode annotations) {
    this(
        upstreamId,
        upstreamModel,
        content,
        refusal,
        reasoning,
        reasoningDetails,
        toolCalls,
        finishReason,
        nativeFinishReason,
        usage,
        logprobs,
        systemFingerprint,
        serviceTier,
        annotations,
        null,
        null);
  }

  /** This answer with {@code tier} as the service tier that served it. */
  public LlmResponse withServiceTier(String tier) {
    return copy(content, tier, annotations);
  }

  /** This answer with {@code text} as its content (everything else kept). */
  public LlmResponse withContent(String text) {
    return copy(text, serviceTier, annotations);
  }

  /** This answer with {@code notes} as its annotations (everything else kept). */
  public LlmResponse withAnnotations(JsonNode notes) {
    return copy(content, serviceTier, notes);
  }

  private LlmResponse copy(String text, String tier, JsonNode notes) {
    return new LlmResponse(
        upstreamId,
        upstreamModel,
        text,
        refusal,
        reasoning,
        reasoningDetails,
        toolCalls,
        finishReason,
        nativeFinishReason,
        usage,
        logprobs,
        systemFingerprint,
        tier,
        notes,
        error,
        stopSequence);
  }
}
