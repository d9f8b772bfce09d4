package dev.switchboard.server.storage;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

/**
 * What differs between the two SQL engines the stores run on. The stores' SQL is written once for
 * both: booleans bound with {@code setBoolean}, days bound as {@code YYYY-MM-DD} strings (the
 * PostgreSQL connection sends strings untyped, so the server reads them as {@code DATE}), upserts
 * that name their table in {@code DO UPDATE SET}, and no engine-only functions. Transactions, error
 * classes, locks and the migration set are what is left, and they live here.
 */
enum Dialect {
  SQLITE("classpath:db/migration/sqlite") {
    @Override
    void begin(Connection c) throws SQLException {
      try (Statement s = c.createStatement()) {
        s.execute("BEGIN IMMEDIATE"); // takes the write lock now, not at the first write
      }
    }

    @Override
    void commit(Connection c) throws SQLException {
      try (Statement s = c.createStatement()) {
        s.execute("COMMIT");
      }
    }

    @Override
    void rollback(Connection c) throws SQLException {
      try (Statement s = c.createStatement()) {
        s.execute("ROLLBACK");
      }
    }

    @Override
    void lockCredits(Connection c) {
      // BEGIN IMMEDIATE already holds the database's one write lock.
    }

    @Override
    boolean isTransient(Exception e) {
      if (e instanceof SQLiteException sqlite) {
        String code = sqlite.getResultCode().name();
        return sqlite.getResultCode() == SQLiteErrorCode.SQLITE_BUSY
            || sqlite.getResultCode() == SQLiteErrorCode.SQLITE_LOCKED
            || code.startsWith("SQLITE_BUSY_")
            || code.startsWith("SQLITE_LOCKED_");
      }
      return false;
    }

    @Override
    boolean isUnavailable(Exception e) {
      return false; // a file next to the process: never "unreachable"
    }
  },

  POSTGRES("classpath:db/migration/postgresql") {
    @Override
    void begin(Connection c) throws SQLException {
      if (c.getAutoCommit()) {
        c.setAutoCommit(false);
      }
    }

    @Override
    void commit(Connection c) throws SQLException {
      c.commit();
    }

    @Override
    void rollback(Connection c) throws SQLException {
      c.rollback();
    }

    @Override
    void lockCredits(Connection c) throws SQLException {
      // Nodes add credits concurrently; a transaction-scoped advisory lock serialises the
      // read-check-insert of a correction across all of them.
      try (Statement s = c.createStatement()) {
        s.execute("SELECT pg_advisory_xact_lock(" + CREDITS_LOCK + ")");
      }
    }

    @Override
    boolean isTransient(Exception e) {
      String state = sqlState(e);
      // serialization failure, deadlock, lock not available
      return "40001".equals(state) || "40P01".equals(state) || "55P03".equals(state);
    }

    @Override
    boolean isUnavailable(Exception e) {
      for (Throwable t = e; t != null; t = t.getCause()) {
        if (t instanceof SQLException sql) {
          String state = sql.getSQLState();
          // 08: connection exceptions; 57P01-57P03: admin shutdown, crash shutdown, cannot
          // connect now; 53300: too many connections.
          if (state != null
              && (state.startsWith("08") || state.startsWith("57P") || state.equals("53300"))) {
            return true;
          }
        }
        if (t instanceof java.net.ConnectException
            || t instanceof java.net.SocketException
            || t instanceof java.io.EOFException
            || t instanceof java.sql.SQLTransientConnectionException) {
          return true;
        }
        if (t.getCause() == t) {
          break;
        }
      }
      return false;
    }
  };

  /** The advisory lock key of the credit ledger (any constant; "SBCR" in ASCII). */
  private static final long CREDITS_LOCK = 0x53424352L;

  private final String migrations;

  Dialect(String migrations) {
    this.migrations = migrations;
  }

  /** Flyway location of this engine's migration set. */
  String migrations() {
    return migrations;
  }

  abstract void begin(Connection c) throws SQLException;

  abstract void commit(Connection c) throws SQLException;

  abstract void rollback(Connection c) throws SQLException;

  /** Serialises credit-ledger changes for the rest of the transaction. */
  abstract void lockCredits(Connection c) throws SQLException;

  /** True for errors worth retrying at once: a busy database, a deadlock. */
  abstract boolean isTransient(Exception e);

  /** True when the database cannot be reached: the write is kept and retried until it can. */
  abstract boolean isUnavailable(Exception e);

  /** True when a statement broke a constraint (a duplicate key). */
  static boolean isConstraint(SQLException e) {
    if (e instanceof SQLiteException sqlite) {
      return sqlite.getResultCode().name().startsWith("SQLITE_CONSTRAINT");
    }
    String state = e.getSQLState();
    return state != null && state.startsWith("23");
  }

  private static String sqlState(Exception e) {
    return e instanceof SQLException sql ? sql.getSQLState() : null;
  }
}
