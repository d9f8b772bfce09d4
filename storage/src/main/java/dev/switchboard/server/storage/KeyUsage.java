package dev.switchboard.server.storage;

import java.math.BigDecimal;
import java.util.Objects;

/**
 * What a key has spent, in USD at scale {@value Usd#SCALE}: all time, the current UTC day, the
 * current week (from Monday 00:00 UTC) and the current UTC month. The {@code byok*} amounts are the
 * same windows for bring-your-own-key requests (the upstream cost the user paid the provider
 * directly); they are not part of the plain amounts.
 */
public record KeyUsage(
    BigDecimal total,
    BigDecimal daily,
    BigDecimal weekly,
    BigDecimal monthly,
    BigDecimal byokTotal,
    BigDecimal byokDaily,
    BigDecimal byokWeekly,
    BigDecimal byokMonthly) {

  /** Nothing spent. */
  public static final KeyUsage ZERO =
      new KeyUsage(Usd.ZERO, Usd.ZERO, Usd.ZERO, Usd.ZERO, Usd.ZERO, Usd.ZERO, Usd.ZERO, Usd.ZERO);

  public KeyUsage {
    total = Usd.normalize(Objects.requireNonNull(total, "total"));
    daily = Usd.normalize(Objects.requireNonNull(daily, "daily"));
    weekly = Usd.normalize(Objects.requireNonNull(weekly, "weekly"));
    monthly = Usd.normalize(Objects.requireNonNull(monthly, "monthly"));
    byokTotal = Usd.normalize(Objects.requireNonNull(byokTotal, "byokTotal"));
    byokDaily = Usd.normalize(Objects.requireNonNull(byokDaily, "byokDaily"));
    byokWeekly = Usd.normalize(Objects.requireNonNull(byokWeekly, "byokWeekly"));
    byokMonthly = Usd.normalize(Objects.requireNonNull(byokMonthly, "byokMonthly"));
  }

  /**
   * The amount a key's limit is measured against: the window named by {@code limitReset} ({@code
   * daily|weekly|monthly}, or null for all time), plus the BYOK amount of that window when {@code
   * includeByok}.
   */
  public BigDecimal inWindow(String limitReset, boolean includeByok) {
    BigDecimal plain;
    BigDecimal byok;
    if (limitReset == null) {
      plain = total;
      byok = byokTotal;
    } else {
      switch (limitReset) {
        case "daily" -> {
          plain = daily;
          byok = byokDaily;
        }
        case "weekly" -> {
          plain = weekly;
          byok = byokWeekly;
        }
        case "monthly" -> {
          plain = monthly;
          byok = byokMonthly;
        }
        default -> throw new IllegalArgumentException("unknown limit_reset: " + limitReset);
      }
    }
    return includeByok ? plain.add(byok) : plain;
  }
}
