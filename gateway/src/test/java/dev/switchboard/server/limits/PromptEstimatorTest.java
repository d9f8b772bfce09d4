package dev.switchboard.server.limits;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PromptEstimatorTest {

  @Test
  void countsWithARealTokenizerAndAddsTheStatedMargin() {
    assertThat(PromptEstimator.count("Hello there")).isEqualTo(2);
    // 2 counted -> ceil(2 * 1.25) = 3, + 4 for the message, + 16 for the request.
    assertThat(PromptEstimator.estimate(LimitsFixture.request("acme/paid", 1, null))).isEqualTo(23);
    String longText = "word ".repeat(1_000);
    long counted = PromptEstimator.count(longText);
    assertThat(counted).isBetween(900L, 1_100L);
  }

  @Test
  void theWorstCaseRoundsUpAndUsesTheDearestPrices() {
    WorstCase w =
        WorstCase.of(
            LimitsFixture.catalog().model("acme/paid").orElseThrow().endpoints(), null, 10, 0);
    assertThat(w.outputTokens()).isEqualTo(1_000);
    assertThat(w.cost()).isEqualByComparingTo("0.0201");
    assertThat(w.affordableOutputTokens(new java.math.BigDecimal("0.0002"))).isEqualTo(5);
  }
}
