package dev.switchboard.server.metering;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.core.model.Usage;
import dev.switchboard.server.catalog.Pricing;
import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

class CostCalculatorTest {

  private static final Pricing SONNET =
      new Pricing(
          new BigDecimal("0.000003"),
          new BigDecimal("0.000015"),
          null,
          null,
          null,
          new BigDecimal("0.0000003"),
          new BigDecimal("0.00000375"),
          null);

  @Test
  void pricesPromptAndCompletionExactly() {
    Cost c = CostCalculator.cost(SONNET, new Usage(1000, 500, 0, 0, 0, false), false);
    assertThat(c.prompt()).isEqualByComparingTo("0.003");
    assertThat(c.completion()).isEqualByComparingTo("0.0075");
    assertThat(c.total()).isEqualByComparingTo("0.0105");
  }

  @Test
  void cachedReadsAndWritesUseTheirOwnPrices() {
    Cost c = CostCalculator.cost(SONNET, new Usage(1000, 0, 0, 600, 100, false), false);
    // 300 plain * 3e-6 + 600 read * 3e-7 + 100 write * 3.75e-6
    assertThat(c.prompt()).isEqualByComparingTo("0.001455");
    assertThat(c.total()).isEqualByComparingTo("0.001455");
  }

  @Test
  void theCacheWritePartIsKnownOnlyWhereTheEndpointPricesCacheWrites() {
    Cost priced = CostCalculator.cost(SONNET, new Usage(1000, 0, 0, 600, 100, false), false);
    assertThat(priced.cacheWritesPriced()).isTrue();
    assertThat(priced.cacheWrite()).isEqualByComparingTo("0.000375");
    Pricing plain = Pricing.perToken("0.000003", "0.000015");
    Cost unpriced = CostCalculator.cost(plain, new Usage(1000, 0, 0, 0, 100, false), false);
    assertThat(unpriced.cacheWritesPriced()).isFalse();
    // Written tokens of an endpoint without a write price cost the prompt price.
    assertThat(unpriced.prompt()).isEqualByComparingTo("0.003");
    assertThat(CostCalculator.cost(SONNET, Usage.ZERO, true).cacheWritesPriced()).isTrue();
  }

  @Test
  void sumsOfManySmallCostsStayExact() {
    Pricing cheap = Pricing.perToken("0.00000025", "0.00000038");
    BigDecimal sum = BigDecimal.ZERO;
    for (int i = 0; i < 10_000; i++) {
      sum = sum.add(CostCalculator.cost(cheap, new Usage(7, 3, 0, 0, 0, false), false).total());
    }
    assertThat(sum).isEqualByComparingTo("0.02890");
  }

  @Test
  void zeroCompletionInsuranceChargesNoTokens() {
    Cost c = CostCalculator.cost(SONNET, new Usage(1000, 0, 0, 0, 0, false), true);
    assertThat(c.total()).isEqualByComparingTo("0");
  }

  @Test
  void freeEndpointsCostNothing() {
    Cost c =
        CostCalculator.cost(Pricing.perToken("0", "0"), new Usage(10, 10, 0, 0, 0, false), false);
    assertThat(c.total().signum()).isZero();
  }
}
