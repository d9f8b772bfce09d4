package dev.switchboard.server.storage;

import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The gateway's persistent state: keys with their usage, and generation records, on SQLite (one
 * gateway, {@link #sqlite}) or PostgreSQL (several, {@link #postgres}). Open one per process at
 * startup and close it last, after the HTTP server stopped, so every queued record is written
 * ({@link #close()} is safe to call from a shutdown hook).
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

  /**
   * Saved presets and their versions. A storage that does not keep them refuses, so that a preset
   * is never silently lost.
   */
  default PresetStore presets() {
    throw new UnsupportedOperationException(getClass().getSimpleName() + " does not store presets");
  }

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
   * Whether the database answers and the backlog has room: {@code /health/ready} reports it and the
   * gateway refuses new billable requests (503) while {@link StorageHealth#accepting()} is false.
   * Never blocks.
   */
  default StorageHealth health() {
    return StorageHealth.OK;
  }

  /**
   * Reads again what this process holds in memory and other processes sharing the database may have
   * changed: guardrails and their assignments, budget rules, key rate limits, the credit totals,
   * the cached keys and, on PostgreSQL, the keys' usage (so that the other nodes' charges count).
   * Blocking. On PostgreSQL it also runs by itself every {@value #REFRESH_SECONDS} seconds; an
   * invalidation message can call it sooner. A no-op in memory.
   */
  default void refresh() {}

  /**
   * {@link #refresh()} soon, on the storage's own background thread (never the caller's), then runs
   * {@code then}; requests that arrive while one is queued share it. For invalidation messages from
   * other nodes. Without a shared database it runs {@code then} at once.
   */
  default void refreshSoon(Runnable then) {
    then.run();
  }

  /** How often a storage shared with other processes refreshes by itself. */
  int REFRESH_SECONDS = 5;

  /**
   * True when other gateway processes share this database (PostgreSQL): each node then sees the
   * others' records and charges once committed, not before (ADR 0026).
   */
  default boolean shared() {
    return false;
  }

  /**
   * Runs {@code work} on this thread, and writes the records and charges it enqueues in one
   * transaction: one request's generation record and its charges are committed together or not at
   * all, whenever the process is killed.
   */
  default void together(Runnable work) {
    work.run();
  }

  /**
   * Completes once every record and charge enqueued before the call is committed, or at once while
   * the database is unreachable (they are then kept in memory, see {@link StorageHealth}). Never
   * blocks.
   */
  default CompletionStage<Void> durable() {
    return CompletableFuture.completedFuture(null);
  }

  /**
   * Packs the dashboard's latency histograms of the hours and days that have ended (a SQL storage's
   * compaction thread does it every minute; ADR 0013) and returns how many it packed. The in-memory
   * storage has nothing to pack.
   */
  default int compactDashboard() {
    return 0;
  }

  /** The storage's connection pools, for metrics; none in memory. */
  default List<ConnectionPoolStats> connectionPools() {
    return List.of();
  }

  /**
   * Like {@link #durable()}, without hurrying the writer: completes with the commit of the batch
   * the call falls into, and what is enqueued right after may join that batch (so a charge and the
   * generation record enqueued after it are still committed together).
   */
  default CompletionStage<Void> durableWithBatch() {
    return durable();
  }

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
    return SqlStorage.open(dataDir, options);
  }

  /**
   * Connects to PostgreSQL, migrates its schema and starts the writer thread. Blocking. No data
   * folder and no lock: several gateways share the database. Throws a {@code GatewayException}
   * naming the server's reason when it cannot be reached.
   */
  static Storage postgres(PostgresSettings settings, StorageOptions options) {
    return SqlStorage.open(() -> new PostgresDatabase(settings), null, options);
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
