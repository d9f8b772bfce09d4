package dev.switchboard.server.plugins;

import dev.switchboard.core.model.LlmResponse;
import dev.switchboard.core.model.StreamEvent;
import java.util.List;

/**
 * Where cached responses live (a port): one node's memory today ({@link LocalResponseCacheStore}),
 * a shared store for a cluster later. Thread-safe; never blocks for long (the request's event loop
 * calls it).
 */
public interface ResponseCacheStore {

  /** The live entry under {@code key}, or null (none, or expired). */
  Entry get(String key, long nowMillis);

  /** Stores {@code entry} under {@code key} until its expiry. */
  void put(String key, Entry entry);

  /** Drops what is under {@code key}. */
  void invalidate(String key);

  /**
   * A cached answer: the whole answer or the stream's events, what served it, the generation that
   * produced it, and when it was stored and expires (epoch milliseconds).
   */
  record Entry(
      LlmResponse whole,
      List<StreamEvent> events,
      String model,
      String providerName,
      String sourceGenerationId,
      long storedAtMillis,
      long expiresAtMillis) {

    public Entry {
      events = events == null ? List.of() : List.copyOf(events);
    }
  }
}
