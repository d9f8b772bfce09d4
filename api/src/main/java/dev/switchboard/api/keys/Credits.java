package dev.switchboard.api.keys;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.math.BigDecimal;

/**
 * {@code GET /credits} (reference §11.2): USD bought over all time and USD used. The balance is
 * their difference.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.ALWAYS)
public record Credits(BigDecimal totalCredits, BigDecimal totalUsage) {

  /** {@code total_credits - total_usage}; null when either is missing. */
  public BigDecimal balance() {
    return totalCredits == null || totalUsage == null ? null : totalCredits.subtract(totalUsage);
  }
}
