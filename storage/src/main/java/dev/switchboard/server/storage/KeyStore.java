package dev.switchboard.server.storage;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The port for API keys and their usage. Keys are addressed by {@link Keys#hash}; the plaintext
 * never reaches this interface.
 *
 * <p>Threads: {@link #addUsage}, {@link #charge} and {@link #usage} never block or do I/O and may
 * run on an event loop. {@link #findByHash} is served from a cache and does I/O only on a miss; the
 * other methods do I/O: call them from a worker or virtual thread.
 *
 * <p>Consistency: a change made through {@link #update} or {@link #delete} is visible to {@link
 * #findByHash} as soon as the call returns (a disabled key fails immediately after the PATCH).
 * Usage is counted in memory when charged, so {@link #usage} reflects a charge as soon as {@link
 * #charge} returns; the ledger rows reach the database through the batched writer.
 */
public interface KeyStore {

  /**
   * The key with this hash, disabled and expired keys included (check {@link ApiKey#isActive}),
   * with its current usage; empty when no such key exists or it was deleted.
   */
  Optional<ApiKey> findByHash(String hash);

  /**
   * Drops what this process cached of the key {@code hash}, so that the next lookup reads it again
   * (another process sharing the database changed it). A no-op where nothing is cached.
   */
  default void forget(String hash) {}

  /**
   * Stores a new key and returns it. Throws a {@code GatewayException} when a key with the same
   * hash already exists.
   */
  ApiKey create(NewKey spec);

  /** Applies {@code patch}; empty when no such key exists. */
  Optional<ApiKey> update(String hash, KeyPatch patch);

  /** Deletes the key; false when no such key existed. Its usage ledger is kept. */
  boolean delete(String hash);

  /**
   * A page of keys, newest first (ties by hash). The management API pages by 100.
   *
   * @param offset keys to skip, not negative
   * @param limit page size, not negative
   * @param includeDisabled whether disabled keys are listed
   */
  List<ApiKey> list(int offset, int limit, boolean includeDisabled);

  /**
   * What the key has spent: all time, today (UTC), this week (from Monday 00:00 UTC) and this month
   * (UTC); zero for an unknown key. Never blocks.
   */
  KeyUsage usage(String hash);

  /** Records a charge. Never blocks; the ledger row is written behind. */
  void charge(UsageCharge charge);

  /** Charges {@code cost} USD to the key at {@code at}. Never blocks. */
  default void addUsage(String hash, BigDecimal cost, Instant at) {
    charge(new UsageCharge(hash, cost, Usd.ZERO, at, null));
  }
}
