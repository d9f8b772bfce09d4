package dev.switchboard.api.chat;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.math.BigDecimal;

/**
 * The response {@code usage}: integer token counts, {@code cost} in USD (exact decimal, written as
 * a plain JSON number), the details objects of the 2026 wire.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Usage(
    long promptTokens,
    long completionTokens,
    long totalTokens,
    BigDecimal cost,
    Boolean isByok,
    PromptTokensDetails promptTokensDetails,
    CostDetails costDetails,
    CompletionTokensDetails completionTokensDetails,
    ServerToolUseDetails serverToolUseDetails) {

  /** Usage without server tools. */
  public Usage(
      long promptTokens,
      long completionTokens,
      long totalTokens,
      BigDecimal cost,
      Boolean isByok,
      PromptTokensDetails promptTokensDetails,
      CostDetails costDetails,
      CompletionTokensDetails completionTokensDetails) {
    this(
        promptTokens,
        completionTokens,
        totalTokens,
        cost,
        isByok,
        promptTokensDetails,
        costDetails,
        completionTokensDetails,
        null);
  }

  /** The same usage with {@code cost_details} set. */
  public Usage withCostDetails(CostDetails details) {
    return new Usage(
        promptTokens,
        completionTokens,
        totalTokens,
        cost,
        isByok,
        promptTokensDetails,
        details,
        completionTokensDetails,
        serverToolUseDetails);
  }

  /**
   * What the gateway's server tools did for this answer: the calls the model asked for, the calls
   * run, and how many of them were web searches (the {@code web} plugin's search counts too).
   */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record ServerToolUseDetails(
      int toolCallsRequested, int toolCallsExecuted, int webSearchRequests) {}

  /**
   * Prompt-side details. {@code cache_write_tokens} is left out (null) where the serving endpoint
   * has no cache-write price (checklist 32).
   */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record PromptTokensDetails(
      long cachedTokens,
      @JsonInclude(JsonInclude.Include.NON_NULL) Long cacheWriteTokens,
      long audioTokens,
      long videoTokens) {

    /** These details without {@code cache_write_tokens}. */
    public PromptTokensDetails withoutCacheWrites() {
      return new PromptTokensDetails(cachedTokens, null, audioTokens, videoTokens);
    }
  }

  /** The same usage with other prompt-side details. */
  public Usage withPromptTokensDetails(PromptTokensDetails details) {
    return new Usage(
        promptTokens,
        completionTokens,
        totalTokens,
        cost,
        isByok,
        details,
        costDetails,
        completionTokensDetails,
        serverToolUseDetails);
  }

  /** Completion-side details. */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record CompletionTokensDetails(long reasoningTokens, long imageTokens, long audioTokens) {}

  /** Split of the upstream cost. {@code upstream_inference_cost} is null for non-BYOK calls. */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  @JsonInclude(JsonInclude.Include.ALWAYS)
  public record CostDetails(
      BigDecimal upstreamInferenceCost,
      BigDecimal upstreamInferencePromptCost,
      BigDecimal upstreamInferenceCompletionsCost) {}
}
