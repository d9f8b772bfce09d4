package dev.switchboard.server.metering;

import java.math.BigDecimal;

/** What one generation costs, in USD, exact: the prompt side, the completion side and the total. */
public record Cost(BigDecimal prompt, BigDecimal completion, BigDecimal total) {
  public static final Cost ZERO = new Cost(BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO);
}
