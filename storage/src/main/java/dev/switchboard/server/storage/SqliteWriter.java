package dev.switchboard.server.storage;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one thread that writes to the database, and its queue.
 *
 * <p>Generation records and usage charges are enqueued without blocking and committed in batches:
 * the writer takes the first queued op, waits up to {@link StorageOptions#maxBatchDelay()} for more
 * (up to {@link StorageOptions#maxBatchSize()}), and commits them in one transaction. Key changes
 * ({@link #call}) and flushes ({@link #flush}) travel through the same queue, so they see every op
 * queued before them; they end the wait at once.
 *
 * <p>Queue policy: the queue never blocks a producer. Above {@link StorageOptions#queueCapacity()}
 * queued ops, new ops are still accepted (they "spill" into the rest of the queue) but counted and
 * warned about; at {@link StorageOptions#maxBacklog()} they are dropped, counted and logged at
 * ERROR. Nothing is dropped silently.
 *
 * <p>A batch the database refuses is retried, then written op by op so that one bad row (a
 * duplicate id) cannot sink the others; ops that still fail are counted and logged at ERROR.
 */
final class SqliteWriter {

  private static final Logger log = LoggerFactory.getLogger(SqliteWriter.class);
  private static final int ATTEMPTS = 3;

  private final StorageOptions options;
  private final WriteTransaction transaction;
  private final LinkedBlockingQueue<WriteOp> queue;
  private final Gate gate = new Gate();
  private final ConcurrentHashMap<String, GenerationRecord> pending = new ConcurrentHashMap<>();
  private final CompletableFuture<Void> stopped = new CompletableFuture<>();
  private final Thread thread;

  private final WriteCounters counters = new WriteCounters();

  SqliteWriter(Connection connection, StorageOptions options) throws SQLException {
    this.options = options;
    this.transaction = new WriteTransaction(connection);
    // Unbounded: the backlog bound is enforced in offer() for written-behind ops only, so tasks,
    // barriers and the stop op are never refused.
    this.queue = new LinkedBlockingQueue<>();
    this.thread = new Thread(this::run, "switchboard-storage-writer");
    this.thread.setDaemon(true);
  }

  void start() {
    thread.start();
  }

  /** Enqueues a generation record; never blocks. */
  void enqueue(GenerationRecord generation) {
    pending.put(generation.id(), generation);
    if (!offer(new WriteOp.InsertGeneration(generation))) {
      pending.remove(generation.id(), generation);
    }
  }

  /** Enqueues a usage charge; never blocks. */
  void enqueue(UsageCharge charge) {
    offer(new WriteOp.InsertCharge(charge));
  }

  /** Enqueues a user or session budget charge; never blocks. */
  void enqueue(BudgetCharge charge) {
    offer(new WriteOp.InsertBudgetCharge(charge));
  }

  /** A generation recorded but not yet committed, or null. */
  GenerationRecord pending(String id) {
    return pending.get(id);
  }

  /** Counts an op refused because its store was closed, and says so. */
  void reject(String what) {
    counters.rejected(what);
  }

  /** Runs {@code work} on the writer thread in its own transaction, after every queued op. */
  <T> T call(String what, SqlFunction<T> work) {
    return call(what, work, result -> {});
  }

  /**
   * Like {@link #call(String, SqlFunction)}, and runs {@code afterCommit} on the writer thread once
   * the transaction committed, before this method returns.
   */
  <T> T call(String what, SqlFunction<T> work, Consumer<T> afterCommit) {
    CompletableFuture<T> result = new CompletableFuture<>();
    if (!gate.enter()) {
      gate.exit();
      throw StorageErrors.closed();
    }
    try {
      put(new WriteOp.Task<>(work, afterCommit, result));
    } finally {
      gate.exit();
    }
    try {
      return awaitUnlessStopped(result);
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException runtime) {
        throw runtime;
      }
      throw StorageErrors.internal(what, e.getCause());
    }
  }

  /** Blocks until every op enqueued before this call is committed (or failed and logged). */
  void flush() {
    CompletableFuture<Void> done = new CompletableFuture<>();
    boolean open = gate.enter();
    try {
      if (open) {
        put(new WriteOp.Barrier(done));
      }
    } finally {
      gate.exit();
    }
    if (open) {
      awaitUnlessStopped(done);
    } else {
      stopped.join();
    }
  }

  /** Waits for {@code future}, or throws if the writer thread ended without completing it. */
  private <T> T awaitUnlessStopped(CompletableFuture<T> future) {
    CompletableFuture.anyOf(future, stopped).join();
    if (!future.isDone()) {
      throw StorageErrors.closed();
    }
    return future.join();
  }

  /** Drains every queued op, stops the thread and closes the connection. Idempotent. */
  void close() {
    if (gate.close()) {
      put(new WriteOp.Stop());
    }
    stopped.join();
  }

  WriteBehindStats stats() {
    return counters.snapshot(queue.size());
  }

  private boolean offer(WriteOp op) {
    boolean open = gate.enter();
    try {
      if (!open) {
        counters.rejected(WriteCounters.describe(op));
        return false;
      }
      // size() and add() race with other producers, so both bounds are approximate.
      int backlog = queue.size();
      if (backlog >= options.maxBacklog()) {
        counters.dropped(op, backlog);
        return false;
      }
      queue.add(op);
      counters.enqueued();
      if (backlog >= options.queueCapacity()) {
        counters.spilled(backlog + 1);
      }
      return true;
    } finally {
      gate.exit();
    }
  }

  private void put(WriteOp op) {
    queue.add(op);
  }

  private void run() {
    List<WriteOp> batch = new ArrayList<>(options.maxBatchSize());
    try {
      boolean stop = false;
      while (!stop) {
        try {
          fill(batch);
          stop = process(batch);
        } catch (InterruptedException e) {
          log.warn("storage writer interrupted; it stops only with the storage");
        } catch (RuntimeException e) {
          log.error("storage writer failed on a batch; continuing", e);
          failWaiters(batch, e);
          stop = batch.stream().anyMatch(op -> op instanceof WriteOp.Stop);
        } finally {
          batch.clear();
        }
      }
    } finally {
      // Normally after the stop op; also if the thread dies (an Error), so no caller waits forever.
      transaction.close();
      stopped.complete(null);
    }
  }

  /** Takes the next batch: the first op, then more until full, urgent, or the delay is over. */
  private void fill(List<WriteOp> batch) throws InterruptedException {
    WriteOp first = queue.take();
    batch.add(first);
    boolean urgent = first.urgent();
    int max = options.maxBatchSize();
    long deadline = System.nanoTime() + options.maxBatchDelay().toNanos();
    while (!urgent && batch.size() < max) {
      int before = batch.size();
      queue.drainTo(batch, max - before);
      for (int i = before; i < batch.size(); i++) {
        urgent |= batch.get(i).urgent();
      }
      long wait = deadline - System.nanoTime();
      if (urgent || batch.size() >= max || wait <= 0) {
        return;
      }
      WriteOp next;
      try {
        next = queue.poll(wait, TimeUnit.NANOSECONDS);
      } catch (InterruptedException e) {
        return; // write what was taken; the loop logs the next interrupt
      }
      if (next == null) {
        return;
      }
      batch.add(next);
      urgent = next.urgent();
    }
  }

  /** Writes a batch in order; returns true when it held the stop op. */
  private boolean process(List<WriteOp> batch) {
    List<WriteOp> behind = new ArrayList<>(batch.size());
    for (WriteOp op : batch) {
      switch (op) {
        case WriteOp.InsertGeneration g -> behind.add(g);
        case WriteOp.InsertCharge c -> behind.add(c);
        case WriteOp.InsertBudgetCharge c -> behind.add(c);
        case WriteOp.Task<?> task -> {
          commit(behind);
          runTask(task);
        }
        case WriteOp.Barrier barrier -> {
          commit(behind);
          barrier.done().complete(null);
        }
        case WriteOp.Stop stop -> {
          commit(behind);
          drainAfterStop();
          transaction.checkpoint();
          WriteBehindStats stats = stats();
          log.atInfo()
              .addKeyValue("written", stats.written())
              .addKeyValue("failed", stats.failed())
              .addKeyValue("dropped", stats.dropped())
              .log("storage writer drained and stopped");
          return true;
        }
      }
    }
    commit(behind);
    return false;
  }

  /** The gate guarantees nothing follows the stop op; this only guards against a bug. */
  private void drainAfterStop() {
    List<WriteOp> rest = new ArrayList<>();
    queue.drainTo(rest);
    if (!rest.isEmpty()) {
      log.error("{} ops found after the stop op; writing them", rest.size());
      process(rest);
    }
  }

  /** Releases the callers waiting on ops of a batch that blew up (a bug), so none hangs. */
  private static void failWaiters(List<WriteOp> batch, RuntimeException cause) {
    for (WriteOp op : batch) {
      switch (op) {
        case WriteOp.Task<?> task -> task.result().completeExceptionally(cause);
        case WriteOp.Barrier barrier -> barrier.done().completeExceptionally(cause);
        default -> {}
      }
    }
  }

  private <T> void runTask(WriteOp.Task<T> task) {
    T result;
    try {
      result = transaction.run(task.work());
    } catch (SQLException | RuntimeException e) {
      task.result().completeExceptionally(e);
      return;
    }
    try {
      task.afterCommit().accept(result);
    } catch (RuntimeException e) {
      log.error("storage post-commit step failed", e);
    }
    task.result().complete(result);
  }

  /** Commits the written-behind ops gathered so far, then clears the list. */
  private void commit(List<WriteOp> ops) {
    if (ops.isEmpty()) {
      return;
    }
    try {
      for (int attempt = 1; ; attempt++) {
        try {
          transaction.write(ops);
          committed(ops, 1);
          return;
        } catch (SQLException | RuntimeException e) {
          if (!WriteTransaction.isTransient(e) || attempt == ATTEMPTS) {
            log.atWarn()
                .addKeyValue("ops", ops.size())
                .setCause(e)
                .log("storage batch refused; writing its ops one by one");
            break;
          }
          log.atWarn().addKeyValue("attempt", attempt).setCause(e).log("storage batch failed");
          LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50L * attempt * attempt));
        }
      }
      for (WriteOp op : ops) {
        try {
          transaction.write(List.of(op));
          committed(List.of(op), 1);
        } catch (SQLException | RuntimeException e) {
          counters.failed(op, e);
          committed(List.of(op), 0);
        }
      }
    } finally {
      ops.clear();
    }
  }

  private void committed(List<WriteOp> ops, int asBatches) {
    for (WriteOp op : ops) {
      if (op instanceof WriteOp.InsertGeneration(GenerationRecord g)) {
        pending.remove(g.id(), g);
      }
    }
    if (asBatches > 0) {
      counters.written(ops.size(), asBatches);
    }
  }
}
