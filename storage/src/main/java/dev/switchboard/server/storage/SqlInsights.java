package dev.switchboard.server.storage;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@link InsightStore} in SQL that SQLite and PostgreSQL both run: buckets are integer divisions of
 * {@code created_at_us}, so no date function of either dialect is needed. The overview reads the
 * roll-ups of V12 ({@link DashboardRollup}) for the whole hours and buckets of its window and the
 * covering index {@code generations_overview} (V6) only for the parts of an hour or bucket at its
 * edges, so its cost grows with the window's length, not with its records (ADR 0013). The log reads
 * {@code generations_by_model}, {@code generations_by_provider}, {@code generations_failed} or
 * {@code generations_by_key_created} in creation order and pages by cursor (keyset), never offset.
 */
final class SqlInsights implements InsightStore {

  /** Runs a query on a pooled connection (the SQLite read pool, a PostgreSQL pool). */
  interface Reads {
    <T> T read(String what, SqlFunction<T> work);
  }

  private final Reads reads;

  SqlInsights(Reads reads) {
    this.reads = reads;
  }

  private static String column(Dimension by) {
    return switch (by) {
      case MODEL -> "model";
      case PROVIDER -> "COALESCE(provider_name, '')";
      case KEY -> "key_hash";
      case APP -> "COALESCE(http_referer, '')";
    };
  }

  @Override
  public Overview overview(Instant from, Instant to, Bucket bucket, Dimension by) {
    return overview(from, to, bucket, by, true);
  }

  /**
   * The overview from the roll-ups for the whole hours (sums) and whole buckets (latency) of the
   * window and from the generation rows for the rest at its edges; with {@code rollups} false, from
   * the generation rows alone (what the roll-ups must always equal; the tests compare them).
   */
  Overview overview(Instant from, Instant to, Bucket bucket, Dimension by, boolean rollups) {
    long lo = SqlValues.micros(from);
    long hi = SqlValues.micros(to);
    long width = bucket.micros();
    return reads.read(
        "read overview",
        c -> {
          Sums sums = new Sums(width);
          long hourLo = ceil(lo, DashboardRollup.HOUR_US);
          long hourHi = DashboardRollup.floor(hi, DashboardRollup.HOUR_US);
          if (rollups && hourLo < hourHi) {
            sums.fromRows(c, by, lo, hourLo);
            sums.fromRollup(c, by, hourLo, hourHi);
            sums.fromRows(c, by, hourHi, hi);
          } else {
            sums.fromRows(c, by, lo, hi);
          }
          Histograms latency = new Histograms(width);
          long periodLo = ceil(lo, width);
          long periodHi = DashboardRollup.floor(hi, width);
          if (rollups && periodLo < periodHi) {
            latency.fromRows(c, lo, periodLo);
            latency.fromRollup(c, periodLo, periodHi);
            latency.fromRows(c, periodHi, hi);
          } else {
            latency.fromRows(c, lo, hi);
          }
          return sums.overview(latency);
        });
  }

  private static long ceil(long micros, long width) {
    return -Math.floorDiv(-micros, width) * width;
  }

  /** The points of a window, added up from the parts it is read in, in (bucket, group) order. */
  private static final class Sums {
    private final long width;
    private final TreeMap<Long, TreeMap<String, long[]>> byBucket = new TreeMap<>();

    Sums(long width) {
      this.width = width;
    }

    void fromRows(Connection c, Dimension by, long lo, long hi) throws SQLException {
      if (lo >= hi) {
        return;
      }
      read(
          c,
          "SELECT created_at_us / ? AS b, "
              + column(by)
              + " AS g, COUNT(*), SUM(CASE WHEN error_status IS NULL THEN 0 ELSE 1 END),"
              + " SUM(COALESCE(native_tokens_prompt, 0)),"
              + " SUM(COALESCE(native_tokens_completion, 0)), SUM(total_cost_nanos)"
              + " FROM generations WHERE created_at_us >= ? AND created_at_us < ?"
              + " GROUP BY b, g",
          width,
          lo,
          hi);
    }

    void fromRollup(Connection c, Dimension by, long lo, long hi) throws SQLException {
      try (PreparedStatement ps =
          c.prepareStatement(
              "SELECT hour_us / ? AS b, grp, SUM(requests), SUM(errors), SUM(prompt_tokens),"
                  + " SUM(completion_tokens), SUM(cost_nanos) FROM dashboard_rollup"
                  + " WHERE dim = ? AND hour_us >= ? AND hour_us < ? GROUP BY b, grp")) {
        ps.setLong(1, width);
        ps.setInt(2, DashboardRollup.dim(by));
        ps.setLong(3, lo);
        ps.setLong(4, hi);
        add(ps);
      }
    }

    private void read(Connection c, String sql, long width, long lo, long hi) throws SQLException {
      try (PreparedStatement ps = c.prepareStatement(sql)) {
        ps.setLong(1, width);
        ps.setLong(2, lo);
        ps.setLong(3, hi);
        add(ps);
      }
    }

