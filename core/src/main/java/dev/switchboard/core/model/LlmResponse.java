package dev.switchboard.core.model;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * A complete answer from one upstream attempt, in canonical form. {@code upstreamId} and {@code
 * upstreamModel} are what the provider reported.
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
    JsonNode annotations) {

  public LlmResponse {
    toolCalls = toolCalls == null ? List.of() : List.copyOf(toolCalls);
    usage = usage == null ? Usage.ZERO : usage;
  }
}
