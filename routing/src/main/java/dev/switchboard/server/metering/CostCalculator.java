package dev.switchboard.server.metering;

import dev.switchboard.core.model.Usage;
import dev.switchboard.server.catalog.Pricing;
import java.math.BigDecimal;

/**
 * Prices usage with the catalog price of the endpoint that served it: the single place where tokens
 * become money. Exact {@link BigDecimal} arithmetic; no {@code double} anywhere.
 *
 * <p>Prompt tokens read from the cache are charged at the cache-read price where the endpoint has
 * one, tokens written at the cache-write price; reasoning tokens at the reasoning price where the
 * endpoint has one, else as completion tokens. A response with no completion tokens and no finish
 * reason, or one that ended in error, is not charged for model tokens (checklist 149).
 */
public final class CostCalculator {

  private CostCalculator() {}

  public static Cost cost(Pricing pricing, Usage usage, boolean zeroCompletionInsurance) {
    if (zeroCompletionInsurance) {
      BigDecimal request = orZero(pricing.request());
      return new Cost(
          BigDecimal.ZERO,
          BigDecimal.ZERO,
          request.stripTrailingZeros(),
          pricing.inputCacheWrite() == null ? null : BigDecimal.ZERO);
    }
    long cacheRead = Math.min(usage.cachedTokens(), usage.promptTokens());
    long cacheWrite = Math.min(usage.cacheWriteTokens(), usage.promptTokens() - cacheRead);
    long plainPrompt = usage.promptTokens() - cacheRead - cacheWrite;

    BigDecimal prompt = pricing.prompt().multiply(BigDecimal.valueOf(plainPrompt));
    prompt =
        prompt.add(
            orElse(pricing.inputCacheRead(), pricing.prompt())
                .multiply(BigDecimal.valueOf(cacheRead)));
    BigDecimal written =
        orElse(pricing.inputCacheWrite(), pricing.prompt())
            .multiply(BigDecimal.valueOf(cacheWrite));
    prompt = prompt.add(written);

    long reasoning = Math.min(usage.reasoningTokens(), usage.completionTokens());
    BigDecimal completion;
    if (pricing.internalReasoning() != null) {
      completion =
          pricing
              .completion()
              .multiply(BigDecimal.valueOf(usage.completionTokens() - reasoning))
              .add(pricing.internalReasoning().multiply(BigDecimal.valueOf(reasoning)));
    } else {
      completion = pricing.completion().multiply(BigDecimal.valueOf(usage.completionTokens()));
    }
    BigDecimal total = prompt.add(completion).add(orZero(pricing.request()));
    return new Cost(
        prompt.stripTrailingZeros(),
        completion.stripTrailingZeros(),
        total.stripTrailingZeros(),
        pricing.inputCacheWrite() == null ? null : written.stripTrailingZeros());
  }

  private static BigDecimal orZero(BigDecimal value) {
    return value == null ? BigDecimal.ZERO : value;
  }

  private static BigDecimal orElse(BigDecimal value, BigDecimal fallback) {
    return value == null ? fallback : value;
  }
}
