package dev.switchboard.server.limits;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.TemporalAdjusters;

/**
 * The UTC window a limit counts spend over. Windows start at 00:00 UTC: a day every day, a week on
 * Monday, a month on the 1st (reference §11.1). {@link #LIFETIME} never resets.
 */
public enum Window {
  LIFETIME(null),
  DAILY("daily"),
  WEEKLY("weekly"),
  MONTHLY("monthly");

  private final String wire;

  Window(String wire) {
    this.wire = wire;
  }

  /** The wire name ({@code daily|weekly|monthly}), null for {@link #LIFETIME}. */
  public String wire() {
    return wire;
  }

  /** The window named {@code daily|weekly|monthly}, or {@link #LIFETIME} for null. */
  public static Window of(String wire) {
    if (wire == null) {
      return LIFETIME;
    }
    return switch (wire) {
      case "daily" -> DAILY;
      case "weekly" -> WEEKLY;
      case "monthly" -> MONTHLY;
      default -> throw new IllegalArgumentException("unknown reset window: " + wire);
    };
  }

  /** The first day of the window that contains {@code now}; null for {@link #LIFETIME}. */
  public LocalDate firstDay(Instant now) {
    LocalDate today = LocalDate.ofInstant(now, ZoneOffset.UTC);
    return switch (this) {
      case LIFETIME -> null;
      case DAILY -> today;
      case WEEKLY -> today.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
      case MONTHLY -> today.withDayOfMonth(1);
    };
  }

  /** When the window that contains {@code now} ends and spend counts from zero; null if never. */
  public Instant resetsAt(Instant now) {
    LocalDate first = firstDay(now);
    if (first == null) {
      return null;
    }
    LocalDate next =
        switch (this) {
          case DAILY -> first.plusDays(1);
          case WEEKLY -> first.plusWeeks(1);
          case MONTHLY -> first.plusMonths(1);
          case LIFETIME -> throw new AssertionError();
        };
    return next.atStartOfDay(ZoneOffset.UTC).toInstant();
  }
}
