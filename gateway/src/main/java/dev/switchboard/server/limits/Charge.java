package dev.switchboard.server.limits;

import dev.switchboard.server.storage.Usd;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Objects;

/**
 * A settled charge: the exact cost of one generation, booked against its key (and through it the
 * organisation), its end user and its session.
 *
 * @param keyHash the key that paid
 * @param user the request's {@code user}, or null
 * @param sessionId the request's {@code session_id}, or null
 * @param cost USD, not negative
 * @param byokCost USD paid to a provider directly with the user's own provider key, not negative
 * @param at when the cost was incurred
 * @param generationId the generation it settles, or null
 */
public record Charge(
    String keyHash,
    String user,
    String sessionId,
    BigDecimal cost,
    BigDecimal byokCost,
    Instant at,
    String generationId) {

  public Charge {
    Objects.requireNonNull(keyHash, "keyHash");
    cost = Usd.normalize(Objects.requireNonNull(cost, "cost"));
    byokCost = byokCost == null ? Usd.ZERO : Usd.normalize(byokCost);
    if (cost.signum() < 0 || byokCost.signum() < 0) {
      throw new IllegalArgumentException("a charge must not be negative");
    }
    Objects.requireNonNull(at, "at");
  }
}
