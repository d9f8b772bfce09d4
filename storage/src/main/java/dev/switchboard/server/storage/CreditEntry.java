package dev.switchboard.server.storage;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Objects;

/**
 * One row of the organisation's credit ledger: who added (or, negative, corrected) how many USD,
 * when, and why.
 *
 * @param id ascending ledger id
 * @param amount USD at scale {@value Usd#SCALE}, never zero
 * @param at when it was booked
 * @param actor who booked it: the label and name of the management key that called the API
 * @param note free text, may be null
 */
public record CreditEntry(long id, BigDecimal amount, Instant at, String actor, String note) {
  public CreditEntry {
    amount = Usd.normalize(Objects.requireNonNull(amount, "amount"));
    at = ApiKey.micros(Objects.requireNonNull(at, "at"));
    Objects.requireNonNull(actor, "actor");
  }
}
