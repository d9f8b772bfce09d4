package dev.switchboard.server.catalog;

import java.math.BigDecimal;

/**
 * Prices of one endpoint in USD per unit, exact decimals as the catalog writes them ({@code
 * "0.000003"} is $3 per million tokens). Null means the endpoint does not charge for that unit.
 *
 * @param prompt per prompt token
 * @param completion per completion token (reasoning tokens included unless {@code
 *     internalReasoning} is set)
 * @param request per request
 * @param image per input image
 * @param webSearch per web search
 * @param inputCacheRead per cached prompt token read
 * @param inputCacheWrite per prompt token written to the cache
 * @param internalReasoning per reasoning token, when priced apart from completion
 */
public record Pricing(
    BigDecimal prompt,
    BigDecimal completion,
    BigDecimal request,
    BigDecimal image,
    BigDecimal webSearch,
    BigDecimal inputCacheRead,
    BigDecimal inputCacheWrite,
    BigDecimal internalReasoning) {

  public Pricing {
    prompt = prompt == null ? BigDecimal.ZERO : prompt;
    completion = completion == null ? BigDecimal.ZERO : completion;
  }

  public static Pricing perToken(String prompt, String completion) {
    return new Pricing(
        new BigDecimal(prompt), new BigDecimal(completion), null, null, null, null, null, null);
  }

  /** Free: no token, request or image price. */
  public boolean isFree() {
    return prompt.signum() == 0
        && completion.signum() == 0
        && (request == null || request.signum() == 0);
  }
}
