package dev.switchboard.server.storage;

import java.util.Comparator;

/** The row orders both activity stores answer in, so they agree. */
final class ActivityOrder {

  /** Newest day first, then model and provider. */
  static final Comparator<UsageRow> USAGE =
      Comparator.comparing(UsageRow::day)
          .reversed()
          .thenComparing(UsageRow::model)
          .thenComparing(UsageRow::providerName);

  /** Newest day first, then most tokens, then app and model. */
  static final Comparator<AppUsageRow> RANKINGS =
      Comparator.comparing(AppUsageRow::day)
          .reversed()
          .thenComparing(Comparator.comparingLong(AppUsageRow::totalTokens).reversed())
          .thenComparingLong(AppUsageRow::appId)
          .thenComparing(AppUsageRow::model);

  private ActivityOrder() {}
}
