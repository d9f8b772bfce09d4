package dev.switchboard.server.storage;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Books, at open, the charges of generation records that reached the disk without their charge.
 *
 * <p>A request's generation record and its charge are two written-behind ops, queued one right
 * after the other by the same thread (the settle stage records the generation, then settles the
 * reservation). The writer commits in queue order, so a {@code kill -9} can lose a charge whose
 * record is on disk (the two fell into different batches), never the reverse. Such a generation is
 * among the last ones committed: this looks at the newest {@code window} generation rows (by rowid,
 * which follows commit order) and books a ledger row and the daily roll-up for each that cost
 * something and has no ledger row, at the record's time, and the user and session budget charges
 * that were queued behind it (a budget rule covers the record's {@code user} or {@code session_id},
 * or the default rule of its scope). Afterwards every key's usage equals the sum of its generation
 * records' costs.
 *
 * <p>Which of them have a ledger row is read from the newest ledger rows, by id (commit order),
 * back to the first one older than the oldest of those records by more than {@link #SLACK_US}: a
 * charge is made when its request ends, so it is never older than its record. There is no index by
 * generation id (V18): it cost every request a random b-tree insert to serve this one query.
 */
final class ChargeRecovery {

  private static final Logger log = LoggerFactory.getLogger(ChargeRecovery.class);

  private static final String NEWEST =
      "SELECT g.id, g.key_hash, g.created_at_us, g.total_cost_nanos, g.external_user,"
          + " g.session_id FROM generations g"
          + " WHERE g.rowid > (SELECT COALESCE(MAX(rowid), 0) FROM generations) - ?"
          + " AND g.total_cost_nanos > 0"
          + " ORDER BY g.rowid";

  private static final String LEDGER_NEWEST_FIRST =
      "SELECT generation_id, at_us FROM key_usage_ledger ORDER BY id DESC";

  /**
   * How much older than the oldest record looked at the ledger is read: a charge's time is taken
   * after its record's, on the same clock; this covers the clock being set back meanwhile.
   */
  static final long SLACK_US = 3_600_000_000L;

  private static final String RULE =
      "SELECT 1 FROM budget_rules WHERE scope = ? AND subject IN (?, '*') LIMIT 1";

  private ChargeRecovery() {}

  /** A missing charge, and the user and session it was made for. */
  private record Missing(UsageCharge charge, String user, String session) {}

  /**
   * Books the missing charges among the newest {@code window} generations; returns how many. Runs
   * on the writer connection before the writer starts.
   */
  static int recover(Connection c, int window) throws SQLException {
    List<Missing> newest = new ArrayList<>();
    long oldest = Long.MAX_VALUE;
    try (PreparedStatement ps = c.prepareStatement(NEWEST)) {
      ps.setLong(1, window);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          long createdUs = rs.getLong(3);
          oldest = Math.min(oldest, createdUs);
          UsageCharge charge =
              new UsageCharge(
                  rs.getString(2),
                  Usd.fromNanos(rs.getLong(4)),
                  Usd.ZERO,
                  SqlValues.instant(createdUs),
                  rs.getString(1));
          newest.add(new Missing(charge, rs.getString(5), rs.getString(6)));
        }
      }
    }
    if (newest.isEmpty()) {
      return 0;
    }
    Set<String> charged = new HashSet<>();
    try (PreparedStatement ps = c.prepareStatement(LEDGER_NEWEST_FIRST);
        ResultSet rs = ps.executeQuery()) {
      while (rs.next() && rs.getLong(2) >= oldest - SLACK_US) {
        String generationId = rs.getString(1);
        if (generationId != null) {
          charged.add(generationId);
        }
      }
    }
    List<Missing> missing = new ArrayList<>();
    for (Missing m : newest) {
      if (!charged.contains(m.charge().generationId())) {
        missing.add(m);
      }
    }
    if (missing.isEmpty()) {
      return 0;
    }
    long nanos = 0;
    try (Statement tx = c.createStatement()) {
      tx.execute("BEGIN IMMEDIATE");
    }
    try (PreparedStatement ledger = c.prepareStatement(UsageRows.INSERT_LEDGER);
        PreparedStatement daily = c.prepareStatement(UsageRows.UPSERT_DAILY);
        PreparedStatement budget = c.prepareStatement(BudgetBook.UPSERT_DAILY);
        PreparedStatement rule = c.prepareStatement(RULE)) {
      List<UsageCharge> charges = new ArrayList<>(missing.size());
      for (Missing m : missing) {
        charges.add(m.charge());
        nanos += Usd.toNanos(m.charge().cost());
        budget(rule, budget, "user", m.user(), m.charge());
        budget(rule, budget, "session", m.session(), m.charge());
      }
      UsageRows.bind(charges, ledger, daily);
      ledger.executeBatch();
      daily.executeBatch();
      budget.executeBatch();
      try (Statement tx = c.createStatement()) {
        tx.execute("COMMIT");
      }
    } catch (SQLException | RuntimeException e) {
      try (Statement tx = c.createStatement()) {
        tx.execute("ROLLBACK");
      } catch (SQLException ignored) {
        // the original error is reported
      }
      throw e;
    }
    log.atWarn()
        .addKeyValue("charges", missing.size())
        .addKeyValue("usd", Usd.fromNanos(nanos).toPlainString())
        .log("booked the charges of generation records written without them (an unclean stop)");
    return missing.size();
  }

  private static void budget(
      PreparedStatement rule,
      PreparedStatement budget,
      String scope,
      String subject,
      UsageCharge charge)
      throws SQLException {
    if (subject == null || subject.isEmpty()) {
      return;
    }
    rule.setString(1, scope);
    rule.setString(2, subject);
    try (ResultSet rs = rule.executeQuery()) {
      if (!rs.next()) {
        return;
      }
    }
    budget.setString(1, scope);
    budget.setString(2, subject);
    budget.setString(3, UsageRows.dayText(UsageBook.epochDay(charge)));
    budget.setLong(4, Usd.toNanos(charge.cost()));
    budget.setLong(5, 0);
    budget.addBatch();
  }
}
