package dev.switchboard.server.storage;

import java.time.LocalDate;
import java.util.List;
import java.util.Optional;

/**
 * Usage aggregates for {@code /activity} and the app rankings, read from a roll-up that the writer
 * keeps per UTC day, key, model, provider and app in the same transaction as the generation rows:
 * no query scans generation records. Every method may do I/O (worker threads).
 */
public interface ActivityStore {

  /**
   * Usage per day, model and provider for the days {@code from} to {@code to} (inclusive), newest
   * first; only {@code keyHash}'s when it is not null.
   */
  List<UsageRow> usage(LocalDate from, LocalDate to, String keyHash);

  /** Tokens per day, app and model for the days {@code from} to {@code to}, most tokens first. */
  List<AppUsageRow> rankings(LocalDate from, LocalDate to);

  /** Every app, by id. */
  List<App> apps();

  /** The app of a referer as {@link Apps#referer} normalises it. */
  Optional<App> app(String referer);
}
