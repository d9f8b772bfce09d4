package dev.switchboard.server.limits;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The {@link LimitGate} of one node: the credit hold on {@link BudgetCounters}, then the buckets of
 * the {@link RateLimiter} in order; a refused bucket lets the hold go again. Everything is in
 * memory, so {@link #enter} completes before it returns.
 */
public final class LocalGate implements LimitGate {

  private final BudgetCounters counters;
  private final RateLimiter limiter;

  public LocalGate(BudgetCounters counters, RateLimiter limiter) {
    this.counters = counters;
    this.limiter = limiter;
  }

  @Override
  public CompletionStage<Entry> enter(
      List<BudgetLine> lines, BigDecimal amount, List<Take> takes, Instant now) {
    BudgetCounters.Reserved reserved = counters.reserve(lines, amount, now);
    if (reserved instanceof BudgetCounters.Short s) {
      return CompletableFuture.completedFuture(new OverBudget(s));
    }
    Hold hold = ((BudgetCounters.Granted) reserved).hold();
    for (int i = 0; i < takes.size(); i++) {
      Take t = takes.get(i);
      RateLimiter.Verdict v = limiter.take(t.bucket(), t.rate(), t.amount());
      if (!v.allowed()) {
        counters.release(hold);
        return CompletableFuture.completedFuture(new RateLimited(i, v));
      }
    }
    return CompletableFuture.completedFuture(new Admitted(hold));
  }

  @Override
  public void settle(Hold hold, Charge charge, Take correction) {
    counters.settle(hold, charge);
    adjust(correction);
  }

  @Override
  public void release(Hold hold, Take correction) {
    counters.release(hold);
    adjust(correction);
  }

  private void adjust(Take correction) {
    if (correction != null && correction.amount() != 0) {
      limiter.adjust(correction.bucket(), correction.rate(), correction.amount());
    }
  }

  @Override
  public BigDecimal reserved(Holder holder) {
    return counters.reserved(holder);
  }
}
