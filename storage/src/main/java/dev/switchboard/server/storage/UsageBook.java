package dev.switchboard.server.storage;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.TemporalAdjusters;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * Per-key spend held in memory: the all-time total and one bucket per UTC day for the last {@value
 * #KEEP_DAYS} days, enough for the daily, weekly and monthly windows. It is the authority for
 * {@link KeyStore#usage} on one node: charges are counted here when they happen (so limits see them
 * at once) and persisted by the writer; at open the SQLite store loads it from the daily roll-up.
 *
 * <p>On a database shared with other nodes (PostgreSQL) it is also {@link #reload reloaded} from
 * the roll-up, so that it counts the other nodes' charges too. A charge of this node that is
 * counted but not yet committed ({@link #addUnwritten}, until the writer calls {@link #written}) is
 * kept through a reload: the reload runs on the writer thread, so what is committed is in the rows
 * it reads and what is not is added back on top.
 *
 * <p>Thread-safe; every operation is a few arithmetic steps under a per-key lock, fit for an event
 * loop.
 */
final class UsageBook {

  /** Days of buckets kept per key: a month plus margin. */
  static final int KEEP_DAYS = 40;

  private final Clock clock;
  private volatile ConcurrentHashMap<String, Totals> byKey = new ConcurrentHashMap<>();
  // Everything ever charged, deleted keys included: the organisation's usage.
  private volatile AtomicLong allNanos = new AtomicLong();
  // Charges counted here and not yet committed (a multiset: equal charges are interchangeable).
  private final ConcurrentHashMap<UsageCharge, Integer> unwritten = new ConcurrentHashMap<>();
  // Readers are the adds (many at once); the writer is the swap of a reload.
  private final ReadWriteLock swap = new ReentrantReadWriteLock();

  UsageBook(Clock clock) {
    this.clock = clock;
  }

  /** Counts a charge in its UTC day. */
  void add(UsageCharge charge) {
    add(
        charge.keyHash(),
        epochDay(charge),
        Usd.toNanos(charge.cost()),
        Usd.toNanos(charge.byokCost()));
  }

  /**
   * Counts a charge that the writer is about to persist; it stays counted through a {@link #reload}
   * until the writer reports it {@link #written}.
   */
  void addUnwritten(UsageCharge charge) {
    swap.readLock().lock();
    try {
      unwritten.merge(charge, 1, Integer::sum);
      add(charge);
    } finally {
      swap.readLock().unlock();
    }
  }

  /** The writer is done with {@code charge}: committed, or given up (then logged there). */
  void written(UsageCharge charge) {
    unwritten.computeIfPresent(charge, (c, n) -> n == 1 ? null : n - 1);
  }

  /** Charges counted and not yet committed. */
  int unwrittenCount() {
    return unwritten.values().stream().mapToInt(Integer::intValue).sum();
  }

  /**
   * Replaces the counters with the roll-up's rows plus this node's charges not yet committed. Call
   * it on the writer thread (between commits), so that no charge is counted twice or lost.
   */
  void reload(Connection connection, LocalDate today) throws SQLException {
    UsageBook fresh = new UsageBook(clock);
    UsageRows.load(connection, fresh, today);
    swap.writeLock().lock();
    try {
      unwritten.forEach(
          (charge, n) -> {
            for (int i = 0; i < n; i++) {
              fresh.add(charge);
            }
          });
      byKey = fresh.byKey;
      allNanos = fresh.allNanos;
    } finally {
      swap.writeLock().unlock();
    }
  }

  /** Counts a charge of {@code costNanos} to any holder (a key hash, a user, a session). */
  void add(String holder, long epochDay, long costNanos, long byokNanos) {
    swap.readLock().lock();
    try {
      byKey.computeIfAbsent(holder, k -> new Totals()).add(epochDay, costNanos, byokNanos, true);
      allNanos.addAndGet(costNanos);
    } finally {
      swap.readLock().unlock();
    }
  }

  /** Loads a key's all-time totals (at open). */
  void loadTotal(String keyHash, long costNanos, long byokNanos) {
    byKey.computeIfAbsent(keyHash, k -> new Totals()).addTotal(costNanos, byokNanos);
    allNanos.addAndGet(costNanos);
  }

  /** Every holder's charges over all time (BYOK excluded), deleted ones included. */
  long totalNanos() {
    return allNanos.get();
  }

  /** Loads one day bucket of a key (at open); does not touch the all-time total. */
  void loadDay(String keyHash, long epochDay, long costNanos, long byokNanos) {
    byKey.computeIfAbsent(keyHash, k -> new Totals()).add(epochDay, costNanos, byokNanos, false);
  }

  /** Forgets a deleted key. */
  void remove(String keyHash) {
    byKey.remove(keyHash);
  }

  /** The key's spend in the windows that contain {@code clock.instant()}. */
  KeyUsage usage(String keyHash) {
    Totals totals = byKey.get(keyHash);
    if (totals == null) {
      return KeyUsage.ZERO;
    }
    LocalDate today = LocalDate.now(clock.withZone(ZoneOffset.UTC));
    long week = today.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY)).toEpochDay();
    long month = today.withDayOfMonth(1).toEpochDay();
    return totals.usage(today.toEpochDay(), week, month);
  }

  /** The day bucket (days since 1970-01-01 UTC) of a charge. */
  static long epochDay(UsageCharge charge) {
    return Math.floorDiv(charge.at().getEpochSecond(), 86_400L);
  }

  /** One key's counters; guarded by its own monitor. */
  private static final class Totals {
    private long totalNanos;
    private long byokTotalNanos;
    private long newestDay = Long.MIN_VALUE;
    private final Map<Long, long[]> days = new HashMap<>();

    synchronized void addTotal(long costNanos, long byokNanos) {
      totalNanos = Math.addExact(totalNanos, costNanos);
      byokTotalNanos = Math.addExact(byokTotalNanos, byokNanos);
    }

    synchronized void add(long day, long costNanos, long byokNanos, boolean countInTotal) {
      if (countInTotal) {
        addTotal(costNanos, byokNanos);
      }
      if (day > newestDay) {
        newestDay = day;
        prune();
      }
      if (day <= newestDay - KEEP_DAYS) {
        return;
      }
      long[] bucket = days.computeIfAbsent(day, d -> new long[2]);
      bucket[0] = Math.addExact(bucket[0], costNanos);
      bucket[1] = Math.addExact(bucket[1], byokNanos);
    }

    synchronized KeyUsage usage(long today, long weekStart, long monthStart) {
      long daily = 0;
      long weekly = 0;
      long monthly = 0;
      long byokDaily = 0;
      long byokWeekly = 0;
      long byokMonthly = 0;
      for (Map.Entry<Long, long[]> e : days.entrySet()) {
        long day = e.getKey();
        long[] b = e.getValue();
        if (day >= today) {
          daily += b[0];
          byokDaily += b[1];
        }
        if (day >= weekStart) {
          weekly += b[0];
          byokWeekly += b[1];
        }
        if (day >= monthStart) {
          monthly += b[0];
          byokMonthly += b[1];
        }
      }
      return new KeyUsage(
          Usd.fromNanos(totalNanos),
          Usd.fromNanos(daily),
          Usd.fromNanos(weekly),
          Usd.fromNanos(monthly),
          Usd.fromNanos(byokTotalNanos),
          Usd.fromNanos(byokDaily),
          Usd.fromNanos(byokWeekly),
          Usd.fromNanos(byokMonthly));
    }

    private void prune() {
      for (Iterator<Long> it = days.keySet().iterator(); it.hasNext(); ) {
        if (it.next() <= newestDay - KEEP_DAYS) {
          it.remove();
        }
      }
    }
  }
}
