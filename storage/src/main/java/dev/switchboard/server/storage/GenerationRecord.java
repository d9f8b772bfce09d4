package dev.switchboard.server.storage;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Objects;

/**
 * The stored stats of one generation, served by {@code GET /api/v1/generation?id=} (reference §10,
 * checklist 119). Money is USD at scale {@value Usd#SCALE}; times are milliseconds. Build one with
 * {@link #builder(String)}.
 *
 * @param id {@code gen-...}; the key of {@code GET /generation?id=}
 * @param requestId groups the generations of one API request ({@code req-...}), may be null
 * @param keyHash hash of the key that paid
 * @param upstreamId the provider's own id ({@code chatcmpl-...}), may be null
 * @param model the model that served (or was last tried)
 * @param providerName display name of the provider that served, may be null
 * @param providerSlug slug of that provider, may be null
 * @param createdAt when the request started (microsecond precision)
 * @param totalCost USD charged, scale 9
 * @param upstreamInferenceCost USD the upstream charged for a BYOK request, may be null
 * @param cacheDiscount USD saved by prompt caching (negative for cache writes), may be null
 * @param streamed whether the response was streamed
 * @param cancelled whether the client went away before the end
 * @param latencyMs total time in milliseconds
 * @param generationTimeMs time the upstream spent generating, may be null
 * @param moderationLatencyMs time spent in moderation, may be null
 * @param finishReason normalized finish reason, may be null
 * @param nativeFinishReason the upstream's own finish reason, may be null
 * @param tokensPrompt normalized prompt tokens, may be null
 * @param tokensCompletion normalized completion tokens, may be null
 * @param nativeTokensPrompt prompt tokens in the upstream's tokenizer (billing basis), may be null
 * @param nativeTokensCompletion completion tokens in the upstream's tokenizer, may be null
 * @param nativeTokensCompletionImages image tokens in the completion, may be null
 * @param nativeTokensReasoning reasoning tokens, may be null
 * @param nativeTokensCached cached prompt tokens read, may be null
 * @param numMediaPrompt images and files in the prompt, may be null
 * @param numMediaCompletion images in the completion, may be null
 * @param numInputAudioPrompt audio inputs in the prompt, may be null
 * @param numSearchResults web search results used, may be null
 * @param origin the request's origin, may be null
 * @param httpReferer the {@code HTTP-Referer} header, may be null
 * @param appTitle the {@code X-OpenRouter-Title} / {@code X-Title} header, may be null
 * @param userAgent the {@code User-Agent} header, may be null
 * @param externalUser the request's {@code user} field, may be null
 * @param apiType {@code completions} for chat and text completions
 * @param router the router slug that chose the model ({@code openrouter/auto}), may be null
 * @param sessionId the request's session id, may be null
 * @param isByok whether the user's own provider key was used
 * @param errorStatus HTTP status of a failed generation, null on success
 * @param errorMessage error message of a failed generation, null on success
 * @param presetId the preset the request applied ({@code <slug>@<version>}), may be null
 * @param providerResponses JSON array of every attempt ({@code [{"provider_name":..., "status":...,
 *     "latency":...}]}), may be null
 * @param routingTrace JSON of the routing decision (candidates, the one served, why each other
 *     endpoint was excluded or where it ranked), may be null
 * @param responseCacheSourceId on a response-cache hit, the generation whose answer was replayed;
 *     null for a generation a model produced
 * @param webSearchEngine the web search engine the request used ({@code exa}, {@code native}), may
 *     be null
 */
