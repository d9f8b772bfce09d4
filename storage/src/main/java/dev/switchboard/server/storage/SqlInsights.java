package dev.switchboard.server.storage;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@link InsightStore} in SQL that SQLite and PostgreSQL both run: buckets are integer divisions of
 * {@code created_at_us}, so no date function of either dialect is needed. Each query reads one
 * index of V6 ({@code generations_overview} covers every column the aggregates read; {@code
 * generations_by_model}, {@code generations_by_provider}, {@code generations_failed} and {@code
 * generations_by_key_created} serve the log's filters in creation order).
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
    long lo = SqlValues.micros(from);
    long hi = SqlValues.micros(to);
    long width = bucket.micros();
    return reads.read(
        "read overview",
        c -> {
          List<Point> points = new ArrayList<>();
          long cost = 0;
          long tokens = 0;
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT created_at_us / ? AS b, "
                      + column(by)
                      + " AS g, COUNT(*), SUM(CASE WHEN error_status IS NULL THEN 0 ELSE 1 END),"
                      + " SUM(COALESCE(native_tokens_prompt, 0)),"
                      + " SUM(COALESCE(native_tokens_completion, 0)), SUM(total_cost_nanos)"
                      + " FROM generations WHERE created_at_us >= ? AND created_at_us < ?"
                      + " GROUP BY b, g ORDER BY b, g")) {
            ps.setLong(1, width);
            ps.setLong(2, lo);
            ps.setLong(3, hi);
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                long nanos = rs.getLong(7);
                cost += nanos;
                tokens += rs.getLong(5) + rs.getLong(6);
                points.add(
                    new Point(
                        SqlValues.instant(rs.getLong(1) * width),
                        rs.getString(2),
                        rs.getLong(3),
                        rs.getLong(4),
                        rs.getLong(5),
                        rs.getLong(6),
                        Usd.fromNanos(nanos)));
              }
            }
          }
          // Latency as a histogram per bucket (distinct values, not rows), reduced to exact
          // percentiles here: neither dialect's percentile functions are shared.
          Map<Long, Percentiles> perBucket = new TreeMap<>();
          Map<Long, long[]> counts = new TreeMap<>();
          Percentiles all = new Percentiles();
          long requests = 0;
          long errors = 0;
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT created_at_us / ? AS b, latency_ms, COUNT(*),"
                      + " SUM(CASE WHEN error_status IS NULL THEN 0 ELSE 1 END)"
                      + " FROM generations WHERE created_at_us >= ? AND created_at_us < ?"
                      + " GROUP BY b, latency_ms")) {
            ps.setLong(1, width);
            ps.setLong(2, lo);
            ps.setLong(3, hi);
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                long b = rs.getLong(1);
                long ms = rs.getLong(2);
                long n = rs.getLong(3);
                long e = rs.getLong(4);
                perBucket.computeIfAbsent(b, x -> new Percentiles()).add(ms, n);
                long[] ne = counts.computeIfAbsent(b, x -> new long[2]);
                ne[0] += n;
                ne[1] += e;
                all.add(ms, n);
                requests += n;
                errors += e;
              }
            }
          }
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
          return new Overview(
              points,
              latency,
              new Latency(null, requests, errors, all.at(0.5), all.at(0.95)),
              Usd.fromNanos(cost),
              tokens);
        });
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
