package dev.switchboard.core.model;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.util.List;

/**
 * Sampling parameters. Every field is nullable: null means the caller did not set it, and it must
 * stay absent upstream (checklist 13). Numbers are kept as decimals so they go out as they came.
 */
public record Sampling(
    Integer maxTokens,
    BigDecimal temperature,
    BigDecimal topP,
    Integer topK,
    BigDecimal frequencyPenalty,
    BigDecimal presencePenalty,
    BigDecimal repetitionPenalty,
    BigDecimal minP,
    BigDecimal topA,
    Long seed,
    List<String> stop,
    JsonNode logitBias,
    Boolean logprobs,
    Integer topLogprobs) {

  public static final Sampling NONE =
      new Sampling(
          null, null, null, null, null, null, null, null, null, null, null, null, null, null);
}
