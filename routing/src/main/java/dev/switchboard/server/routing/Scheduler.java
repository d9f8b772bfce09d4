package dev.switchboard.server.routing;

/**
 * Time as the attempt loop sees it: a monotonic clock and one-shot timers. The gateway backs it
 * with the request's event loop (its timers run on that loop, so the loop needs no locks); tests
 * back it with a hand-driven clock, so hedging, retries and deadlines are tested without a server
 * and without waiting.
 */
public interface Scheduler {

  /** A monotonic time in nanoseconds, as {@link System#nanoTime()}. */
  long nanoTime();

  /** Runs {@code task} once after {@code delayMs}, on the same thread as the loop's other calls. */
  Timer schedule(long delayMs, Runnable task);

  /** A scheduled task that has not run yet can be cancelled; cancelling a run one does nothing. */
  interface Timer {
    void cancel();
  }
}
