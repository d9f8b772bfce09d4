package dev.switchboard.api.generation;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.math.BigDecimal;

/** {@code GET /generation?id=}: the stored record of one generation (reference §10). */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.ALWAYS)
public record GenerationData(
    String id,
    String upstreamId,
    String requestId,
    BigDecimal totalCost,
    BigDecimal usage,
    BigDecimal upstreamInferenceCost,
    BigDecimal cacheDiscount,
    String createdAt,
    String model,
    Long appId,
    String origin,
    String httpReferer,
    String userAgent,
    String externalUser,
    Boolean streamed,
    Boolean cancelled,
    String providerName,
    Long latency,
    Long moderationLatency,
    Long generationTime,
    String finishReason,
    String nativeFinishReason,
    Long tokensPrompt,
    Long tokensCompletion,
    Long nativeTokensPrompt,
    Long nativeTokensCompletion,
    Long nativeTokensCompletionImages,
    Long nativeTokensReasoning,
    Long nativeTokensCached,
    Long numMediaPrompt,
    Long numMediaCompletion,
    Long numInputAudioPrompt,
    Long numSearchResults,
    boolean isByok,
    String apiType,
    String sessionId,
    JsonNode providerResponses,
    String presetId,
    String router,
    String webSearchEngine,
    String responseCacheSourceId) {}
