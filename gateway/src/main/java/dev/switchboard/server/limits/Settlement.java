package dev.switchboard.server.limits;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Objects;

/**
 * How a request ended, for {@link Admission#settle}: the exact cost ({@code CostCalculator}, with
 * the zero-completion rule already applied), what BYOK cost upstream, the tokens it used (for the
 * tokens-per-minute bucket), and the generation it settles.
 *
 * @param cost USD to charge, not negative; zero settles without a charge
 * @param byokCost USD paid upstream with the user's own provider key, or zero
 * @param tokens prompt plus completion tokens used
 * @param at when the cost was incurred
 * @param generationId the generation id, for the ledger row
 */
public record Settlement(
    BigDecimal cost, BigDecimal byokCost, long tokens, Instant at, String generationId) {

  public Settlement {
    Objects.requireNonNull(cost, "cost");
    byokCost = byokCost == null ? BigDecimal.ZERO : byokCost;
    Objects.requireNonNull(at, "at");
  }
}
