package dev.switchboard.server.storage;

import java.util.Optional;

/**
 * The port for generation records, written behind the request path.
 *
 * <p>{@link #record} never blocks and never does I/O: it is called on event-loop threads when a
 * response ends. The record is visible to {@link #find} at once and becomes durable within the
 * writer's batch delay (tens of milliseconds). {@link #flush} and {@link #close} wait for that.
 */
public interface GenerationStore {

  /**
   * Enqueues {@code generation} for writing. Never blocks. After {@link #close()} the record is
   * rejected: logged and counted in {@link WriteBehindStats#rejected()}, never thrown.
   */
  void record(GenerationRecord generation);

  /** The generation with this id, including records not yet written. Blocking. */
  Optional<GenerationRecord> find(String id);

  /** Blocks until every record enqueued before this call is durable. */
  void flush();

  /**
   * Stops accepting records, then writes every queued one before returning. Idempotent; safe to
   * call from a JVM shutdown hook and from several threads.
   */
  void close();
}
