package dev.switchboard.server.storage;

import java.util.concurrent.atomic.AtomicLong;

/**
 * A lock-free open/closed gate around enqueueing. Producers {@link #enter()} before they enqueue
 * and {@link #exit()} after; {@link #close()} shuts the gate and waits until no producer is inside.
 * Once it returns nothing more can be enqueued, so a drain that starts then sees every accepted
 * operation. Producers never wait.
 */
final class Gate {

  private static final long CLOSED = 1L << 62;

  private final AtomicLong state = new AtomicLong();

  /** True if the gate is open; the caller must call {@link #exit()} in either case. */
  boolean enter() {
    return (state.incrementAndGet() & CLOSED) == 0;
  }

  void exit() {
    state.decrementAndGet();
  }

  boolean isClosed() {
    return (state.get() & CLOSED) != 0;
  }

  /**
   * Shuts the gate and waits (spinning, for the few nanoseconds an enqueue takes) until every
   * producer that entered before has left. Returns false if it was already closed.
   */
  boolean close() {
    long s;
    do {
      s = state.get();
      if ((s & CLOSED) != 0) {
        return false;
      }
    } while (!state.compareAndSet(s, s | CLOSED));
    while ((state.get() & ~CLOSED) != 0) {
      Thread.onSpinWait();
    }
    return true;
  }
}
