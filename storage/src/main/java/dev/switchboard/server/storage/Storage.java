package dev.switchboard.server.storage;

import java.nio.file.Path;
import java.time.Clock;

/**
 * The gateway's persistent state: keys with their usage, and generation records. Open one per
 * process at startup and close it last, after the HTTP server stopped, so every queued record is
 * written ({@link #close()} is safe to call from a shutdown hook).
 *
 * <pre>{@code
 * try (Storage storage = Storage.sqlite(Path.of("data"), StorageOptions.defaults())) {
 *   storage.keys().findByHash(Keys.hash(bearer)).filter(k -> k.isActive(now));
 *   storage.generations().record(generation);
 * }
 * }</pre>
 */
public interface Storage extends AutoCloseable {

  /** Name of the SQLite database file inside the data folder. */
  String SQLITE_FILE_NAME = "switchboard.db";

  /** Keys and their usage. */
  KeyStore keys();

  /** Generation records. */
  GenerationStore generations();

  /** The organisation's credits and their ledger. */
  CreditStore credits();

  /** Guardrails and their key assignments. */
  GuardrailStore guardrails();

  /** End-user and session budgets and their spend. */
  BudgetStore budgets();

  /** Per-key rate limits. */
  KeyLimitStore keyLimits();

  /** Usage aggregates and apps. */
  ActivityStore activity();

  /** The dashboard's aggregates and generation log. */
  InsightStore insights();

  /** Counters of the write-behind queue. */
  WriteBehindStats stats();

  /**
   * Writes every queued record and usage charge, then releases the database. Idempotent; safe to
   * call from a JVM shutdown hook. Blocking calls made afterwards throw.
   */
  @Override
  void close();

  /**
   * Opens (creating it and its folder if missing) {@code dataDir/switchboard.db}, migrates its
   * schema and starts the writer thread. Blocking. The folder is owner-only (0700, its files 0600)
   * and locked ({@code switchboard.lock}) until {@link #close()}: a second open of the same folder,
   * in this process or another, throws {@link DataFolderException}, as does a folder that cannot be
   * created or written.
   */
  static Storage sqlite(Path dataDir, StorageOptions options) {
    return SqliteStorage.open(dataDir, options);
  }

  /** {@link #sqlite(Path, StorageOptions)} with {@link StorageOptions#defaults()}. */
  static Storage sqlite(Path dataDir) {
    return sqlite(dataDir, StorageOptions.defaults());
  }

  /** A fast in-memory storage for tests, on the system UTC clock. Nothing is persisted. */
  static Storage inMemory() {
    return inMemory(Clock.systemUTC());
  }

  /** A fast in-memory storage for tests whose usage windows follow {@code clock}. */
  static Storage inMemory(Clock clock) {
    return new InMemoryStorage(clock);
  }
}
