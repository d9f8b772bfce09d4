package dev.switchboard.server.limits;

import dev.switchboard.server.catalog.EndpointEntry;
import dev.switchboard.server.catalog.Pricing;
import dev.switchboard.server.storage.Usd;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;

/**
 * The most a request can cost, which is what admission reserves (checklist 51 and 52): the prompt
 * estimate times the highest prompt price of its candidate endpoints, plus its output tokens
 * ({@code max_tokens}, or the largest maximum output of the candidates when absent) times the
 * highest completion price, plus the highest per-request fee and per-image price times the images.
 * Each price is the highest among the candidates, so the bound holds whichever endpoint serves.
 * Prompt tokens count at the dearer of the prompt and cache-write prices, output tokens at the
 * dearer of the completion and reasoning prices.
 *
 * @param promptTokens the prompt estimate ({@link PromptEstimator})
 * @param outputTokens the output tokens allowed
 * @param promptPrice USD per prompt token
 * @param completionPrice USD per output token
 * @param fixedFees USD per request plus images times the image price
 */
public record WorstCase(
    long promptTokens,
    long outputTokens,
    BigDecimal promptPrice,
    BigDecimal completionPrice,
    BigDecimal fixedFees) {

  /**
   * The worst case over {@code endpoints} (at least one).
   *
   * @param maxTokens the request's {@code max_tokens}, or null
   * @param promptTokens the prompt estimate
   * @param images images in the prompt
   */
  public static WorstCase of(
      List<EndpointEntry> endpoints, Integer maxTokens, long promptTokens, int images) {
    return of(endpoints, maxTokens, promptTokens, promptTokens, images);
  }

  /**
   * The worst case over {@code endpoints}, where an endpoint without a maximum output allows its
   * context length minus {@code promptFloor} (a lower bound of the prompt's tokens) of output.
   */
  public static WorstCase of(
      List<EndpointEntry> endpoints,
      Integer maxTokens,
      long promptTokens,
      long promptFloor,
      int images) {
    if (endpoints.isEmpty()) {
      throw new IllegalArgumentException("at least one candidate endpoint");
    }
    BigDecimal prompt = BigDecimal.ZERO;
    BigDecimal completion = BigDecimal.ZERO;
    BigDecimal request = BigDecimal.ZERO;
    BigDecimal image = BigDecimal.ZERO;
    long maxOutput = 0;
    for (EndpointEntry e : endpoints) {
      Pricing p = e.pricing();
      prompt = max(prompt, max(p.prompt(), p.inputCacheWrite()));
      completion = max(completion, max(p.completion(), p.internalReasoning()));
      request = max(request, p.request());
      image = max(image, p.image());
      long out =
          e.maxCompletionTokens() != null
              ? e.maxCompletionTokens()
              : Math.max(1, e.contextLength() - promptFloor);
      maxOutput = Math.max(maxOutput, out);
    }
    long output = maxTokens != null ? maxTokens : maxOutput;
    return new WorstCase(
        promptTokens,
        output,
        prompt,
        completion,
        request.add(image.multiply(BigDecimal.valueOf(images))));
  }

  /** The prompt side plus fees. */
  public BigDecimal promptCost() {
    return promptPrice.multiply(BigDecimal.valueOf(promptTokens)).add(fixedFees);
  }

  /** The worst-case cost in USD, rounded up to a nano-dollar. */
  public BigDecimal cost() {
    return promptCost()
        .add(completionPrice.multiply(BigDecimal.valueOf(outputTokens)))
        .setScale(Usd.SCALE, RoundingMode.CEILING);
  }

  /**
   * The output tokens {@code budget} USD pays for after the prompt side: never negative, and {@code
   * Long.MAX_VALUE} when output is free.
   */
  public long affordableOutputTokens(BigDecimal budget) {
    BigDecimal left = budget.subtract(promptCost());
    if (left.signum() <= 0) {
      return 0;
    }
    if (completionPrice.signum() == 0) {
      return Long.MAX_VALUE;
    }
    return left.divide(completionPrice, 0, RoundingMode.FLOOR)
        .min(BigDecimal.valueOf(Long.MAX_VALUE))
        .longValue();
  }

  /** The prompt tokens {@code budget} USD pays for, fees first. */
  public long affordablePromptTokens(BigDecimal budget) {
    BigDecimal left = budget.subtract(fixedFees);
    if (left.signum() <= 0) {
      return 0;
    }
    if (promptPrice.signum() == 0) {
      return Long.MAX_VALUE;
    }
    return left.divide(promptPrice, 0, RoundingMode.FLOOR)
        .min(BigDecimal.valueOf(Long.MAX_VALUE))
        .longValue();
  }

  private static BigDecimal max(BigDecimal a, BigDecimal b) {
    return b == null || a.compareTo(b) >= 0 ? a : b;
  }
}
