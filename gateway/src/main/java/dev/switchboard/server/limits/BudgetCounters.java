package dev.switchboard.server.limits;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/**
 * The port for budget counters: settled spend plus reservations in flight, per holder, checked and
 * changed atomically. One node uses {@link LocalBudgetCounters}; a cluster backs the same contract
 * with a shared store (a Redis script that checks every line and increments every holder in one
 * step, with each hold expiring on its own so a crashed node cannot leak it).
 *
 * <p>The contract, which the property test holds every implementation to:
 *
 * <ul>
 *   <li>{@link #reserve} is all-or-nothing: it holds {@code amount} against every holder named by
 *       the lines only if, for every line, {@code spent + reserved + amount <= limit}; otherwise it
 *       holds nothing.
 *   <li>{@link #settle} books the exact charge and drops the hold in one step, so no reservation
 *       can slip in between; {@link #release} drops it without a charge. Each hold is finished
 *       once: a second settle or release of the same hold does nothing.
 * </ul>
 */
public interface BudgetCounters {

  /** Reserves {@code amount} USD against every line, or nothing. Never blocks on I/O. */
  Reserved reserve(List<BudgetLine> lines, BigDecimal amount, Instant now);

  /** Books {@code charge} and drops the hold. Idempotent per hold. */
  void settle(Hold hold, Charge charge);

  /** Drops the hold without a charge. Idempotent per hold. */
  void release(Hold hold);

  /** USD held by requests in flight against {@code holder}. */
  BigDecimal reserved(Holder holder);

  /** The outcome of {@link #reserve}. */
  sealed interface Reserved {}

  /** The amount is held; finish it with {@link #settle} or {@link #release}. */
  record Granted(Hold hold) implements Reserved {}

  /**
   * The amount does not fit {@code line}: {@code spent} is the settled spend in its window, {@code
   * reserved} what requests in flight hold against its holder.
   */
  record Short(BudgetLine line, BigDecimal spent, BigDecimal reserved, BigDecimal amount)
      implements Reserved {

    /** True when the request alone would fit and only the reservations in flight fill the line. */
    public boolean inFlight() {
      return spent.add(amount).compareTo(line.limit()) <= 0;
    }

    /** What is left of the line for new requests, never below zero. */
    public BigDecimal remaining() {
      BigDecimal left = line.limit().subtract(spent).subtract(reserved);
      return left.signum() < 0 ? BigDecimal.ZERO.setScale(left.scale()) : left;
    }
  }
}
