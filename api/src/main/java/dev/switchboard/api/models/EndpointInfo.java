package dev.switchboard.api.models;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.List;
import java.util.Map;

/** One endpoint of {@code GET /models/{author}/{slug}/endpoints} (OpenRouter's PublicEndpoint). */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.ALWAYS)
public record EndpointInfo(
    String name,
    String modelId,
    String modelName,
    int contextLength,
    Integer maxCompletionTokens,
    Integer maxPromptTokens,
    Map<String, String> pricing,
    String providerName,
    String tag,
    String quantization,
    int status,
    List<String> supportedParameters,
    boolean supportsImplicitCaching,
    @JsonProperty("uptime_last_5m") Double uptimeLast5m,
    @JsonProperty("uptime_last_30m") Double uptimeLast30m,
    @JsonProperty("uptime_last_1d") Double uptimeLast1d,
    @JsonProperty("latency_last_30m") Map<String, Double> latencyLast30m,
    @JsonProperty("throughput_last_30m") Map<String, Double> throughputLast30m,
    @JsonProperty("tool_call_error_rate_last_1d") Double toolCallErrorRateLast1d,
    @JsonProperty("tool_call_answers_last_1d") long toolCallAnswersLast1d) {}
