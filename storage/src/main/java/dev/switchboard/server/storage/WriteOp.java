package dev.switchboard.server.storage;

import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/** What the writer thread takes from its queue. */
sealed interface WriteOp {

  /** Ops that end a batch at once instead of waiting for it to fill. */
  default boolean urgent() {
    return false;
  }

  /** A generation record, written behind. */
  record InsertGeneration(GenerationRecord generation) implements WriteOp {}

  /** A usage charge, written behind (ledger row and daily roll-up). */
  record InsertCharge(UsageCharge charge) implements WriteOp {}

  /** A charge to a user or session budget, written behind (daily roll-up). */
  record InsertBudgetCharge(BudgetCharge charge) implements WriteOp {}

  /**
   * Synchronous work (key changes) run in its own transaction, in queue order; {@code afterCommit}
   * then runs on the writer thread, so effects such as cache updates happen in commit order.
   */
  record Task<T>(SqlFunction<T> work, Consumer<T> afterCommit, CompletableFuture<T> result)
      implements WriteOp {
    @Override
    public boolean urgent() {
      return true;
    }
  }

  /** Completed once every op queued before it is committed. */
  record Barrier(CompletableFuture<Void> done) implements WriteOp {
    @Override
    public boolean urgent() {
      return true;
    }
  }

  /**
   * Completed once every op queued before it is committed, or buffered because the database cannot
   * be reached: what a reply waits for in cluster mode ({@link Storage#durable()}).
   */
  record Durable(CompletableFuture<Void> done, boolean urgent) implements WriteOp {}

  /**
   * The written-behind ops of one request, queued together ({@link StoreWriter#together}) so that a
   * batch never ends between them: its record and its charges commit in one transaction. The writer
   * takes them apart as it fills a batch; nothing past {@code fill} sees a group.
   */
  record Group(java.util.List<WriteOp> ops) implements WriteOp {
    @Override
    public boolean urgent() {
      for (WriteOp op : ops) {
        if (op.urgent()) {
          return true;
        }
      }
      return false;
    }
  }

  /** The last op: the writer commits what came before and exits. */
  record Stop() implements WriteOp {
    @Override
    public boolean urgent() {
      return true;
    }
  }
}
