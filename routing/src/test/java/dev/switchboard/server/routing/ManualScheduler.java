package dev.switchboard.server.routing;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A {@link Scheduler} driven by hand: time moves only in {@link #advance}, which runs the timers
 * that fall due, in order. Its clock is the same milliseconds as the routing fixture's live stats.
 */
final class ManualScheduler implements Scheduler {

  private final AtomicLong clockMs;
  private final List<Task> tasks = new ArrayList<>();
  private long seq;

  ManualScheduler(AtomicLong clockMs) {
    this.clockMs = clockMs;
  }

  private final class Task implements Timer {
    final long dueMs;
    final long order = seq++;
    final Runnable run;
    boolean cancelled;

    Task(long dueMs, Runnable run) {
      this.dueMs = dueMs;
      this.run = run;
    }

    @Override
    public void cancel() {
      cancelled = true;
      tasks.remove(this);
    }
  }

  @Override
  public long nanoTime() {
    return clockMs.get() * 1_000_000;
  }

  @Override
  public Timer schedule(long delayMs, Runnable task) {
    Task t = new Task(clockMs.get() + delayMs, task);
    tasks.add(t);
    return t;
  }

  /** Moves time forward by {@code ms}, running every timer that falls due on the way. */
  void advance(long ms) {
    long end = clockMs.get() + ms;
    while (true) {
      Task due =
          tasks.stream()
              .filter(t -> t.dueMs <= end)
              .min(Comparator.<Task>comparingLong(t -> t.dueMs).thenComparingLong(t -> t.order))
              .orElse(null);
      if (due == null) {
        break;
      }
      tasks.remove(due);
      clockMs.set(Math.max(clockMs.get(), due.dueMs));
      due.run.run();
    }
    clockMs.set(end);
  }

  /** Timers still waiting. */
  int pending() {
    return tasks.size();
  }
}
