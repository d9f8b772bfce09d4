package dev.switchboard.server.limits;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletionStage;

/**
 * The one step of admission that touches shared state: hold the worst case against every budget
 * line and take every rate-limit bucket, all or nothing, and later settle or release it. One node
 * uses {@link LocalGate} (the {@link BudgetCounters} and {@link RateLimiter} in memory); a cluster
 * uses a gate on Redis that does the whole step in one script, one round trip per request.
 *
 * <p>The contract is {@link BudgetCounters}'s (all-or-nothing across lines; settle books the charge
 * and drops the hold in one step; each hold finished once) plus the buckets: a request refused by a
 * budget takes no bucket token, and one refused by a bucket holds no credit.
 */
public interface LimitGate {

  /**
   * Holds {@code amount} USD against every line and takes every bucket in {@code takes}, or
   * nothing. Completes with {@link Admitted}, {@link BudgetCounters.Short} as {@link OverBudget},
   * {@link RateLimited}, or {@link Unavailable} when the shared store cannot be reached (the
   * request is then refused: limits fail closed).
   */
  CompletionStage<Entry> enter(
      List<BudgetLine> lines, BigDecimal amount, List<Take> takes, Instant now);

  /**
   * Books {@code charge} and drops the hold; corrects {@code correction}'s bucket by its amount
   * (positive takes more, negative gives back), when not null. Idempotent per hold; never blocks.
   */
  void settle(Hold hold, Charge charge, Take correction);

  /** Drops the hold without a charge, with the same correction. Idempotent per hold. */
  void release(Hold hold, Take correction);

  /** USD held by requests in flight against {@code holder} (for tests and operators). */
  BigDecimal reserved(Holder holder);

  /**
   * Tokens from one bucket: {@code amount} from the bucket {@code bucket} shaped by {@code rate}.
   */
  record Take(String bucket, RateLimiter.Rate rate, long amount) {
    public Take {
      Objects.requireNonNull(bucket, "bucket");
      Objects.requireNonNull(rate, "rate");
    }
  }

  /** The outcome of {@link #enter}. */
  sealed interface Entry {}

  /** Everything is held; finish it with {@link #settle} or {@link #release}. */
  record Admitted(Hold hold) implements Entry {}

  /** A budget line cannot take the amount; nothing was held or taken. */
  record OverBudget(BudgetCounters.Short shortOf) implements Entry {}

  /** The bucket of {@code takes.get(index)} refused; nothing was held or taken. */
  record RateLimited(int index, RateLimiter.Verdict verdict) implements Entry {}

  /** The shared store is unreachable; nothing was held or taken. */
  record Unavailable(String reason) implements Entry {}
}
