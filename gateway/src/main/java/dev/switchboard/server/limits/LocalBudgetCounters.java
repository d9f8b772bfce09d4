package dev.switchboard.server.limits;

import dev.switchboard.server.storage.Usd;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;

/**
 * {@link BudgetCounters} for one node: reservations in a map, settled spend in the {@link
 * SpendBook}, and one lock around every check-and-hold and every book-and-drop. The critical
 * sections are a few map lookups and additions (no I/O: the spend book is in memory), so one lock
 * is cheaper than ordering per-holder locks, and it makes the all-or-nothing rule obvious.
 */
public final class LocalBudgetCounters implements BudgetCounters {

  private final SpendBook spend;
  private final ReentrantLock lock = new ReentrantLock();
  private final Map<Holder, Long> reservedNanos = new HashMap<>();

  public LocalBudgetCounters(SpendBook spend) {
    this.spend = Objects.requireNonNull(spend, "spend");
  }

  @Override
  public Reserved reserve(List<BudgetLine> lines, BigDecimal amount, Instant now) {
    long want = Usd.toNanos(amount);
    if (want < 0) {
      throw new IllegalArgumentException("a reservation must not be negative");
    }
    if (lines.isEmpty()) {
      // No budget applies: nothing to check or hold, so no lock; the hold still settles the charge.
      return new Granted(Hold.local(Usd.fromNanos(want), Set.of()));
    }
    Set<Holder> holders = new LinkedHashSet<>();
    for (BudgetLine line : lines) {
      holders.add(line.holder());
    }
    lock.lock();
    try {
      Short inFlight = null;
      for (BudgetLine line : lines) {
        long spent =
            Usd.toNanos(spend.spent(line.holder(), line.window(), line.includeByok(), now));
        long held = reservedNanos.getOrDefault(line.holder(), 0L);
        long limit = line.limitNanos();
        if (spent + want > limit) {
          return new Short(line, Usd.fromNanos(spent), Usd.fromNanos(held), Usd.fromNanos(want));
        }
        if (inFlight == null && spent + held + want > limit) {
          inFlight =
              new Short(line, Usd.fromNanos(spent), Usd.fromNanos(held), Usd.fromNanos(want));
        }
      }
      if (inFlight != null) {
        return inFlight;
      }
      for (Holder h : holders) {
        reservedNanos.merge(h, want, Long::sum);
      }
    } finally {
      lock.unlock();
    }
    return new Granted(Hold.local(Usd.fromNanos(want), holders));
  }

  @Override
  public void settle(Hold hold, Charge charge) {
    if (!hold.finish()) {
      return;
    }
    lock.lock();
    try {
      // Book first, then drop the hold: inside the lock no reservation sees the gap.
      spend.record(charge);
      drop(hold);
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void release(Hold hold) {
    if (!hold.finish()) {
      return;
    }
    lock.lock();
    try {
      drop(hold);
    } finally {
      lock.unlock();
    }
  }

  @Override
  public BigDecimal reserved(Holder holder) {
    lock.lock();
    try {
      return Usd.fromNanos(reservedNanos.getOrDefault(holder, 0L));
    } finally {
      lock.unlock();
    }
  }

  private void drop(Hold hold) {
    long nanos = Usd.toNanos(hold.amount());
    for (Holder h : hold.holders()) {
      reservedNanos.computeIfPresent(h, (k, v) -> v - nanos == 0 ? null : v - nanos);
    }
  }
}
