package dev.switchboard.server.limits;

import dev.switchboard.server.storage.BudgetRule;
import dev.switchboard.server.storage.KeyUsage;
import dev.switchboard.server.storage.Storage;
import dev.switchboard.server.storage.UsageCharge;
import dev.switchboard.server.storage.Usd;
import java.math.BigDecimal;
import java.time.Instant;

/**
 * The {@link SpendBook} of one gateway, on its storage: key spend from the key usage book, the
 * organisation's from the credit store (the sum of every key charge), user and session spend from
 * the budget store. Booking a charge writes the key's ledger row (which also moves the
 * organisation's usage) and, where a budget rule covers them, the user's and the session's spend;
 * all of it in memory at once and on disk behind.
 */
public final class StorageSpendBook implements SpendBook {

  private final Storage storage;

  public StorageSpendBook(Storage storage) {
    this.storage = storage;
  }

  @Override
  public BigDecimal spent(Holder holder, Window window, boolean includeByok, Instant now) {
    return switch (holder.kind()) {
      case ORG -> storage.credits().totalUsage();
      case KEY -> storage.keys().usage(holder.id()).inWindow(window.wire(), includeByok);
      case USER -> budget("user", holder.id(), window, includeByok);
      case SESSION -> budget("session", holder.id(), window, includeByok);
    };
  }

  @Override
  public void record(Charge c) {
    if (c.cost().signum() == 0 && c.byokCost().signum() == 0) {
      return;
    }
    storage
        .keys()
        .charge(new UsageCharge(c.keyHash(), c.cost(), c.byokCost(), c.at(), c.generationId()));
    if (c.user() != null && storage.budgets().ruleFor("user", c.user()).isPresent()) {
      storage.budgets().charge("user", c.user(), c.cost(), c.byokCost(), c.at());
    }
    if (c.sessionId() != null && storage.budgets().ruleFor("session", c.sessionId()).isPresent()) {
      storage.budgets().charge("session", c.sessionId(), c.cost(), c.byokCost(), c.at());
    }
  }

  @Override
  public java.util.concurrent.CompletionStage<Void> durable() {
    return storage.shared()
        ? storage.durableWithBatch()
        : java.util.concurrent.CompletableFuture.completedFuture(null);
  }

  private BigDecimal budget(String scope, String subject, Window window, boolean includeByok) {
    KeyUsage spent = storage.budgets().spent(scope, subject);
    return spent == null ? Usd.ZERO : spent.inWindow(window.wire(), includeByok);
  }

  /** Whether a budget rule covers {@code subject}; for callers that decide what to check. */
  static boolean covered(Storage storage, String scope, String subject) {
    return subject != null && storage.budgets().ruleFor(scope, subject).isPresent();
  }

  static BudgetRule rule(Storage storage, String scope, String subject) {
    return subject == null ? null : storage.budgets().ruleFor(scope, subject).orElse(null);
  }
}
