package dev.switchboard.server.storage;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The writer thread's connection and prepared statements. Each call is one transaction, rolled back
 * on failure. The connection is opened on first use and again after the database dropped it (a
 * PostgreSQL restart), so the writer outlives an outage. Confined to the writer thread.
 */
final class WriteTransaction implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(WriteTransaction.class);

  /**
   * False only in DurableWriterBench's A/B: PostgreSQL batches as one {@code executeBatch} per
   * table and a {@code COMMIT}, as before {@link PostgresBatch}.
   */
  static volatile boolean postgresOneStatement = true;

  private final Database database;
  private final Dialect dialect;
  private Connection connection;
  private PreparedStatement insertGeneration;
  private PreparedStatement insertLedger;
  private PreparedStatement upsertDaily;
  private PreparedStatement upsertRollup;
  private PreparedStatement upsertModels;
  private PreparedStatement upsertApp;
  private PreparedStatement upsertBudgetDaily;
  private PreparedStatement upsertDashboard;
  private PreparedStatement upsertLatency;
  private PreparedStatement postgresBatch;

  WriteTransaction(Database database) {
    this.database = database;
    this.dialect = database.dialect();
  }

  /** Opens the connection now (at start, so that a bad database fails the open). */
  void open() throws SQLException {
    if (connection != null) {
      return;
    }
    Connection c = database.openWriter();
    try {
      insertGeneration = c.prepareStatement(GenerationRows.INSERT);
      insertLedger = c.prepareStatement(UsageRows.INSERT_LEDGER);
      upsertDaily = c.prepareStatement(UsageRows.UPSERT_DAILY);
      upsertRollup = c.prepareStatement(SqlActivity.UPSERT_ROLLUP);
      upsertModels = c.prepareStatement(SqlActivity.UPSERT_MODELS);
      upsertApp = c.prepareStatement(SqlActivity.UPSERT_APP);
      upsertBudgetDaily = c.prepareStatement(BudgetBook.UPSERT_DAILY);
      upsertDashboard = c.prepareStatement(DashboardRollup.UPSERT_ROLLUP);
      upsertLatency = c.prepareStatement(DashboardRollup.UPSERT_LATENCY);
      if (dialect == Dialect.POSTGRES) {
        postgresBatch = c.prepareStatement(PostgresBatch.SQL);
      }
    } catch (SQLException e) {
      c.close();
      throw e;
    }
    connection = c;
  }

  Dialect dialect() {
    return dialect;
  }

  /**
   * Writes generation records (with their usage roll-up, apps and the dashboard's roll-ups), usage
   * charges and budget charges in one transaction.
   */
  void write(List<WriteOp> ops) throws SQLException {
    open();
    if (dialect == Dialect.POSTGRES && postgresOneStatement) {
      writeOneStatement(ops);
      return;
    }
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
        SqlActivity.bind(generations, upsertRollup, upsertModels, upsertApp);
        upsertRollup.executeBatch();
        upsertModels.executeBatch();
        upsertApp.executeBatch();
        DashboardRollup.bind(generations, upsertDashboard, upsertLatency);
        upsertDashboard.executeBatch();
        upsertLatency.executeBatch();
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
      clearBatches();
      rollback(e);
      throw e;
    }
  }

  /**
   * PostgreSQL: the whole batch in one statement, in auto-commit mode, so one round trip that
   * commits it ({@link PostgresBatch}); the next {@link #run} turns auto-commit off again.
   */
  private void writeOneStatement(List<WriteOp> ops) throws SQLException {
    List<GenerationRecord> generations = new ArrayList<>();
    List<UsageCharge> charges = new ArrayList<>();
    List<BudgetCharge> budgets = new ArrayList<>();
    for (WriteOp op : ops) {
      switch (op) {
        case WriteOp.InsertGeneration(GenerationRecord g) -> generations.add(g);
        case WriteOp.InsertCharge(UsageCharge c) -> charges.add(c);
        case WriteOp.InsertBudgetCharge(BudgetCharge c) -> budgets.add(c);
        default -> throw new IllegalArgumentException("not a written-behind op: " + op);
      }
    }
    try {
      if (!connection.getAutoCommit()) {
        connection.setAutoCommit(true); // no transaction is open between calls: sends nothing
      }
      PostgresBatch.write(connection, postgresBatch, generations, charges, budgets);
    } catch (SQLException | RuntimeException e) {
      dropIfBroken(e);
      throw e;
    }
  }

  /** Runs {@code work} in one transaction and returns its result. */
  <T> T run(SqlFunction<T> work) throws SQLException {
    open();
    begin();
    try {
      T result = work.apply(connection);
      commit();
      return result;
    } catch (SQLException | RuntimeException e) {
      rollback(e);
      throw e;
    }
  }

  /** SQLite: copies the WAL into the database file and truncates it, so the file alone is whole. */
  void checkpoint() {
    if (dialect != Dialect.SQLITE || connection == null) {
      return;
    }
    try (Statement s = connection.createStatement()) {
      s.execute("PRAGMA wal_checkpoint(TRUNCATE)");
    } catch (SQLException e) {
      log.warn("WAL checkpoint failed; the WAL file will be applied at the next open", e);
    }
  }

  @Override
  public void close() {
    if (connection == null) {
      return;
    }
    try {
      connection.close();
    } catch (SQLException e) {
      log.warn("closing the writer connection failed", e);
    }
    connection = null;
  }

  private void clearBatches() {
    try {
      insertGeneration.clearBatch();
      insertLedger.clearBatch();
      upsertDaily.clearBatch();
      upsertRollup.clearBatch();
      upsertModels.clearBatch();
      upsertApp.clearBatch();
      upsertBudgetDaily.clearBatch();
      upsertDashboard.clearBatch();
      upsertLatency.clearBatch();
    } catch (SQLException e) {
      log.debug("clearing batches: {}", e.getMessage());
    }
  }

  private void begin() throws SQLException {
    try {
      dialect.begin(connection);
    } catch (SQLException e) {
      dropIfBroken(e);
      throw e;
    }
  }

  private void commit() throws SQLException {
    dialect.commit(connection);
  }

  private void rollback(Exception cause) {
    if (connection == null) {
      return;
    }
    try {
      dialect.rollback(connection);
    } catch (SQLException e) {
      // No transaction open (BEGIN failed), already rolled back, or the connection is gone.
      log.debug("rollback: {}", e.getMessage());
    }
    dropIfBroken(cause);
  }

  /** After a connection failure, the next call opens a new connection. */
  private void dropIfBroken(Exception cause) {
    if (connection != null && dialect.isUnavailable(cause)) {
      close();
    }
  }
}