public record GenerationRecord(
    String id,
    String requestId,
    String keyHash,
    String upstreamId,
    String model,
    String providerName,
    String providerSlug,
    Instant createdAt,
    BigDecimal totalCost,
    BigDecimal upstreamInferenceCost,
    BigDecimal cacheDiscount,
    boolean streamed,
    boolean cancelled,
    long latencyMs,
    Long generationTimeMs,
    Long moderationLatencyMs,
    String finishReason,
    String nativeFinishReason,
    Long tokensPrompt,
    Long tokensCompletion,
    Long nativeTokensPrompt,
    Long nativeTokensCompletion,
    Long nativeTokensCompletionImages,
    Long nativeTokensReasoning,
    Long nativeTokensCached,
    Integer numMediaPrompt,
    Integer numMediaCompletion,
    Integer numInputAudioPrompt,
    Integer numSearchResults,
    String origin,
    String httpReferer,
    String appTitle,
    String userAgent,
    String externalUser,
    String apiType,
    String router,
    String sessionId,
    boolean isByok,
    Integer errorStatus,
    String errorMessage,
    String providerResponses,
    String routingTrace,
    String presetId,
    String responseCacheSourceId,
    String webSearchEngine) {

  /** A record without a preset. */
  public GenerationRecord(
      String id,
      String requestId,
      String keyHash,
      String upstreamId,
      String model,
      String providerName,
      String providerSlug,
      Instant createdAt,
      BigDecimal totalCost,
      BigDecimal upstreamInferenceCost,
      BigDecimal cacheDiscount,
      boolean streamed,
      boolean cancelled,
      long latencyMs,
      Long generationTimeMs,
      Long moderationLatencyMs,
      String finishReason,
      String nativeFinishReason,
      Long tokensPrompt,
      Long tokensCompletion,
      Long nativeTokensPrompt,
      Long nativeTokensCompletion,
      Long nativeTokensCompletionImages,
      Long nativeTokensReasoning,
      Long nativeTokensCached,
      Integer numMediaPrompt,
      Integer numMediaCompletion,
      Integer numInputAudioPrompt,
      Integer numSearchResults,
      String origin,
      String httpReferer,
      String appTitle,
      String userAgent,
      String externalUser,
      String apiType,
      String router,
      String sessionId,
      boolean isByok,
      Integer errorStatus,
      String errorMessage,
      String providerResponses) {
    this(
        id,
        requestId,
        keyHash,
        upstreamId,
        model,
        providerName,
        providerSlug,
        createdAt,
        totalCost,
        upstreamInferenceCost,
        cacheDiscount,
        streamed,
        cancelled,
        latencyMs,
        generationTimeMs,
        moderationLatencyMs,
        finishReason,
        nativeFinishReason,
        tokensPrompt,
        tokensCompletion,
        nativeTokensPrompt,
        nativeTokensCompletion,
        nativeTokensCompletionImages,
        nativeTokensReasoning,
        nativeTokensCached,
        numMediaPrompt,
        numMediaCompletion,
        numInputAudioPrompt,
        numSearchResults,
        origin,
        httpReferer,
        appTitle,
        userAgent,
        externalUser,
        apiType,
        router,
        sessionId,
        isByok,
        errorStatus,
        errorMessage,
        providerResponses,
        null,
        null,
        null,
        null);
  }

  /** The {@code api_type} of chat and text completions. */
  public static final String API_TYPE_COMPLETIONS = "completions";

  public GenerationRecord {
    Objects.requireNonNull(id, "id");
    if (id.isBlank()) {
      throw new IllegalArgumentException("id must not be blank");
    }
    keyHash = Keys.requireHash(keyHash);
    Objects.requireNonNull(model, "model");
    createdAt = ApiKey.micros(Objects.requireNonNull(createdAt, "createdAt"));
    totalCost = Usd.normalize(Objects.requireNonNull(totalCost, "totalCost"));
    upstreamInferenceCost = Usd.normalize(upstreamInferenceCost);
    cacheDiscount = Usd.normalize(cacheDiscount);
  }

  /** A builder for the generation {@code id}; {@code apiType} starts as {@code completions}. */
  public static Builder builder(String id) {
    return new Builder().id(id);
  }

  /** A builder holding this record's values. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.id = id;
    b.requestId = requestId;
    b.keyHash = keyHash;
    b.upstreamId = upstreamId;
    b.model = model;
    b.providerName = providerName;
    b.providerSlug = providerSlug;
    b.createdAt = createdAt;
    b.totalCost = totalCost;
    b.upstreamInferenceCost = upstreamInferenceCost;
    b.cacheDiscount = cacheDiscount;
    b.streamed = streamed;
    b.cancelled = cancelled;
    b.latencyMs = latencyMs;
    b.generationTimeMs = generationTimeMs;
    b.moderationLatencyMs = moderationLatencyMs;
    b.finishReason = finishReason;
    b.nativeFinishReason = nativeFinishReason;
    b.tokensPrompt = tokensPrompt;
    b.tokensCompletion = tokensCompletion;
    b.nativeTokensPrompt = nativeTokensPrompt;
    b.nativeTokensCompletion = nativeTokensCompletion;
    b.nativeTokensCompletionImages = nativeTokensCompletionImages;
    b.nativeTokensReasoning = nativeTokensReasoning;
    b.nativeTokensCached = nativeTokensCached;
    b.numMediaPrompt = numMediaPrompt;
    b.numMediaCompletion = numMediaCompletion;
    b.numInputAudioPrompt = numInputAudioPrompt;
    b.numSearchResults = numSearchResults;
    b.origin = origin;
    b.httpReferer = httpReferer;
    b.appTitle = appTitle;
    b.userAgent = userAgent;
    b.externalUser = externalUser;
    b.apiType = apiType;
    b.router = router;
    b.sessionId = sessionId;
    b.isByok = isByok;
    b.errorStatus = errorStatus;
    b.errorMessage = errorMessage;
    b.providerResponses = providerResponses;
    b.routingTrace = routingTrace;
    b.presetId = presetId;
    b.responseCacheSourceId = responseCacheSourceId;
    b.webSearchEngine = webSearchEngine;
    return b;
  }

  /** Mutable builder of {@link GenerationRecord}; not thread-safe. */
  public static final class Builder {
    private String id;
    private String requestId;
    private String keyHash;
    private String upstreamId;
    private String model;
    private String providerName;
    private String providerSlug;
    private Instant createdAt;
    private BigDecimal totalCost = Usd.ZERO;
    private BigDecimal upstreamInferenceCost;
    private BigDecimal cacheDiscount;
    private boolean streamed;
    private boolean cancelled;
    private long latencyMs;
    private Long generationTimeMs;
    private Long moderationLatencyMs;
    private String finishReason;
    private String nativeFinishReason;
    private Long tokensPrompt;
    private Long tokensCompletion;
    private Long nativeTokensPrompt;
    private Long nativeTokensCompletion;
    private Long nativeTokensCompletionImages;
    private Long nativeTokensReasoning;
    private Long nativeTokensCached;
    private Integer numMediaPrompt;
    private Integer numMediaCompletion;
    private Integer numInputAudioPrompt;
    private Integer numSearchResults;
    private String origin;
    private String httpReferer;
    private String appTitle;
    private String userAgent;
    private String externalUser;
    private String apiType = API_TYPE_COMPLETIONS;
    private String router;
    private String sessionId;
    private boolean isByok;
    private Integer errorStatus;
    private String errorMessage;
    private String providerResponses;
    private String routingTrace;
    private String presetId;
    private String responseCacheSourceId;
    private String webSearchEngine;

    private Builder() {}

    public Builder id(String value) {
      this.id = value;
      return this;
    }

    public Builder requestId(String value) {
      this.requestId = value;
      return this;
    }

    public Builder keyHash(String value) {
      this.keyHash = value;
      return this;
    }

    public Builder upstreamId(String value) {
      this.upstreamId = value;
      return this;
    }

    public Builder model(String value) {
      this.model = value;
      return this;
    }

    public Builder providerName(String value) {
      this.providerName = value;
      return this;
    }

    public Builder providerSlug(String value) {
      this.providerSlug = value;
      return this;
    }

    public Builder createdAt(Instant value) {
      this.createdAt = value;
      return this;
    }

    public Builder totalCost(BigDecimal value) {
      this.totalCost = value;
      return this;
    }

    public Builder upstreamInferenceCost(BigDecimal value) {
      this.upstreamInferenceCost = value;
      return this;
    }

    public Builder cacheDiscount(BigDecimal value) {
      this.cacheDiscount = value;
      return this;
    }

    public Builder streamed(boolean value) {
      this.streamed = value;
      return this;
    }

    public Builder cancelled(boolean value) {
      this.cancelled = value;
      return this;
    }

    public Builder latencyMs(long value) {
      this.latencyMs = value;
      return this;
    }

    public Builder generationTimeMs(Long value) {
      this.generationTimeMs = value;
      return this;
    }

    public Builder moderationLatencyMs(Long value) {
      this.moderationLatencyMs = value;
      return this;
    }

    public Builder finishReason(String value) {
      this.finishReason = value;
      return this;
    }

    public Builder nativeFinishReason(String value) {
      this.nativeFinishReason = value;
      return this;
    }

    public Builder tokensPrompt(Long value) {
      this.tokensPrompt = value;
      return this;
    }

    public Builder tokensCompletion(Long value) {
      this.tokensCompletion = value;
      return this;
    }

    public Builder nativeTokensPrompt(Long value) {
      this.nativeTokensPrompt = value;
      return this;
    }

    public Builder nativeTokensCompletion(Long value) {
      this.nativeTokensCompletion = value;
      return this;
    }

    public Builder nativeTokensCompletionImages(Long value) {
      this.nativeTokensCompletionImages = value;
      return this;
    }

    public Builder nativeTokensReasoning(Long value) {
      this.nativeTokensReasoning = value;
      return this;
    }

    public Builder nativeTokensCached(Long value) {
      this.nativeTokensCached = value;
      return this;
    }

    public Builder numMediaPrompt(Integer value) {
      this.numMediaPrompt = value;
      return this;
    }

    public Builder numMediaCompletion(Integer value) {
      this.numMediaCompletion = value;
      return this;
    }

    public Builder numInputAudioPrompt(Integer value) {
      this.numInputAudioPrompt = value;
      return this;
    }

    public Builder numSearchResults(Integer value) {
      this.numSearchResults = value;
      return this;
    }

    public Builder origin(String value) {
      this.origin = value;
      return this;
    }

    public Builder httpReferer(String value) {
      this.httpReferer = value;
      return this;
    }

    public Builder appTitle(String value) {
      this.appTitle = value;
      return this;
    }

    public Builder userAgent(String value) {
      this.userAgent = value;
      return this;
    }

    public Builder externalUser(String value) {
      this.externalUser = value;
      return this;
    }

    public Builder apiType(String value) {
      this.apiType = value;
      return this;
    }

    public Builder router(String value) {
      this.router = value;
      return this;
    }

    public Builder sessionId(String value) {
      this.sessionId = value;
      return this;
    }

    public Builder isByok(boolean value) {
      this.isByok = value;
      return this;
    }

    public Builder errorStatus(Integer value) {
      this.errorStatus = value;
      return this;
    }

    public Builder errorMessage(String value) {
      this.errorMessage = value;
      return this;
    }

    public Builder providerResponses(String value) {
      this.providerResponses = value;
      return this;
    }

    public Builder routingTrace(String value) {
      this.routingTrace = value;
      return this;
    }

    public Builder presetId(String value) {
      this.presetId = value;
      return this;
    }

    public Builder responseCacheSourceId(String value) {
      this.responseCacheSourceId = value;
      return this;
    }

    public Builder webSearchEngine(String value) {
      this.webSearchEngine = value;
      return this;
    }

    public GenerationRecord build() {
      return new GenerationRecord(
          id,
          requestId,
          keyHash,
          upstreamId,
          model,
          providerName,
          providerSlug,
          createdAt,
          totalCost,
          upstreamInferenceCost,
          cacheDiscount,
          streamed,
          cancelled,
          latencyMs,
          generationTimeMs,
          moderationLatencyMs,
          finishReason,
          nativeFinishReason,
          tokensPrompt,
          tokensCompletion,
          nativeTokensPrompt,
          nativeTokensCompletion,
          nativeTokensCompletionImages,
          nativeTokensReasoning,
          nativeTokensCached,
          numMediaPrompt,
          numMediaCompletion,
          numInputAudioPrompt,
          numSearchResults,
          origin,
          httpReferer,
          appTitle,
          userAgent,
          externalUser,
          apiType,
          router,
          sessionId,
          isByok,
          errorStatus,
          errorMessage,
          providerResponses,
          routingTrace,
          presetId,
          responseCacheSourceId,
          webSearchEngine);
    }
  }
}
