package dev.switchboard.core.model;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * A complete answer from one upstream attempt, in canonical form. {@code upstreamId} and {@code
 * upstreamModel} are what the provider reported. {@code error} ({@code {code, message, metadata}},
 * else null) is set when the provider failed after part of the answer: the finish reason is then
 * {@link FinishReason#ERROR} and the content is what came before the failure.
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
    @com.fasterxml.jackson.annotation.JsonInclude(
            com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
        JsonNode error) {

  public LlmResponse {
    toolCalls = toolCalls == null ? List.of() : List.copyOf(toolCalls);
    usage = usage == null ? Usage.ZERO : usage;
  }

  /** A complete answer (no mid-generation error). */
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

  /** This answer with {@code tier} as the service tier that served it. */
  public LlmResponse withServiceTier(String tier) {
    return new LlmResponse(
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
        tier,
        annotations,
        error);
  }
}
