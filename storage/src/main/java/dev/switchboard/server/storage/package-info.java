/**
 * Storage ports and their implementations: API keys ({@link
 * dev.switchboard.server.storage.KeyStore}), per-key usage, and generation records ({@link
 * dev.switchboard.server.storage.GenerationStore}).
 *
 * <p>The rest of the gateway codes against the interfaces and records of this package and gets an
 * implementation from {@link dev.switchboard.server.storage.Storage#sqlite} (embedded SQLite, the
 * default) or {@link dev.switchboard.server.storage.Storage#inMemory} (unit tests of other
 * packages).
 *
 * <p><b>Money.</b> Every amount is US dollars as a {@link java.math.BigDecimal} with scale {@value
 * dev.switchboard.server.storage.Usd#SCALE} (nano-dollars), never a {@code double}. SQLite stores
 * the unscaled value as an {@code INTEGER} column suffixed {@code _nanos}; see {@link
 * dev.switchboard.server.storage.Usd}. Convert to a JSON number only at the API edge.
 *
 * <p><b>Threads.</b> {@link dev.switchboard.server.storage.GenerationStore#record} and {@link
 * dev.switchboard.server.storage.KeyStore#addUsage} never block and may be called on event-loop
 * threads. Everything else may do I/O and must run on a worker or virtual thread. Writes go through
 * one writer thread in batches (write-behind); see {@code docs/adr/0003-storage.md}.
 */
package dev.switchboard.server.storage;
