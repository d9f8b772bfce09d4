package dev.switchboard.server.metering;

import java.math.BigDecimal;

/**
 * What one generation costs, in USD, exact: the prompt side, the completion side and the total.
 * {@code cacheWrite} is the part of the prompt side paid for tokens written to the prompt cache,
 * null when the endpoint has no cache-write price (usage then leaves {@code cache_write_tokens}
 * out, checklist 32).
 */
public record Cost(
    BigDecimal prompt, BigDecimal completion, BigDecimal total, BigDecimal cacheWrite) {
  public static final Cost ZERO = new Cost(BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO);

  /** A cost on an endpoint without a cache-write price. */
  public Cost(BigDecimal prompt, BigDecimal completion, BigDecimal total) {
    this(prompt, completion, total, null);
  }

  /** Whether the serving endpoint prices cache writes. */
  public boolean cacheWritesPriced() {
    return cacheWrite != null;
  }
}
