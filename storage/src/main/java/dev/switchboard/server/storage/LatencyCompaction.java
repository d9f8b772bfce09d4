package dev.switchboard.server.storage;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Packs the latency histograms of closed hours and days into {@code dashboard_latency_packed} (V16,
 * ADR 0013 decisions 7-9), so the dashboard's 7-day overview reads 168 rows instead of one per
 * distinct millisecond per hour.
 *
 * <p>A packed row is only ever used while its request and error totals equal {@code
 * dashboard_rollup}'s for the same period ({@link #totals}): the record writer adds to both
 * roll-ups in the transaction of the generation rows and counts only grow, so equal totals mean the
 * packed histogram is the histogram of the rows. A record written late into a packed period makes
 * the totals differ, the overview reads that period's histogram rows again, and the next compaction
 * packs it anew. Two nodes compacting the same period at once are harmless: the upsert keeps the
 * row with more requests, so no lease is needed.
 */
final class LatencyCompaction {

  static final String UPSERT =
      "INSERT INTO dashboard_latency_packed (period_us, start_us, requests, errors, histogram)"
          + " VALUES (?, ?, ?, ?, ?) ON CONFLICT (period_us, start_us) DO UPDATE SET"
          + " requests = excluded.requests, errors = excluded.errors,"
          + " histogram = excluded.histogram"
          + " WHERE excluded.requests > dashboard_latency_packed.requests";

  /** Deletes the packed rows of the periods that end at or before a retention's cutoff. */
  static final String PRUNE =
      "DELETE FROM dashboard_latency_packed WHERE start_us <= ? - period_us";

  /** Packed rows written per writer transaction. */
  private static final int WRITE_CHUNK = 64;

  /** A packed period as read or about to be written. */
  record Packed(long startUs, long requests, long errors, byte[] histogram) {}

  private final ReadPool reads;
  private final StoreWriter writer;
  private final Clock clock;

  LatencyCompaction(ReadPool reads, StoreWriter writer, Clock clock) {
    this.reads = reads;
    this.writer = writer;
    this.clock = clock;
  }

  /**
   * Packs every closed hour and day that starts at or after {@code fromUs} and has no packed row,
   * or one whose totals differ from the roll-up's; returns how many periods it packed.
   */
  int compact(long fromUs) {
    long now = SqlValues.micros(clock.instant());
    int count = 0;
    for (long period : new long[] {DashboardRollup.HOUR_US, DashboardRollup.DAY_US}) {
      long lo = DashboardRollup.floor(fromUs, period);
      long hi = DashboardRollup.floor(now, period); // periods starting before it have ended
      if (lo >= hi) {
        continue;
      }
      List<Long> stale =
          reads.read("find the latency histograms to pack", c -> stale(c, period, lo, hi));
      List<Packed> batch = new ArrayList<>();
      for (long start : stale) {
        Packed p = reads.read("read a latency histogram", c -> pack(c, period, start));
        if (p.requests() > 0) {
          batch.add(p);
        }
        if (batch.size() == WRITE_CHUNK) {
          count += write(period, batch);
        }
      }
      count += write(period, batch);
    }
    return count;
  }

  private int write(long period, List<Packed> batch) {
    if (batch.isEmpty()) {
      return 0;
    }
    List<Packed> rows = List.copyOf(batch);
    batch.clear();
    writer.call(
        "pack latency histograms",
        c -> {
          try (PreparedStatement ps = c.prepareStatement(UPSERT)) {
            for (Packed p : rows) {
              ps.setLong(1, period);
              ps.setLong(2, p.startUs());
              ps.setLong(3, p.requests());
              ps.setLong(4, p.errors());
              ps.setBytes(5, p.histogram());
              ps.addBatch();
            }
            ps.executeBatch();
          }
          return null;
        });
    return rows.size();
  }

  /** The starts of the periods in [lo, hi) with records whose packed row is missing or stale. */
  private static List<Long> stale(Connection c, long period, long lo, long hi) throws SQLException {
    Map<Long, long[]> totals = totals(c, period, lo, hi);
    totals.keySet().removeAll(usable(c, period, lo, hi, totals).keySet());
    List<Long> starts = new ArrayList<>(totals.keySet());
    starts.sort(null);
    return starts;
  }

  /** The period's histogram rows, packed. */
  private static Packed pack(Connection c, long period, long start) throws SQLException {
    LatencyPacking packing = new LatencyPacking();
    long requests = 0;
    long errors = 0;
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT latency_ms, requests, errors FROM dashboard_latency"
                + " WHERE period_us = ? AND start_us = ? ORDER BY latency_ms")) {
      ps.setLong(1, period);
      ps.setLong(2, start);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          long n = rs.getLong(2);
          packing.add(rs.getLong(1), n);
          requests += n;
          errors += rs.getLong(3);
        }
      }
    }
    return new Packed(start, requests, errors, packing.bytes());
  }

  /**
   * Requests and errors per period start in [lo, hi) from {@code dashboard_rollup} (the model
   * dimension counts every record once), the totals a packed row must equal to be used.
   */
  static Map<Long, long[]> totals(Connection c, long period, long lo, long hi) throws SQLException {
    Map<Long, long[]> totals = new HashMap<>();
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT hour_us / ? AS p, SUM(requests), SUM(errors) FROM dashboard_rollup"
                + " WHERE dim = 0 AND hour_us >= ? AND hour_us < ? GROUP BY p")) {
      ps.setLong(1, period);
      ps.setLong(2, lo);
      ps.setLong(3, hi);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          totals.put(rs.getLong(1) * period, new long[] {rs.getLong(2), rs.getLong(3)});
        }
      }
    }
    return totals;
  }

  /**
   * The packed rows of the periods in [lo, hi) whose totals equal {@code totals}' (the others are
   * stale or belong to a period the retention pruned in part), by start.
   */
  static Map<Long, Packed> usable(
      Connection c, long period, long lo, long hi, Map<Long, long[]> totals) throws SQLException {
    Map<Long, Packed> usable = new HashMap<>();
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT start_us, requests, errors, histogram FROM dashboard_latency_packed"
                + " WHERE period_us = ? AND start_us >= ? AND start_us < ?")) {
      ps.setLong(1, period);
      ps.setLong(2, lo);
      ps.setLong(3, hi);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          long start = rs.getLong(1);
          long[] t = totals.get(start);
          if (t != null && t[0] == rs.getLong(2) && t[1] == rs.getLong(3)) {
            usable.put(start, new Packed(start, t[0], t[1], rs.getBytes(4)));
          }
        }
      }
    }
    return usable;
  }
}
