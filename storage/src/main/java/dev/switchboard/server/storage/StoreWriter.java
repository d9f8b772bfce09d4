package dev.switchboard.server.storage;

import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one thread that writes to the database, and its queue.
 *
 * <p>Generation records and usage charges are enqueued without blocking and committed in batches:
 * the writer takes the first queued op, waits up to {@link StorageOptions#maxBatchDelay()} for more
 * (up to {@link StorageOptions#maxBatchSize()}), and commits them in one transaction. While it
 * waits for a batch to fill it sleeps for the rest of the delay rather than waking for every op
 * queued (a futex wake and a context switch per request on the event loops); an urgent op, or
 * {@link #COMMIT_OPS} queued ops, wake it at once. Key changes ({@link #call}) and flushes ({@link
 * #flush}, {@link #durable}) travel through the same queue, so they see every op queued before
 * them; they end the wait at once.
 *
 * <p>Queue policy: the queue never blocks a producer. Above {@link StorageOptions#queueCapacity()}
 * queued ops, new ops are still accepted (they "spill" into the rest of the queue) but counted and
 * warned about. At {@link StorageOptions#maxBacklog()} the storage reports that it no longer
 * accepts new work ({@link #accepting()}: the gateway then refuses new billable requests with 503),
 * while the records of requests already admitted are still taken; only at twice that bound are ops
 * dropped, counted and logged at ERROR. Nothing is dropped silently.
 *
 * <p>An unreachable database (PostgreSQL down) does not lose anything: the ops of the failed batch
 * and every op written behind after it are kept, in order, in memory (they count in the backlog)
 * and retried every {@value #RETRY_MS} ms until the database answers; key changes fail at once with
 * a 503 meanwhile. A batch the database refuses for another reason is retried, then written op by
 * op so that one bad row (a duplicate id) cannot sink the others; ops that still fail are counted
 * and logged at ERROR.
 */
final class StoreWriter {

  private static final Logger log = LoggerFactory.getLogger(StoreWriter.class);
  private static final int ATTEMPTS = 3;
  private static final long RETRY_MS = 500;

  /**
   * Queued ops that end the wait for a batch to fill before its delay is over. Waiting for the most
   * a batch may hold (500) kept records queued for 20 ms and more at 12,000 requests a second, long
   * enough to outlive a young collection: the old generation filled with them (resident memory 308
   * against 247 MB in a 60-second run); at 64 it stayed as before. 128 (2026-12-04): half the
   * commits, each of which writes every page it touched to SQLite's WAL (a CPU profile put the
   * commit at 41 % of the writer's time); B/A 1.126 and 1.036 at 16 and 64 connections, peak RSS +4
   * MB (docs/performance.md). 256 (the same day, later): a request is two ops (its record and its
   * charge), so 128 requests a commit; with V17 in the same A/B, B/A 1.076 and 1.064, CPU 148 ->
   * 140 and 146 -> 137 us a request.
   */
  static final int COMMIT_OPS = 256;

  /** How long a close waits for an unreachable database before it logs what it could not write. */
  static final long CLOSE_WAIT_MS = 10_000;

  private final StorageOptions options;
  private final Database database;
  private final Dialect dialect;
  private final WriteTransaction transaction;
  private final LinkedBlockingQueue<WriteOp> queue;

  /** The ops of the {@link #together} call running on this thread, or null. */
  private final ThreadLocal<List<WriteOp>> group = new ThreadLocal<>();

  private final Gate gate = new Gate();
  private final ConcurrentHashMap<String, GenerationRecord> pending = new ConcurrentHashMap<>();
  private final CompletableFuture<Void> stopped = new CompletableFuture<>();
  private final Thread thread;
  // The writer while it sleeps for a batch to fill (see fill), else null.
  private volatile Thread filling;
  // How many ops end that sleep: COMMIT_OPS, or the most a batch holds when that is fewer. A batch
  // still takes up to maxBatchSize ops when more queued while the last one was written.
  private final int commitAt;
  // Ops kept while the database is unreachable, in queue order (writer thread only), and how many
  // of them are written-behind ops (any thread: they count in the backlog).
  private final ArrayDeque<WriteOp> stalled = new ArrayDeque<>();
  private final AtomicInteger stalledOps = new AtomicInteger();
  private volatile String outage;

  private final WriteCounters counters = new WriteCounters();
  private volatile Consumer<UsageCharge> chargeDone = charge -> {};

  StoreWriter(Database database, StorageOptions options) {
    this.options = options;
    this.commitAt = Math.min(options.maxBatchSize(), COMMIT_OPS);
    this.database = database;
    this.dialect = database.dialect();
    this.transaction = new WriteTransaction(database);
    // Unbounded: the backlog bound is enforced in offer() for written-behind ops only, so tasks,
    // barriers and the stop op are never refused.
    this.queue = new LinkedBlockingQueue<>();
    this.thread = new Thread(this::run, "switchboard-storage-writer");
    this.thread.setDaemon(true);
  }

  Dialect dialect() {
    return dialect;
  }

  /** Opens the writer's connection, then starts the thread. */
  void start() throws SQLException {
    transaction.open();
    thread.start();
  }

  /** Enqueues a generation record; never blocks. */
  void enqueue(GenerationRecord generation) {
    pending.put(generation.id(), generation);
    WriteOp op = new WriteOp.InsertGeneration(generation);
    if (!offer(op)) {
      refused(op);
    }
  }

  /** Enqueues a usage charge; never blocks. */
  void enqueue(UsageCharge charge) {
    WriteOp op = new WriteOp.InsertCharge(charge);
    if (!offer(op)) {
      refused(op);
    }
  }

  /** What an op that could not be queued leaves behind is cleared. */
  private void refused(WriteOp op) {
    switch (op) {
      case WriteOp.InsertGeneration(GenerationRecord g) -> pending.remove(g.id(), g);
      case WriteOp.InsertCharge(UsageCharge c) -> chargeDone.accept(c);
      case WriteOp.Durable d -> d.done().complete(null);
      default -> {}
    }
  }

  /**
   * Runs {@code work} (on the caller's thread) and queues the writes it makes, and its {@link
   * #durable} waits, as one: a batch then never ends between a request's generation record and its
   * charges, so a process killed between two commits cannot leave a committed record without its
   * charge. Writes made inside are visible to reads as usual ({@link #pending}). Nested calls join
   * the outer one.
   */
  void together(Runnable work) {
    if (group.get() != null) {
      work.run();
      return;
    }
    List<WriteOp> ops = new ArrayList<>(4);
    group.set(ops);
    try {
      work.run();
    } finally {
      group.remove();
      offerGroup(ops);
    }
  }

  private void offerGroup(List<WriteOp> ops) {
    if (ops.isEmpty()) {
      return;
    }
    if (ops.size() == 1 && ops.getFirst() instanceof WriteOp.Durable wait) {
      queue.add(wait); // a wait alone is queued as put() queues it, outside the write counts
      wakeIfWaited(wait);
      return;
    }
    WriteOp op = ops.size() == 1 ? ops.getFirst() : new WriteOp.Group(List.copyOf(ops));
    if (!offer(op)) {
      ops.forEach(this::refused);
    }
  }

  /**
   * Where the writer reports each usage charge it is done with: committed, refused, dropped or
   * given up at close. Set before {@link #start}.
   */
  void onChargeDone(Consumer<UsageCharge> listener) {
    this.chargeDone = listener;
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

  /** Ops waiting to be written: queued, and kept through an outage. */
  int backlog() {
    return queue.size() + stalledOps.get();
  }

  /** False once the backlog reached {@link StorageOptions#maxBacklog()}: refuse new work. */
  boolean accepting() {
    return backlog() < options.maxBacklog();
  }

  /** Why writes do not go through now (the database's error), or null. */
  String outage() {
    return outage;
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
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException runtime) {
        throw runtime;
      }
      if (cause instanceof Exception ex && dialect.isUnavailable(ex)) {
        throw StorageErrors.unavailable(what, cause);
      }
      throw StorageErrors.internal(what, cause);
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

  /**
   * Completes once every op enqueued before this call is committed, or kept in memory because the
   * database cannot be reached (then at once). Never blocks.
   */
  CompletableFuture<Void> durable() {
    return durable(true);
  }

  /**
   * {@link #durable()}; when not {@code urgent} the writer is not hurried: it completes with the
   * commit of the batch it falls into (at most the batch delay later), and the ops queued after it
   * may join that batch.
   */
  CompletableFuture<Void> durable(boolean urgent) {
    if (outage != null) {
      return CompletableFuture.completedFuture(null);
    }
    CompletableFuture<Void> done = new CompletableFuture<>();
    boolean open = gate.enter();
    try {
      if (!open) {
        return CompletableFuture.completedFuture(null);
      }
      put(new WriteOp.Durable(done, urgent));
    } finally {
      gate.exit();
    }
    return done;
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
    return counters.snapshot(backlog());
  }

  private boolean offer(WriteOp op) {
    List<WriteOp> together = group.get();
    if (together != null) {
      together.add(op); // queued with the rest of its group (together)
      return true;
    }
    boolean open = gate.enter();
    try {
      if (!open) {
        if (op instanceof WriteOp.Group g) {
          for (WriteOp o : g.ops()) {
            if (!(o instanceof WriteOp.Durable)) {
              counters.rejected(WriteCounters.describe(o));
            }
          }
        } else {
          counters.rejected(WriteCounters.describe(op));
        }
        return false;
      }
      // size() and add() race with other producers, so both bounds are approximate.
      int backlog = backlog();
      if (backlog >= hardBacklog()) {
        if (op instanceof WriteOp.Group g) {
          for (WriteOp o : g.ops()) {
            if (!(o instanceof WriteOp.Durable)) {
              counters.dropped(o, backlog);
            }
          }
        } else {
          counters.dropped(op, backlog);
        }
        return false;
      }
      queue.add(op);
      wakeIfWaited(op);
      counters.enqueued(writes(op));
      if (backlog >= options.queueCapacity()) {
        counters.spilled(backlog + 1);
      }
      return true;
    } finally {
      gate.exit();
    }
  }

  /** Where ops are dropped: twice the bound at which new work is refused. */
  private long hardBacklog() {
    return 2L * options.maxBacklog();
  }

  private void put(WriteOp op) {
    List<WriteOp> together = group.get();
    if (together != null) {
      if (op instanceof WriteOp.Durable) {
        together.add(op); // done once the group's writes before it are committed
        return;
      }
      // Work that waits for the writer (a key change, a flush) cannot wait inside a group: what
      // the group gathered so far is queued first, in order, and a new group goes on after it.
      offerGroup(List.copyOf(together));
      together.clear();
    }
    queue.add(op);
    wakeIfWaited(op);
  }

  /**
   * Ends the writer's sleep for a batch to fill when {@code op}, just queued, must not wait (an
   * urgent op) or {@link #commitAt} ops are queued. The op is queued before {@link #filling} is
   * read, and the writer sets {@link #filling} before it looks at the queue, so one of the two sees
   * the other.
   */
  private void wakeIfWaited(WriteOp op) {
    Thread writer = filling;
    if (writer != null && (op.urgent() || queue.size() >= commitAt)) {
      LockSupport.unpark(writer);
    }
  }

  private void run() {
    List<WriteOp> batch = new ArrayList<>(options.maxBatchSize());
    try {
      boolean stop = false;
      while (!stop) {
        try {
          if (!stalled.isEmpty()) {
            retryStalled();
          }
          if (fill(batch, stalled.isEmpty() ? -1 : RETRY_MS)) {
            stop = process(batch);
          }
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

  /**
   * Takes the next batch: the first op (waiting up to {@code firstWaitMs}, forever when negative),
   * then more until full, urgent, or the delay is over. False when nothing came.
   */
  private boolean fill(List<WriteOp> batch, long firstWaitMs) throws InterruptedException {
    WriteOp first = firstWaitMs < 0 ? queue.take() : queue.poll(firstWaitMs, TimeUnit.MILLISECONDS);
    if (first == null) {
      return false;
    }
    add(batch, first);
    boolean urgent = first.urgent();
    int max = options.maxBatchSize();
    long deadline = System.nanoTime() + options.maxBatchDelay().toNanos();
    List<WriteOp> taken = new ArrayList<>();
    while (!urgent && batch.size() < max) {
      filling = Thread.currentThread(); // before looking at the queue: see wakeIfWaited
      try {
        queue.drainTo(taken, max - batch.size());
        for (WriteOp op : taken) {
          urgent |= op.urgent();
          add(batch, op);
        }
        taken.clear();
        long wait = deadline - System.nanoTime();
        if (urgent || batch.size() >= commitAt || wait <= 0) {
          return true;
        }
        // Sleep for the rest of the delay: ops queued meanwhile do not wake the writer, an urgent
        // op or commitAt queued ops do (wakeIfWaited). A spurious wake-up just goes round again.
        LockSupport.parkNanos(this, wait);
        if (Thread.interrupted()) {
          queue.drainTo(taken, max - batch.size());
          taken.forEach(op -> add(batch, op));
          return true; // write what was taken; the loop logs the next interrupt
        }
      } finally {
        filling = null;
      }
    }
    return true;
  }

  /**
   * Whether {@code op} is a charge, which follows its request's record in the queue (see {@link
   * #together}): a chunk of kept ops is not cut before one.
   */
  private static boolean chargeOfTheLast(WriteOp op) {
    return op instanceof WriteOp.InsertCharge || op instanceof WriteOp.InsertBudgetCharge;
  }

  /** The writes {@code op} stands for: a group's, not counting the waits among them. */
  private static int writes(WriteOp op) {
    if (!(op instanceof WriteOp.Group g)) {
      return 1;
    }
    int n = 0;
    for (WriteOp o : g.ops()) {
      n += o instanceof WriteOp.Durable ? 0 : 1;
    }
    return n;
  }

  /**
   * Adds {@code op} to {@code batch}, a group as its ops (a batch may so exceed its size by a few).
   */
  private static void add(List<WriteOp> batch, WriteOp op) {
    if (op instanceof WriteOp.Group g) {
      batch.addAll(g.ops());
    } else {
      batch.add(op);
    }
  }

  /**
   * Writes a batch in order; returns true when it held the stop op. A flush ({@link #durable}) does
   * not cut the batch: it is released once what came before it is committed, which is at the
   * batch's next commit, so a request's record and charge stay in one transaction even when a flush
   * is asked for between them.
   */
  private boolean process(List<WriteOp> batch) {
    List<WriteOp> behind = new ArrayList<>(batch.size());
    List<WriteOp.Durable> flushes = new ArrayList<>();
    for (WriteOp op : batch) {
      switch (op) {
        case WriteOp.InsertGeneration g -> behind(behind, g);
        case WriteOp.InsertCharge c -> behind(behind, c);
        case WriteOp.InsertBudgetCharge c -> behind(behind, c);
        case WriteOp.Task<?> task -> {
          commit(behind, flushes);
          runTask(task);
        }
        case WriteOp.Barrier barrier -> {
          commit(behind, flushes);
          if (stalled.isEmpty()) {
            barrier.done().complete(null);
          } else {
            stalled.add(barrier); // done once what came before it is written
          }
        }
        case WriteOp.Durable durable -> flushes.add(durable);
        case WriteOp.Group group -> throw new IllegalStateException("a group left whole");
        case WriteOp.Stop stop -> {
          commit(behind, flushes);
          drainAfterStop();
          if (!stalled.isEmpty()) {
            lastTry();
          }
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
    commit(behind, flushes);
    return false;
  }

  /** {@link #commit(List)}, then releases the flushes waiting on it (committed, or kept). */
  private void commit(List<WriteOp> ops, List<WriteOp.Durable> flushes) {
    commit(ops);
    flushes.forEach(f -> f.done().complete(null));
    flushes.clear();
  }

  /** A written-behind op: batched, or kept behind the ones an outage holds (order is kept). */
  private void behind(List<WriteOp> behind, WriteOp op) {
    if (stalled.isEmpty()) {
      behind.add(op);
    } else {
      stall(op);
    }
  }

  /** The gate guarantees nothing follows the stop op; this only guards against a bug. */
  private void drainAfterStop() {
    List<WriteOp> taken = new ArrayList<>();
    queue.drainTo(taken);
    List<WriteOp> rest = new ArrayList<>();
    taken.forEach(op -> add(rest, op));
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
        case WriteOp.Durable durable -> durable.done().completeExceptionally(cause);
        default -> {}
      }
    }
  }

  private <T> void runTask(WriteOp.Task<T> task) {
    if (!stalled.isEmpty()) {
      // Writes behind it wait for the database; a change made now would jump them.
      task.result()
          .completeExceptionally(
              StorageErrors.unavailable("this change", new SQLException(outage, "08006")));
      return;
    }
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
          if (dialect.isUnavailable(e)) {
            startOutage(e);
            ops.forEach(this::stall);
            return;
          }
          if (!dialect.isTransient(e) || attempt == ATTEMPTS) {
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
      oneByOne(ops);
    } finally {
      ops.clear();
    }
  }

  /** Writes each op in its own transaction; an outage on the way keeps the rest. */
  private void oneByOne(List<WriteOp> ops) {
    for (int i = 0; i < ops.size(); i++) {
      WriteOp op = ops.get(i);
      try {
        transaction.write(List.of(op));
        committed(List.of(op), 1);
      } catch (SQLException | RuntimeException e) {
        if (dialect.isUnavailable(e)) {
          startOutage(e);
          ops.subList(i, ops.size()).forEach(this::stall);
          return;
        }
        counters.failed(op, e);
        committed(List.of(op), 0);
      }
    }
  }

  private void stall(WriteOp op) {
    stalled.add(op);
    if (!(op instanceof WriteOp.Barrier)) {
      stalledOps.incrementAndGet();
    }
  }

  private void startOutage(Exception e) {
    if (outage == null) {
      outage = "database unreachable: " + StorageErrors.rootMessage(e);
      log.atError()
          .addKeyValue("database", database.describe())
          .log("{}; keeping records and charges in memory until it answers", outage);
    }
  }

  /**
   * Writes the ops kept through an outage, oldest first, in batches; completes the flushes queued
   * behind them as it passes them. Stops at the first batch the database still cannot take.
   */
  private void retryStalled() {
    int written = 0;
    while (!stalled.isEmpty()) {
      while (stalled.peek() instanceof WriteOp.Barrier b) {
        stalled.poll();
        b.done().complete(null);
      }
      List<WriteOp> chunk = new ArrayList<>();
      while (!stalled.isEmpty()
          && (chunk.size() < options.maxBatchSize() || chargeOfTheLast(stalled.peek()))
          && !(stalled.peek() instanceof WriteOp.Barrier)) {
        chunk.add(stalled.poll());
      }
      if (chunk.isEmpty()) {
        continue;
      }
      try {
        transaction.write(chunk);
        committed(chunk, 1);
        stalledOps.addAndGet(-chunk.size());
        written += chunk.size();
      } catch (SQLException | RuntimeException e) {
        if (dialect.isUnavailable(e)) {
          for (int i = chunk.size() - 1; i >= 0; i--) {
            stalled.addFirst(chunk.get(i));
          }
          return;
        }
        // Reachable, but these rows are refused: one by one, as in a normal batch.
        stalledOps.addAndGet(-chunk.size());
        int before = stalled.size();
        oneByOneFront(chunk);
        if (stalled.size() > before) {
          return;
        }
      }
    }
    if (outage != null) {
      log.atInfo()
          .addKeyValue("written", written)
          .log("database reachable again; the records and charges kept meanwhile are written");
      outage = null;
    }
  }

  /** {@link #oneByOne} for ops taken from the front of the kept ones: any left go back there. */
  private void oneByOneFront(List<WriteOp> chunk) {
    for (int i = 0; i < chunk.size(); i++) {
      WriteOp op = chunk.get(i);
      try {
        transaction.write(List.of(op));
        committed(List.of(op), 1);
      } catch (SQLException | RuntimeException e) {
        if (dialect.isUnavailable(e)) {
          List<WriteOp> rest = chunk.subList(i, chunk.size());
          for (int j = rest.size() - 1; j >= 0; j--) {
            stalled.addFirst(rest.get(j));
          }
          stalledOps.addAndGet(rest.size());
          return;
        }
        counters.failed(op, e);
        committed(List.of(op), 0);
      }
    }
  }

  /**
   * At close with ops still kept: retries for up to {@link #CLOSE_WAIT_MS}, then logs every op it
   * could not write at ERROR (a charge with its amount), so none disappears without a trace.
   */
  private void lastTry() {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(CLOSE_WAIT_MS);
    log.atWarn()
        .addKeyValue("kept", stalledOps.get())
        .log("closing with the database unreachable; retrying for up to {} ms", CLOSE_WAIT_MS);
    while (!stalled.isEmpty() && System.nanoTime() < deadline) {
      retryStalled();
      if (!stalled.isEmpty()) {
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(RETRY_MS));
      }
    }
    for (WriteOp op; (op = stalled.poll()) != null; ) {
      if (op instanceof WriteOp.Barrier b) {
        b.done().complete(null);
      } else {
        counters.unwritten(op);
        committed(List.of(op), 0);
      }
    }
    stalledOps.set(0);
  }

  private void committed(List<WriteOp> ops, int asBatches) {
    for (WriteOp op : ops) {
      if (op instanceof WriteOp.InsertGeneration(GenerationRecord g)) {
        pending.remove(g.id(), g);
      } else if (op instanceof WriteOp.InsertCharge(UsageCharge c)) {
        chargeDone.accept(c);
      }
    }
    if (asBatches > 0) {
      counters.written(ops.size(), asBatches);
    }
  }
}
