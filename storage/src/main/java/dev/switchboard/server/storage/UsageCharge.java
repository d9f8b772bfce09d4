package dev.switchboard.server.storage;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Objects;

/**
 * One charge to a key, appended to the usage ledger and counted in the day (UTC) of {@code at}.
 *
 * @param keyHash the charged key's hash
 * @param cost USD charged (not negative)
 * @param byokCost USD the user paid an upstream directly with their own provider key (not negative;
 *     zero for non-BYOK requests)
 * @param at when the cost was incurred
 * @param generationId the generation this charge settles, or null
 */
public record UsageCharge(
    String keyHash, BigDecimal cost, BigDecimal byokCost, Instant at, String generationId) {

  public UsageCharge {
    keyHash = Keys.requireHash(keyHash);
    cost = Usd.normalize(Objects.requireNonNull(cost, "cost"));
    byokCost = byokCost == null ? Usd.ZERO : Usd.normalize(byokCost);
    if (cost.signum() < 0 || byokCost.signum() < 0) {
      throw new IllegalArgumentException("a charge must not be negative");
    }
    at = ApiKey.micros(Objects.requireNonNull(at, "at"));
  }
}
