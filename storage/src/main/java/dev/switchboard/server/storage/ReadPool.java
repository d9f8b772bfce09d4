package dev.switchboard.server.storage;

/**
 * Connections for reads, lent to one caller at a time: a fixed set of read-only SQLite connections
 * ({@link SqliteReadPool}), or the PostgreSQL pool ({@link PostgresDatabase}). Blocking.
 */
interface ReadPool extends AutoCloseable, SqlInsights.Reads {

  /**
   * Runs {@code work} on a lent connection; a database failure becomes a 500-class exception, an
   * unreachable database a 503-class one.
   */
  @Override
  <T> T read(String what, SqlFunction<T> work);

  /** The pool's live state, for metrics. */
  ConnectionPoolStats stats();

  @Override
  void close();
}
