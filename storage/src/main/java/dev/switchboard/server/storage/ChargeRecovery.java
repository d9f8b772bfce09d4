package dev.switchboard.server.storage;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
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
 */
final class ChargeRecovery {

  private static final Logger log = LoggerFactory.getLogger(ChargeRecovery.class);

  private static final String MISSING =
      "SELECT g.id, g.key_hash, g.created_at_us, g.total_cost_nanos, g.external_user,"
          + " g.session_id FROM generations g"
          + " WHERE g.rowid > (SELECT COALESCE(MAX(rowid), 0) FROM generations) - ?"
          + " AND g.total_cost_nanos > 0"
          + " AND NOT EXISTS (SELECT 1 FROM key_usage_ledger l WHERE l.generation_id = g.id)"
          + " ORDER BY g.rowid";

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
    List<Missing> missing = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement(MISSING)) {
      ps.setLong(1, window);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          UsageCharge charge =
              new UsageCharge(
                  rs.getString(2),
                  Usd.fromNanos(rs.getLong(4)),
                  Usd.ZERO,
                  SqlValues.instant(rs.getLong(3)),
                  rs.getString(1));
          missing.add(new Missing(charge, rs.getString(5), rs.getString(6)));
        }
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
