package dev.switchboard.core.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * A complete answer from one upstream attempt, in canonical form. {@code upstreamId} and {@code
 * upstreamModel} are what the provider reported. {@code stopSequence} is the request's stop string
 * that ended the answer when the upstream says which one did (Anthropic's {@code stop_sequence},
 * the {@code stop_reason} string of vLLM-style OpenAI-compatible servers); null otherwise, and then
 * also when it ended on one without saying so (OpenAI, Gemini).
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
    // Absent from serialised answers when unknown (golden files, cached answers).
    @JsonInclude(JsonInclude.Include.NON_NULL) String stopSequence) {

  public LlmResponse {
    toolCalls = toolCalls == null ? List.of() : List.copyOf(toolCalls);
    usage = usage == null ? Usage.ZERO : usage;
  }

  /** An answer that names no stop string. */
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
        null);
  }
}
