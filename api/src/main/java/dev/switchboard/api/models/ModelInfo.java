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
    Map<String, String> links,
    @JsonInclude(JsonInclude.Include.NON_NULL) Reasoning reasoning) {

  /** A model without a {@code reasoning} object (non-reasoning models). */
  public ModelInfo(
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
    this(
        id,
        canonicalSlug,
        huggingFaceId,
        name,
        created,
        description,
        contextLength,
        architecture,
        pricing,
        topProvider,
        perRequestLimits,
        supportedParameters,
        defaultParameters,
        supportedVoices,
        expirationDate,
        knowledgeCutoff,
        links,
        null);
  }

  /**
   * {@code reasoning} of a reasoning model: {@code mandatory} (it cannot be turned off), the
   * efforts it takes (null: any), its default effort, whether it reasons by default.
   */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record Reasoning(
      boolean mandatory,
      List<String> supportedEfforts,
      String defaultEffort,
      boolean defaultEnabled) {}

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