    private void add(PreparedStatement ps) throws SQLException {
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          long[] v =
              byBucket
                  .computeIfAbsent(rs.getLong(1), b -> new TreeMap<>())
                  .computeIfAbsent(rs.getString(2), g -> new long[5]);
          for (int i = 0; i < 5; i++) {
            v[i] += rs.getLong(3 + i);
          }
        }
      }
    }

    /** The overview of these sums and {@code latency}. */
    Overview overview(Histograms latency) {
      List<Point> points = new ArrayList<>();
      long cost = 0;
      long tokens = 0;
      for (Map.Entry<Long, TreeMap<String, long[]>> b : byBucket.entrySet()) {
        for (Map.Entry<String, long[]> g : b.getValue().entrySet()) {
          long[] v = g.getValue();
          cost += v[4];
          tokens += v[2] + v[3];
          points.add(
              new Point(
                  SqlValues.instant(b.getKey() * width),
                  g.getKey(),
                  v[0],
                  v[1],
                  v[2],
                  v[3],
                  Usd.fromNanos(v[4])));
        }
      }
      return new Overview(
          points, latency.perBucket(), latency.total(), Usd.fromNanos(cost), tokens);
    }
  }

  /**
   * Latency as a histogram per bucket (distinct values, not rows), reduced to exact percentiles
   * here: neither dialect's percentile functions are shared.
   */
  private static final class Histograms {
    /** Runs of unpacked buckets read one query each; more, and the window is read in one pass. */
    private static final int MAX_RUNS = 8;

    private final long width;
    private final Map<Long, Percentiles> perBucket = new TreeMap<>();
    private final Map<Long, long[]> counts = new TreeMap<>();
    private final Percentiles all = new Percentiles();
    private long requests;
    private long errors;

    Histograms(long width) {
      this.width = width;
    }

    void fromRows(Connection c, long lo, long hi) throws SQLException {
      if (lo >= hi) {
        return;
      }
      try (PreparedStatement ps =
          c.prepareStatement(
              "SELECT created_at_us / ? AS b, latency_ms, COUNT(*),"
                  + " SUM(CASE WHEN error_status IS NULL THEN 0 ELSE 1 END)"
                  + " FROM generations WHERE created_at_us >= ? AND created_at_us < ?"
                  + " GROUP BY b, latency_ms")) {
        ps.setLong(1, width);
        ps.setLong(2, lo);
        ps.setLong(3, hi);
        add(ps);
      }
    }

    /**
     * The whole buckets in [lo, hi): each from its packed row where one is usable (V16, {@link
     * LatencyCompaction}), the others from their histogram rows, read in runs of neighbouring
     * buckets (in one pass over the window when there are many runs).
     */
    void fromRollup(Connection c, long lo, long hi) throws SQLException {
      Map<Long, LatencyCompaction.Packed> packed =
          LatencyCompaction.usable(c, width, lo, hi, LatencyCompaction.totals(c, width, lo, hi));
      for (LatencyCompaction.Packed p : packed.values()) {
        long b = p.startUs() / width;
        Percentiles bucket = perBucket.computeIfAbsent(b, x -> new Percentiles());
        long[] ne = counts.computeIfAbsent(b, x -> new long[2]);
        LatencyPacking.unpack(
            p.histogram(),
            (ms, n) -> {
              bucket.add(ms, n);
              all.add(ms, n);
            });
        ne[0] += p.requests();
        ne[1] += p.errors();
        requests += p.requests();
        errors += p.errors();
      }
      List<long[]> runs = new ArrayList<>();
      long runLo = -1;
      for (long start = lo; start < hi; start += width) {
        if (packed.containsKey(start)) {
          if (runLo >= 0) {
            runs.add(new long[] {runLo, start});
            runLo = -1;
          }
        } else if (runLo < 0) {
          runLo = start;
        }
      }
      if (runLo >= 0) {
        runs.add(new long[] {runLo, hi});
      }
      if (runs.size() > MAX_RUNS) {
        histogramRows(c, lo, hi, packed);
      } else {
        for (long[] run : runs) {
          histogramRows(c, run[0], run[1], Map.of());
        }
      }
    }

    /** The histogram rows of the buckets in [lo, hi), but those in {@code skip}. */
    private void histogramRows(
        Connection c, long lo, long hi, Map<Long, LatencyCompaction.Packed> skip)
        throws SQLException {
      try (PreparedStatement ps =
          c.prepareStatement(
              "SELECT start_us / ?, latency_ms, requests, errors FROM dashboard_latency"
                  + " WHERE period_us = ? AND start_us >= ? AND start_us < ?")) {
        ps.setLong(1, width);
        ps.setLong(2, width);
        ps.setLong(3, lo);
        ps.setLong(4, hi);
        add(ps, skip.isEmpty() ? null : skip);
      }
    }

    private void add(PreparedStatement ps) throws SQLException {
      add(ps, null);
    }

    /** Adds the rows of {@code ps}, but those of the buckets (by start) in {@code skip}. */
    private void add(PreparedStatement ps, Map<Long, ?> skip) throws SQLException {
      try (ResultSet rs = ps.executeQuery()) {
        long lastBucket = Long.MIN_VALUE;
        Percentiles bucket = null;
        long[] ne = null;
        while (rs.next()) {
          long b = rs.getLong(1);
          if (skip != null && skip.containsKey(b * width)) {
            continue;
          }
          long ms = rs.getLong(2);
          long n = rs.getLong(3);
          long e = rs.getLong(4);
          if (bucket == null || b != lastBucket) { // rows mostly come grouped by bucket
            lastBucket = b;
            bucket = perBucket.computeIfAbsent(b, x -> new Percentiles());
            ne = counts.computeIfAbsent(b, x -> new long[2]);
          }
          bucket.add(ms, n);
          ne[0] += n;
          ne[1] += e;
          all.add(ms, n);
          requests += n;
          errors += e;
        }
      }
    }

    List<Latency> perBucket() {
      List<Latency> latency = new ArrayList<>();
      for (Map.Entry<Long, Percentiles> e : perBucket.entrySet()) {
        long[] ne = counts.get(e.getKey());
        latency.add(
            new Latency(
                SqlValues.instant(e.getKey() * width),
                ne[0],
                ne[1],
                e.getValue().at(0.5),
                e.getValue().at(0.95)));
      }
      return latency;
    }

    Latency total() {
      return new Latency(null, requests, errors, all.at(0.5), all.at(0.95));
    }
  }

  @Override
  public Page generations(Filter filter, Cursor after, int limit) {
    StringBuilder sql =
        new StringBuilder(
            "SELECT id, created_at_us, key_hash, model, provider_name, error_status, latency_ms,"
                + " total_cost_nanos, native_tokens_prompt, native_tokens_completion, streamed,"
                + " cancelled, finish_reason FROM generations WHERE 1 = 1");
    List<Object> args = new ArrayList<>();
    if (filter.keyHash() != null) {
      sql.append(" AND key_hash = ?");
      args.add(filter.keyHash());
    }
    if (filter.model() != null) {
      sql.append(" AND model = ?");
      args.add(filter.model());
    }
    if (filter.provider() != null) {
      sql.append(" AND provider_name = ?");
      args.add(filter.provider());
    }
    if (filter.failed() != null) {
      sql.append(filter.failed() ? " AND error_status IS NOT NULL" : " AND error_status IS NULL");
    }
    if (filter.from() != null) {
      sql.append(" AND created_at_us >= ?");
      args.add(SqlValues.micros(filter.from()));
    }
    if (filter.to() != null) {
      sql.append(" AND created_at_us < ?");
      args.add(SqlValues.micros(filter.to()));
    }
    if (after != null) {
      long at = SqlValues.micros(after.createdAt());
      sql.append(" AND created_at_us <= ? AND (created_at_us < ? OR id < ?)");
      args.add(at);
      args.add(at);
      args.add(after.id());
    }
    sql.append(" ORDER BY created_at_us DESC, id DESC LIMIT ?");
    args.add(limit + 1);
    return reads.read(
        "read generation log",
        c -> {
          List<Summary> rows = new ArrayList<>();
          try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
            for (int i = 0; i < args.size(); i++) {
              Object a = args.get(i);
              if (a instanceof Long l) {
                ps.setLong(i + 1, l);
              } else if (a instanceof Integer n) {
                ps.setInt(i + 1, n);
              } else {
                ps.setString(i + 1, (String) a);
              }
            }
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                rows.add(
                    new Summary(
                        rs.getString("id"),
                        SqlValues.getMicros(rs, "created_at_us"),
                        rs.getString("key_hash"),
                        rs.getString("model"),
                        rs.getString("provider_name"),
                        SqlValues.getInt(rs, "error_status"),
                        rs.getLong("latency_ms"),
                        SqlValues.getMoney(rs, "total_cost_nanos"),
                        SqlValues.getLong(rs, "native_tokens_prompt"),
                        SqlValues.getLong(rs, "native_tokens_completion"),
                        SqlValues.getBool(rs, "streamed"),
                        SqlValues.getBool(rs, "cancelled"),
                        rs.getString("finish_reason")));
              }
            }
          }
          return page(rows, limit);
        });
  }

  /** The first {@code limit} rows and, when one more was found, the cursor after the last. */
  static Page page(List<Summary> rows, int limit) {
    if (rows.size() <= limit) {
      return new Page(rows, null);
    }
    List<Summary> kept = rows.subList(0, limit);
    Summary last = kept.get(limit - 1);
    return new Page(kept, new Cursor(last.createdAt(), last.id()));
  }
}
