package dev.switchboard.server.cluster;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * One call to Redis at a time for what is queued: what is offered while a call is on its way waits
 * for it and goes in the next call (at most {@value RedisGate#MAX_BATCH} items), as the writer
 * groups its commits; an item offered alone is sent at once. Admissions and settlements each have
 * one.
 */
final class OneCallAtATime<T> {
  private final ConcurrentLinkedQueue<T> queue = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean calling = new AtomicBoolean();
  private final Predicate<T> wanted;
  private final Function<List<T>, CompletionStage<?>> call;

  OneCallAtATime(Predicate<T> wanted, Function<List<T>, CompletionStage<?>> call) {
    this.wanted = wanted;
    this.call = call;
  }

  void offer(T item) {
    queue.add(item);
    drain();
  }

  /** What waits for the next call. */
  Iterable<T> queued() {
    return queue;
  }

  /** Nothing queued and no call on its way. */
  boolean idle() {
    return queue.isEmpty() && !calling.get();
  }

  private void drain() {
    while (!queue.isEmpty() && calling.compareAndSet(false, true)) {
      List<T> next = new ArrayList<>();
      for (T t; next.size() < RedisGate.MAX_BATCH && (t = queue.poll()) != null; ) {
        if (wanted.test(t)) {
          next.add(t);
        }
      }
      if (next.isEmpty()) {
        calling.set(false);
        continue;
      }
      call.apply(next)
          .whenComplete(
              (ok, err) -> {
                calling.set(false);
                drain();
              });
      return;
    }
  }
}
