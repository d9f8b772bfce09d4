package dev.switchboard.api.models;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.List;
import java.util.Map;

/** A model of {@code GET /models} (OpenRouter's {@code Model}); prices are USD-per-unit strings. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.ALWAYS)
public record ModelInfo(
    String id,
    String canonicalSlug,
    String huggingFaceId,
    String name,
    long created,
    String description,
    Integer contextLength,
    Architecture architecture,
    Map<String, String> pricing,
    TopProvider topProvider,
    Map<String, Object> perRequestLimits,
    List<String> supportedParameters,
    Map<String, Object> defaultParameters,
    List<String> supportedVoices,
    String expirationDate,
    String knowledgeCutoff,
    Map<String, String> links) {

  /** {@code architecture}: modality string, input and output modalities, tokenizer. */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record Architecture(
      String modality,
      List<String> inputModalities,
      List<String> outputModalities,
      String tokenizer,
      String instructType) {}

  /** {@code top_provider}. */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record TopProvider(
      Integer contextLength, Integer maxCompletionTokens, boolean isModerated) {}
}
