package dev.switchboard.server.limits;

import dev.switchboard.server.storage.Usd;
import java.math.BigDecimal;
import java.util.Objects;

/**
 * One budget a request must fit: the spend of {@code holder} over {@code window} (BYOK spend
 * included when {@code includeByok}) plus what its requests in flight have reserved must stay at or
 * under {@code limit}. Each line is checked on its own; a reservation passes only if every line
 * passes.
 *
 * @param holder whose spend and reservations count
 * @param window the window the spend is counted over
 * @param limit USD, scale {@value Usd#SCALE}
 * @param includeByok whether BYOK spend counts
 * @param source what kind of limit this is (decides the refusal)
 * @param sourceId the guardrail id, or null
 * @param sourceName the guardrail name, or null
 */
public record BudgetLine(
    Holder holder,
    Window window,
    BigDecimal limit,
    boolean includeByok,
    LimitSource source,
    String sourceId,
    String sourceName) {

  public BudgetLine {
    Objects.requireNonNull(holder, "holder");
    Objects.requireNonNull(window, "window");
    limit = Usd.normalize(Objects.requireNonNull(limit, "limit"));
    Objects.requireNonNull(source, "source");
  }

  /** A line for a limit that is not a guardrail. */
  public static BudgetLine of(
      Holder holder, Window window, BigDecimal limit, boolean includeByok, LimitSource source) {
    return new BudgetLine(holder, window, limit, includeByok, source, null, null);
  }

  public long limitNanos() {
    return Usd.toNanos(limit);
  }
}
