package dev.switchboard.server.storage;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * The money representation of the storage layer: US dollars as a {@link BigDecimal} with a fixed
 * scale of {@value #SCALE} (one unit is a nano-dollar, {@code $0.000000001}), persisted as the
 * unscaled {@code long}. Nano-dollars keep the cost of a single token of the cheapest models exact
 * (a {@code $0.01}/M-token price is 10 nano-dollars per token) while a {@code long} still holds
 * totals up to about 9.2 billion dollars.
 *
 * <p>Amounts with more decimals are rounded half-even once, when they enter the store.
 */
public final class Usd {

  /** Decimal places kept for every amount. */
  public static final int SCALE = 9;

  /** Zero dollars at {@link #SCALE}. */
  public static final BigDecimal ZERO = BigDecimal.ZERO.setScale(SCALE);

  private Usd() {}

  /** Returns {@code amount} at scale {@value #SCALE} (half-even), or null when it is null. */
  public static BigDecimal normalize(BigDecimal amount) {
    return amount == null ? null : amount.setScale(SCALE, RoundingMode.HALF_EVEN);
  }

  /** Returns {@code amount} as nano-dollars; throws {@link ArithmeticException} on overflow. */
  public static long toNanos(BigDecimal amount) {
    return normalize(amount).unscaledValue().longValueExact();
  }

  /** Returns {@code amount} as nano-dollars, or null when it is null. */
  public static Long toNanosOrNull(BigDecimal amount) {
    return amount == null ? null : toNanos(amount);
  }

  /** Returns the dollar amount of {@code nanos} nano-dollars at scale {@value #SCALE}. */
  public static BigDecimal fromNanos(long nanos) {
    return BigDecimal.valueOf(nanos, SCALE);
  }

  /** Returns the dollar amount of {@code nanos}, or null when it is null. */
  public static BigDecimal fromNanosOrNull(Long nanos) {
    return nanos == null ? null : fromNanos(nanos);
  }
}
