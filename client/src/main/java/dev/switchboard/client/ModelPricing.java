package dev.switchboard.client;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A model's or an endpoint's {@code pricing}, read from its decimal strings: USD per token for
 * {@code prompt} and {@code completion}, USD per unit for the rest. {@code all} keeps every entry,
 * including keys this record does not name.
 */
public record ModelPricing(
    BigDecimal prompt,
    BigDecimal completion,
    BigDecimal request,
    BigDecimal image,
    BigDecimal inputCacheRead,
    BigDecimal inputCacheWrite,
    Map<String, BigDecimal> all) {

  private static final BigDecimal MILLION = BigDecimal.valueOf(1_000_000);

  public ModelPricing {
    all = Map.copyOf(all);
  }

  /** Reads a {@code pricing} map; absent or unreadable entries are null (and left out of all). */
  public static ModelPricing of(Map<String, String> pricing) {
    Map<String, BigDecimal> all = new LinkedHashMap<>();
    if (pricing != null) {
      pricing.forEach(
          (k, v) -> {
            try {
              all.put(k, new BigDecimal(v));
            } catch (NumberFormatException | NullPointerException e) {
              // a value that is not a decimal string is not a price
            }
          });
    }
    return new ModelPricing(
        all.get("prompt"),
        all.get("completion"),
        all.get("request"),
        all.get("image"),
        all.get("input_cache_read"),
        all.get("input_cache_write"),
        all);
  }

  /** The prompt price in USD per million tokens, as prices are usually quoted. */
  public BigDecimal promptPerMillion() {
    return prompt == null ? null : prompt.multiply(MILLION).stripTrailingZeros();
  }

  /** The completion price in USD per million tokens. */
  public BigDecimal completionPerMillion() {
    return completion == null ? null : completion.multiply(MILLION).stripTrailingZeros();
  }

  /** What {@code promptTokens} in and {@code completionTokens} out cost at these prices, in USD. */
  public BigDecimal cost(long promptTokens, long completionTokens) {
    BigDecimal p = prompt == null ? BigDecimal.ZERO : prompt;
    BigDecimal c = completion == null ? BigDecimal.ZERO : completion;
    BigDecimal r = request == null ? BigDecimal.ZERO : request;
    return p.multiply(BigDecimal.valueOf(promptTokens), MathContext.DECIMAL64)
        .add(c.multiply(BigDecimal.valueOf(completionTokens), MathContext.DECIMAL64))
        .add(r)
        .stripTrailingZeros();
  }

  /** Whether every price is zero (a free model). */
  public boolean free() {
    return all.values().stream().allMatch(v -> v.signum() == 0);
  }
}
