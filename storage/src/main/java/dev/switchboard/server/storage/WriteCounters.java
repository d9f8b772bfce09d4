package dev.switchboard.server.storage;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The write-behind counters behind {@link WriteBehindStats}, and the log lines that go with them:
 * nothing is spilled, dropped, rejected or lost without a count and a log line. Repeated warnings
 * are logged at most every ten seconds; a dropped usage charge is always logged with its amount so
 * it can be recovered from the log.
 */
final class WriteCounters {

  private static final Logger log = LoggerFactory.getLogger(StoreWriter.class);
  private static final long LOG_EVERY_NANOS = TimeUnit.SECONDS.toNanos(10);

  private final AtomicLong enqueued = new AtomicLong();
  private final AtomicLong written = new AtomicLong();
  private final AtomicLong batches = new AtomicLong();
  private final AtomicLong spilled = new AtomicLong();
  private final AtomicLong dropped = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private final AtomicLong rejected = new AtomicLong();
  private final AtomicLong lastSpillLog = new AtomicLong(System.nanoTime() - LOG_EVERY_NANOS);
  private final AtomicLong lastDropLog = new AtomicLong(System.nanoTime() - LOG_EVERY_NANOS);

  WriteBehindStats snapshot(int backlog) {
    return new WriteBehindStats(
        backlog,
        enqueued.get(),
        written.get(),
        batches.get(),
        spilled.get(),
        dropped.get(),
        failed.get(),
        rejected.get());
  }

  void enqueued(int ops) {
    enqueued.addAndGet(ops);
  }

  void written(int ops, int transactions) {
    written.addAndGet(ops);
    batches.addAndGet(transactions);
  }

  void spilled(int backlog) {
    long n = spilled.incrementAndGet();
    if (due(lastSpillLog)) {
      log.atWarn()
          .addKeyValue("backlog", backlog)
          .addKeyValue("spilled", n)
          .log("storage write queue above capacity; the disk is not keeping up");
    }
  }

  void dropped(WriteOp op, int backlog) {
    long n = dropped.incrementAndGet();
    if (op instanceof WriteOp.InsertCharge(UsageCharge c)) {
      log.atError()
          .addKeyValue("key_hash", c.keyHash())
          .addKeyValue("cost", c.cost().toPlainString())
          .addKeyValue("byok_cost", c.byokCost().toPlainString())
          .addKeyValue("at", c.at())
          .addKeyValue("generation_id", c.generationId())
          .log("storage backlog full; usage charge dropped");
    } else if (op instanceof WriteOp.InsertBudgetCharge(BudgetCharge c)) {
      log.atError()
          .addKeyValue("scope", c.scope())
          .addKeyValue("subject", c.subject())
          .addKeyValue("cost", c.cost().toPlainString())
          .addKeyValue("at", c.at())
          .log("storage backlog full; budget charge dropped");
    } else if (due(lastDropLog)) {
      log.atError()
          .addKeyValue("backlog", backlog)
          .addKeyValue("dropped", n)
          .log("storage backlog full; {} dropped", describe(op));
    }
  }

  void rejected(String what) {
    long n = rejected.incrementAndGet();
    log.atWarn()
        .addKeyValue("rejected", n)
        .log("{} offered after storage close; not written", what);
  }

  /**
   * An op still buffered when the storage closed with the database unreachable: logged at ERROR
   * with what it held, so that nothing is lost without a trace (a charge with its amount).
   */
  void unwritten(WriteOp op) {
    failed.incrementAndGet();
    switch (op) {
      case WriteOp.InsertCharge(UsageCharge c) ->
          log.atError()
              .addKeyValue("key_hash", c.keyHash())
              .addKeyValue("cost", c.cost().toPlainString())
              .addKeyValue("byok_cost", c.byokCost().toPlainString())
              .addKeyValue("at", c.at())
              .addKeyValue("generation_id", c.generationId())
              .log("database unreachable at close; usage charge not written");
      case WriteOp.InsertBudgetCharge(BudgetCharge c) ->
          log.atError()
              .addKeyValue("scope", c.scope())
              .addKeyValue("subject", c.subject())
              .addKeyValue("cost", c.cost().toPlainString())
              .addKeyValue("at", c.at())
              .log("database unreachable at close; budget charge not written");
      case WriteOp.InsertGeneration(GenerationRecord g) ->
          log.atError()
              .addKeyValue("generation_id", g.id())
              .addKeyValue("key_hash", g.keyHash())
              .addKeyValue("model", g.model())
              .addKeyValue("total_cost", g.totalCost().toPlainString())
              .addKeyValue("created_at", g.createdAt())
              .log("database unreachable at close; generation record not written");
      default -> {}
    }
  }

  void failed(WriteOp op, Exception cause) {
    failed.incrementAndGet();
    log.atError().setCause(cause).log("storage could not write {}; it is not stored", describe(op));
  }

  static String describe(WriteOp op) {
    return switch (op) {
      case WriteOp.InsertGeneration(GenerationRecord g) -> "generation " + g.id();
      case WriteOp.InsertCharge(UsageCharge c) -> "usage charge of key " + c.keyHash();
      case WriteOp.InsertBudgetCharge(BudgetCharge c) -> "budget charge of " + c.scope();
      case WriteOp.Task<?> task -> "key change";
      case WriteOp.Barrier barrier -> "flush";
      case WriteOp.Durable durable -> "durable";
      case WriteOp.Stop stop -> "stop";
      case WriteOp.Group group -> "the " + group.ops().size() + " writes of one request";
    };
  }

  private static boolean due(AtomicLong last) {
    long now = System.nanoTime();
    long previous = last.get();
    return now - previous >= LOG_EVERY_NANOS && last.compareAndSet(previous, now);
  }
}
