package dev.switchboard.server.storage;

import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * Tuning of the SQL storage (SQLite or PostgreSQL). Start from {@link #defaults()} and change what
 * you need with the {@code with...} methods.
 *
 * @param maxBatchSize most operations committed in one transaction (default 500)
 * @param maxBatchDelay how long the writer waits for a batch to fill after its first operation
 *     (default 50 ms); zero commits whatever is queued at once (group commit)
 * @param queueCapacity backlog above which accepted operations count as spilled and a warning is
 *     logged (default 10,000)
 * @param maxBacklog bound of the backlog (records and charges waiting, also those kept in memory
 *     while PostgreSQL is unreachable): at it the storage stops accepting new work, and the gateway
 *     refuses new billable requests with 503; operations of requests already admitted are still
 *     taken up to twice this bound, beyond which they are dropped and logged at ERROR (default
 *     200,000)
 * @param readConnections size of the read connection pool (default 4)
 * @param keyCacheSize most keys held by the key cache (default 10,000)
 * @param keyCacheTtl how long a cached key lives; bounds how stale a change made by another process
 *     on the same file (the CLI) can look (default 30 s; unknown hashes live 2 s)
 * @param busyTimeout how long a connection waits for a lock held by another process (default 5 s)
 * @param retentionDays generation records and ledger rows older than this many days are deleted in
 *     the background (hourly); the daily roll-ups stay. 0 keeps everything (default)
 * @param clock the clock for created/updated times and the usage windows
 */
public record StorageOptions(
    int maxBatchSize,
    Duration maxBatchDelay,
    int queueCapacity,
    int maxBacklog,
    int readConnections,
    int keyCacheSize,
    Duration keyCacheTtl,
    Duration busyTimeout,
    int retentionDays,
    Clock clock) {

  public StorageOptions {
    requireArgument(maxBatchSize >= 1, "max batch size must be at least 1");
    Objects.requireNonNull(maxBatchDelay, "maxBatchDelay");
    requireArgument(!maxBatchDelay.isNegative(), "max batch delay must not be negative");
    requireArgument(queueCapacity >= 1, "queue capacity must be at least 1");
    requireArgument(maxBacklog >= queueCapacity, "max backlog must be at least the queue capacity");
    requireArgument(readConnections >= 1, "read connections must be at least 1");
    requireArgument(keyCacheSize >= 0, "key cache size must not be negative");
    Objects.requireNonNull(keyCacheTtl, "keyCacheTtl");
    Objects.requireNonNull(busyTimeout, "busyTimeout");
    requireArgument(retentionDays >= 0, "retention days must not be negative");
    Objects.requireNonNull(clock, "clock");
  }

  /** The defaults described on each component. */
  public static StorageOptions defaults() {
    return new StorageOptions(
        500,
        Duration.ofMillis(50),
        10_000,
        200_000,
        4,
        10_000,
        Duration.ofSeconds(30),
        Duration.ofSeconds(5),
        0,
        Clock.systemUTC());
  }

  public StorageOptions withBatching(int newMaxBatchSize, Duration newMaxBatchDelay) {
    return new StorageOptions(
        newMaxBatchSize,
        newMaxBatchDelay,
        queueCapacity,
        maxBacklog,
        readConnections,
        keyCacheSize,
        keyCacheTtl,
        busyTimeout,
        retentionDays,
        clock);
  }

  public StorageOptions withQueue(int newQueueCapacity, int newMaxBacklog) {
    return new StorageOptions(
        maxBatchSize,
        maxBatchDelay,
        newQueueCapacity,
        newMaxBacklog,
        readConnections,
        keyCacheSize,
        keyCacheTtl,
        busyTimeout,
        retentionDays,
        clock);
  }

  public StorageOptions withReadConnections(int newReadConnections) {
    return new StorageOptions(
        maxBatchSize,
        maxBatchDelay,
        queueCapacity,
        maxBacklog,
        newReadConnections,
        keyCacheSize,
        keyCacheTtl,
        busyTimeout,
        retentionDays,
        clock);
  }

  public StorageOptions withRetentionDays(int newRetentionDays) {
    return new StorageOptions(
        maxBatchSize,
        maxBatchDelay,
        queueCapacity,
        maxBacklog,
        readConnections,
        keyCacheSize,
        keyCacheTtl,
        busyTimeout,
        newRetentionDays,
        clock);
  }

  /** The backlog bound alone ({@link #maxBacklog()}), the spill warning kept below it. */
  public StorageOptions withMaxBacklog(int newMaxBacklog) {
    return withQueue(Math.min(queueCapacity, newMaxBacklog), newMaxBacklog);
  }

  public StorageOptions withClock(Clock newClock) {
    return new StorageOptions(
        maxBatchSize,
        maxBatchDelay,
        queueCapacity,
        maxBacklog,
        readConnections,
        keyCacheSize,
        keyCacheTtl,
        busyTimeout,
        retentionDays,
        newClock);
  }

  private static void requireArgument(boolean ok, String message) {
    if (!ok) {
      throw new IllegalArgumentException(message);
    }
  }
}
