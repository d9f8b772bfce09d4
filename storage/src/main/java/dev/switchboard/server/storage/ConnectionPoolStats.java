package dev.switchboard.server.storage;

/**
 * The live state of one of the storage's connection pools, read when metrics are scraped: the
 * SQLite read connections ({@code sqlite-read}) or the PostgreSQL pool (HikariCP, {@code
 * switchboard-postgres}). Cheap and thread-safe; values may be a moment apart from each other.
 */
public interface ConnectionPoolStats {

  /** The pool's name, a metric label. */
  String name();

  /** Connections lent to a caller now. */
  int active();

  /** Open connections waiting to be lent. */
  int idle();

  /** Callers waiting for a connection. */
  int pending();

  /** The most connections the pool opens. */
  int max();
}
