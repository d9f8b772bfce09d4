package dev.switchboard.server.storage;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * One charge to a user or session budget, counted in the UTC day of {@code at} and written behind
 * to {@code budget_usage_daily}.
 */
record BudgetCharge(
    String scope, String subject, BigDecimal cost, BigDecimal byokCost, Instant at) {

  long epochDay() {
    return Math.floorDiv(at.getEpochSecond(), 86_400L);
  }
}
