package dev.switchboard.server.storage;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

/**
 * The writer thread's connection and prepared statements. Each call is one {@code BEGIN IMMEDIATE}
 * ... {@code COMMIT} transaction, rolled back on failure. Confined to the writer thread.
 */
final class WriteTransaction implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(WriteTransaction.class);

  private final Connection connection;
  private final PreparedStatement insertGeneration;
  private final PreparedStatement insertLedger;
  private final PreparedStatement upsertDaily;
  private final PreparedStatement upsertRollup;
  private final PreparedStatement upsertApp;
  private final PreparedStatement upsertBudgetDaily;

  WriteTransaction(Connection connection) throws SQLException {
    this.connection = connection;
    this.insertGeneration = connection.prepareStatement(GenerationRows.INSERT);
    this.insertLedger = connection.prepareStatement(UsageRows.INSERT_LEDGER);
    this.upsertDaily = connection.prepareStatement(UsageRows.UPSERT_DAILY);
    this.upsertRollup = connection.prepareStatement(SqliteActivity.UPSERT_ROLLUP);
    this.upsertApp = connection.prepareStatement(SqliteActivity.UPSERT_APP);
    this.upsertBudgetDaily = connection.prepareStatement(BudgetBook.UPSERT_DAILY);
  }

  /**
   * Writes generation records (with their usage roll-up and apps), usage charges and budget charges
   * in one transaction.
   */
  void write(List<WriteOp> ops) throws SQLException {
    List<UsageCharge> charges = new ArrayList<>();
    List<GenerationRecord> generations = new ArrayList<>();
    boolean budgets = false;
    begin();
    try {
      for (WriteOp op : ops) {
        switch (op) {
          case WriteOp.InsertGeneration(GenerationRecord g) -> {
            GenerationRows.bind(insertGeneration, g);
            insertGeneration.addBatch();
            generations.add(g);
          }
          case WriteOp.InsertCharge(UsageCharge c) -> charges.add(c);
          case WriteOp.InsertBudgetCharge(BudgetCharge c) -> {
            upsertBudgetDaily.setString(1, c.scope());
            upsertBudgetDaily.setString(2, c.subject());
            upsertBudgetDaily.setString(3, UsageRows.dayText(c.epochDay()));
            upsertBudgetDaily.setLong(4, Usd.toNanos(c.cost()));
            upsertBudgetDaily.setLong(5, Usd.toNanos(c.byokCost()));
            upsertBudgetDaily.addBatch();
            budgets = true;
          }
          default -> throw new IllegalArgumentException("not a written-behind op: " + op);
        }
      }
      if (!generations.isEmpty()) {
        insertGeneration.executeBatch();
        SqliteActivity.bind(generations, upsertRollup, upsertApp);
        upsertRollup.executeBatch();
        upsertApp.executeBatch();
      }
      if (budgets) {
        upsertBudgetDaily.executeBatch();
      }
      if (!charges.isEmpty()) {
        UsageRows.bind(charges, insertLedger, upsertDaily);
        insertLedger.executeBatch();
        upsertDaily.executeBatch();
      }
      commit();
    } catch (SQLException | RuntimeException e) {
      insertGeneration.clearBatch();
      insertLedger.clearBatch();
      upsertDaily.clearBatch();
      upsertRollup.clearBatch();
      upsertApp.clearBatch();
      upsertBudgetDaily.clearBatch();
      rollback();
      throw e;
    }
  }

  /** Runs {@code work} in one transaction and returns its result. */
  <T> T run(SqlFunction<T> work) throws SQLException {
    begin();
    try {
      T result = work.apply(connection);
      commit();
      return result;
    } catch (SQLException | RuntimeException e) {
      rollback();
      throw e;
    }
  }

  /** Copies the WAL into the database file and truncates it, so the file alone is complete. */
  void checkpoint() {
    try (Statement s = connection.createStatement()) {
      s.execute("PRAGMA wal_checkpoint(TRUNCATE)");
    } catch (SQLException e) {
      log.warn("WAL checkpoint failed; the WAL file will be applied at the next open", e);
    }
  }

  @Override
  public void close() {
    try {
      connection.close();
    } catch (SQLException e) {
      log.warn("closing the writer connection failed", e);
    }
  }

  /** True for errors worth retrying: the database was busy or locked by another process. */
  static boolean isTransient(Exception e) {
    if (e instanceof SQLiteException sqlite) {
      SQLiteErrorCode code = sqlite.getResultCode();
      return code == SQLiteErrorCode.SQLITE_BUSY
          || code == SQLiteErrorCode.SQLITE_LOCKED
          || code.name().startsWith("SQLITE_BUSY_")
          || code.name().startsWith("SQLITE_LOCKED_");
    }
    return false;
  }

  /** True when a statement broke a constraint (a duplicate key). */
  static boolean isConstraint(SQLException e) {
    return e instanceof SQLiteException sqlite
        && sqlite.getResultCode().name().startsWith("SQLITE_CONSTRAINT");
  }

  private void begin() throws SQLException {
    try (Statement s = connection.createStatement()) {
      s.execute("BEGIN IMMEDIATE");
    }
  }

  private void commit() throws SQLException {
    try (Statement s = connection.createStatement()) {
      s.execute("COMMIT");
    }
  }

  private void rollback() {
    try (Statement s = connection.createStatement()) {
      s.execute("ROLLBACK");
    } catch (SQLException e) {
      // No transaction open (BEGIN failed) or already rolled back by SQLite.
      log.debug("rollback: {}", e.getMessage());
    }
  }
}
