package dev.switchboard.server.storage;

import dev.switchboard.server.storage.InsightStore.Dimension;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The writer's half of the dashboard's roll-ups (V12, ADR 0013): {@code dashboard_rollup} holds
 * requests, errors, tokens and cost per UTC hour and per value of one {@link Dimension}, {@code
 * dashboard_latency} the latency histogram per UTC hour and per UTC day. Both are added to in the
 * transaction that inserts the generation rows, so they always equal an aggregation of the rows
 * ({@link SqlInsights} reads them for the whole hours and days of a window). The upserts of a batch
 * are folded first and sent in key order, so two writers (two cluster nodes) never wait on each
 * other's rows in opposite orders.
 */
final class DashboardRollup {

  static final long HOUR_US = InsightStore.Bucket.HOUR.micros();
  static final long DAY_US = InsightStore.Bucket.DAY.micros();

  static final String UPSERT_ROLLUP =
      "INSERT INTO dashboard_rollup (dim, hour_us, grp, requests, errors, prompt_tokens,"
          + " completion_tokens, cost_nanos) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
          + " ON CONFLICT (dim, hour_us, grp) DO UPDATE SET"
          + " requests = dashboard_rollup.requests + excluded.requests,"
          + " errors = dashboard_rollup.errors + excluded.errors,"
          + " prompt_tokens = dashboard_rollup.prompt_tokens + excluded.prompt_tokens,"
          + " completion_tokens = dashboard_rollup.completion_tokens + excluded.completion_tokens,"
          + " cost_nanos = dashboard_rollup.cost_nanos + excluded.cost_nanos";

  static final String UPSERT_LATENCY =
      "INSERT INTO dashboard_latency (period_us, start_us, latency_ms, requests, errors)"
          + " VALUES (?, ?, ?, ?, ?) ON CONFLICT (period_us, start_us, latency_ms) DO UPDATE SET"
          + " requests = dashboard_latency.requests + excluded.requests,"
          + " errors = dashboard_latency.errors + excluded.errors";

  /** Deletes the roll-up rows of the hours (days) that end at or before a retention's cutoff. */
  static final String PRUNE_ROLLUP = "DELETE FROM dashboard_rollup WHERE hour_us <= ? - " + HOUR_US;

  static final String PRUNE_LATENCY =
      "DELETE FROM dashboard_latency WHERE start_us <= ? - period_us";

  private static final int REQUESTS = 0;
  private static final int ERRORS = 1;
  private static final int PROMPT = 2;
  private static final int COMPLETION = 3;
  private static final int COST = 4;

  private DashboardRollup() {}

  /** The dimension's number in {@code dashboard_rollup.dim}. */
  static int dim(Dimension by) {
    return switch (by) {
      case MODEL -> 0;
      case PROVIDER -> 1;
      case KEY -> 2;
      case APP -> 3;
    };
  }

  /** The group of a record in a dimension, as the raw aggregation has it ('' for none). */
  static String group(GenerationRecord g, Dimension by) {
    String v =
        switch (by) {
          case MODEL -> g.model();
          case PROVIDER -> g.providerName();
          case KEY -> g.keyHash();
          case APP -> g.httpReferer();
        };
    return v == null ? "" : v;
  }

  static long floor(long micros, long width) {
    return Math.floorDiv(micros, width) * width;
  }

  private record GroupKey(int dim, long hourUs, String grp) {}

  private record LatencyKey(long periodUs, long startUs, long latencyMs) {}

  private static final Comparator<GroupKey> GROUP_ORDER =
      Comparator.comparingInt(GroupKey::dim)
          .thenComparingLong(GroupKey::hourUs)
          .thenComparing(GroupKey::grp);

  private static final Comparator<LatencyKey> LATENCY_ORDER =
      Comparator.comparingLong(LatencyKey::periodUs)
          .thenComparingLong(LatencyKey::startUs)
          .thenComparingLong(LatencyKey::latencyMs);

  /** Adds the roll-up upserts of a batch of generation records to the two statements. */
  static void bind(
      List<GenerationRecord> generations, PreparedStatement rollup, PreparedStatement latency)
      throws SQLException {
    Map<GroupKey, long[]> groups = new TreeMap<>(GROUP_ORDER);
    Map<LatencyKey, long[]> latencies = new TreeMap<>(LATENCY_ORDER);
    for (GenerationRecord g : generations) {
      long at = SqlValues.micros(g.createdAt());
      long hour = floor(at, HOUR_US);
      long error = g.errorStatus() == null ? 0 : 1;
      for (Dimension by : Dimension.values()) {
        long[] v =
            groups.computeIfAbsent(new GroupKey(dim(by), hour, group(g, by)), k -> new long[5]);
        v[REQUESTS]++;
        v[ERRORS] += error;
        v[PROMPT] += g.nativeTokensPrompt() == null ? 0 : g.nativeTokensPrompt();
        v[COMPLETION] += g.nativeTokensCompletion() == null ? 0 : g.nativeTokensCompletion();
        v[COST] += Usd.toNanos(g.totalCost());
      }
      for (long period : new long[] {HOUR_US, DAY_US}) {
        long[] v =
            latencies.computeIfAbsent(
                new LatencyKey(period, floor(at, period), g.latencyMs()), k -> new long[2]);
        v[0]++;
        v[1] += error;
      }
    }
    for (Map.Entry<GroupKey, long[]> e : groups.entrySet()) {
      GroupKey k = e.getKey();
      long[] v = e.getValue();
      rollup.setInt(1, k.dim());
      rollup.setLong(2, k.hourUs());
      rollup.setString(3, k.grp());
      for (int i = 0; i < v.length; i++) {
        rollup.setLong(4 + i, v[i]);
      }
      rollup.addBatch();
    }
    for (Map.Entry<LatencyKey, long[]> e : latencies.entrySet()) {
      LatencyKey k = e.getKey();
      latency.setLong(1, k.periodUs());
      latency.setLong(2, k.startUs());
      latency.setLong(3, k.latencyMs());
      latency.setLong(4, e.getValue()[0]);
      latency.setLong(5, e.getValue()[1]);
      latency.addBatch();
    }
  }
}
