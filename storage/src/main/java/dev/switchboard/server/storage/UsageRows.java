package dev.switchboard.server.storage;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The usage tables: {@code key_usage_ledger} (append-only, one row per charge) and {@code
 * key_usage_daily} (per key and UTC day, kept in step with the ledger in the same transaction).
 */
final class UsageRows {

  static final String INSERT_LEDGER =
      "INSERT INTO key_usage_ledger (key_hash, day, at_us, cost_nanos, byok_nanos, generation_id)"
          + " VALUES (?, ?, ?, ?, ?, ?)";

  static final String UPSERT_DAILY =
      "INSERT INTO key_usage_daily (key_hash, day, cost_nanos, byok_nanos, charges)"
          + " VALUES (?, ?, ?, ?, ?)"
          + " ON CONFLICT (key_hash, day) DO UPDATE SET"
          + " cost_nanos = key_usage_daily.cost_nanos + excluded.cost_nanos,"
          + " byok_nanos = key_usage_daily.byok_nanos + excluded.byok_nanos,"
          + " charges = key_usage_daily.charges + excluded.charges";

  private UsageRows() {}

  /**
   * Adds the ledger rows of {@code charges} to {@code ledger}'s batch, and one roll-up row per key
   * and day to {@code daily}'s batch; the caller executes both.
   */
  static void bind(List<UsageCharge> charges, PreparedStatement ledger, PreparedStatement daily)
      throws SQLException {
    Map<DayKey, long[]> perDay = new HashMap<>();
    for (UsageCharge c : charges) {
      long day = UsageBook.epochDay(c);
      long cost = Usd.toNanos(c.cost());
      long byok = Usd.toNanos(c.byokCost());
      ledger.setString(1, c.keyHash());
      ledger.setString(2, dayText(day));
      ledger.setLong(3, SqlValues.micros(c.at()));
      ledger.setLong(4, cost);
      ledger.setLong(5, byok);
      ledger.setString(6, c.generationId());
      ledger.addBatch();
      long[] sum = perDay.computeIfAbsent(new DayKey(c.keyHash(), day), k -> new long[3]);
      sum[0] += cost;
      sum[1] += byok;
      sum[2]++;
    }
    for (Map.Entry<DayKey, long[]> e : perDay.entrySet()) {
      daily.setString(1, e.getKey().keyHash());
      daily.setString(2, dayText(e.getKey().epochDay()));
      daily.setLong(3, e.getValue()[0]);
      daily.setLong(4, e.getValue()[1]);
      daily.setLong(5, e.getValue()[2]);
      daily.addBatch();
    }
  }

  /** Fills {@code book} from the roll-up: every key's total, and the recent day buckets. */
  static void load(Connection connection, UsageBook book, LocalDate today) throws SQLException {
    try (PreparedStatement ps =
            connection.prepareStatement(
                "SELECT key_hash, SUM(cost_nanos), SUM(byok_nanos) FROM key_usage_daily"
                    + " GROUP BY key_hash");
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        book.loadTotal(rs.getString(1), rs.getLong(2), rs.getLong(3));
      }
    }
    String since = dayText(today.toEpochDay() - UsageBook.KEEP_DAYS);
    try (PreparedStatement ps =
        connection.prepareStatement(
            "SELECT key_hash, day, cost_nanos, byok_nanos FROM key_usage_daily WHERE day > ?")) {
      ps.setString(1, since);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          long day = LocalDate.parse(rs.getString(2)).toEpochDay();
          book.loadDay(rs.getString(1), day, rs.getLong(3), rs.getLong(4));
        }
      }
    }
  }

  /** {@code YYYY-MM-DD} of an epoch day. */
  static String dayText(long epochDay) {
    return LocalDate.ofEpochDay(epochDay).toString();
  }

  /** Today in UTC according to {@code options}' clock. */
  static LocalDate today(StorageOptions options) {
    return LocalDate.ofInstant(options.clock().instant(), ZoneOffset.UTC);
  }

  private record DayKey(String keyHash, long epochDay) {}
}
