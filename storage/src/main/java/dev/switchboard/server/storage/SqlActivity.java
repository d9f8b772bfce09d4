package dev.switchboard.server.storage;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * {@link ActivityStore} on the {@code usage_rollup} and {@code apps} tables (SQLite or PostgreSQL);
 * {@link #write} is the writer's half, run in the transaction that inserts the generation rows.
 */
final class SqlActivity implements ActivityStore {

  static final String UPSERT_ROLLUP =
      "INSERT INTO usage_rollup (day, key_hash, model, provider_name, app_referer, requests,"
          + " prompt_tokens, completion_tokens, reasoning_tokens, cost_nanos, byok_nanos)"
          + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
          + " ON CONFLICT (day, key_hash, model, provider_name, app_referer) DO UPDATE SET"
          + " requests = usage_rollup.requests + excluded.requests,"
          + " prompt_tokens = usage_rollup.prompt_tokens + excluded.prompt_tokens,"
          + " completion_tokens = usage_rollup.completion_tokens + excluded.completion_tokens,"
          + " reasoning_tokens = usage_rollup.reasoning_tokens + excluded.reasoning_tokens,"
          + " cost_nanos = usage_rollup.cost_nanos + excluded.cost_nanos,"
          + " byok_nanos = usage_rollup.byok_nanos + excluded.byok_nanos";

  static final String UPSERT_MODELS =
      "INSERT INTO activity_daily (day, model, provider_name, requests, prompt_tokens,"
          + " completion_tokens, reasoning_tokens, cost_nanos, byok_nanos)"
          + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
          + " ON CONFLICT (day, model, provider_name) DO UPDATE SET"
          + " requests = activity_daily.requests + excluded.requests,"
          + " prompt_tokens = activity_daily.prompt_tokens + excluded.prompt_tokens,"
          + " completion_tokens = activity_daily.completion_tokens + excluded.completion_tokens,"
          + " reasoning_tokens = activity_daily.reasoning_tokens + excluded.reasoning_tokens,"
          + " cost_nanos = activity_daily.cost_nanos + excluded.cost_nanos,"
          + " byok_nanos = activity_daily.byok_nanos + excluded.byok_nanos";

  static final String UPSERT_APP =
      "INSERT INTO apps (referer, title, first_seen_us, last_seen_us) VALUES (?, ?, ?, ?)"
          + " ON CONFLICT (referer) DO UPDATE SET"
          + " title = COALESCE(excluded.title, apps.title),"
          + " last_seen_us = CASE WHEN excluded.last_seen_us > apps.last_seen_us"
          + " THEN excluded.last_seen_us ELSE apps.last_seen_us END";

  private final ReadPool reads;

  SqlActivity(ReadPool reads) {
    this.reads = reads;
  }

  /** A day, model and provider: the key of {@code activity_daily}, in upsert order. */
  private record ModelDay(String day, String model, String providerName)
      implements Comparable<ModelDay> {
    @Override
    public int compareTo(ModelDay o) {
      int c = day.compareTo(o.day);
      c = c != 0 ? c : model.compareTo(o.model);
      return c != 0 ? c : providerName.compareTo(o.providerName);
    }
  }

  /**
   * Adds the roll-up rows (per key and app in {@code usage_rollup}, summed over keys and apps in
   * {@code activity_daily}) and apps of a batch of generation records to the three statements.
   */
  static void bind(
      List<GenerationRecord> generations,
      PreparedStatement rollup,
      PreparedStatement models,
      PreparedStatement apps)
      throws SQLException {
    Map<ModelDay, long[]> byModel = new TreeMap<>();
    for (Map.Entry<Rollup.Key, long[]> e : Rollup.fold(generations).entrySet()) {
      Rollup.Key k = e.getKey();
      long[] v = e.getValue();
      long[] sum =
          byModel.computeIfAbsent(
              new ModelDay(k.day().toString(), k.model(), k.providerName()),
              x -> new long[Rollup.SIZE]);
      for (int i = 0; i < Rollup.SIZE; i++) {
        sum[i] += v[i];
      }
      rollup.setString(1, k.day().toString());
      rollup.setString(2, k.keyHash());
      rollup.setString(3, k.model());
      rollup.setString(4, k.providerName());
      rollup.setString(5, k.referer());
      for (int i = 0; i < Rollup.SIZE; i++) {
        rollup.setLong(6 + i, v[i]);
      }
      rollup.addBatch();
    }
    for (Map.Entry<ModelDay, long[]> e : byModel.entrySet()) {
      models.setString(1, e.getKey().day());
      models.setString(2, e.getKey().model());
      models.setString(3, e.getKey().providerName());
      for (int i = 0; i < Rollup.SIZE; i++) {
        models.setLong(4 + i, e.getValue()[i]);
      }
      models.addBatch();
    }
    for (GenerationRecord g : generations) {
      String referer =
          g.providerName() == null ? null : Apps.referer(g.httpReferer(), g.appTitle());
      if (referer != null) {
        apps.setString(1, referer);
        apps.setString(2, g.appTitle());
        SqlValues.setMicros(apps, 3, g.createdAt());
        SqlValues.setMicros(apps, 4, g.createdAt());
        apps.addBatch();
      }
    }
  }

  @Override
  public List<UsageRow> usage(LocalDate from, LocalDate to, String keyHash) {
    return reads.read(
        "read activity",
        c -> {
          // Every key: the roll-up already summed over keys and apps (V13); one key: its rows of
          // usage_rollup, found by the (key_hash, day) index.
          String sql =
              keyHash == null
                  ? "SELECT day, model, provider_name, requests, prompt_tokens,"
                      + " completion_tokens, reasoning_tokens, cost_nanos, byok_nanos"
                      + " FROM activity_daily WHERE day >= ? AND day <= ?"
                  : "SELECT day, model, provider_name, SUM(requests), SUM(prompt_tokens),"
                      + " SUM(completion_tokens), SUM(reasoning_tokens), SUM(cost_nanos),"
                      + " SUM(byok_nanos) FROM usage_rollup WHERE key_hash = ? AND day >= ?"
                      + " AND day <= ? GROUP BY day, model, provider_name";
          try (PreparedStatement ps = c.prepareStatement(sql)) {
            int i = 1;
            if (keyHash != null) {
              ps.setString(i++, keyHash);
            }
            ps.setString(i++, from.toString());
            ps.setString(i, to.toString());
            List<UsageRow> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                out.add(
                    new UsageRow(
                        LocalDate.parse(rs.getString(1)),
                        rs.getString(2),
                        rs.getString(3),
                        rs.getLong(4),
                        rs.getLong(5),
                        rs.getLong(6),
                        rs.getLong(7),
                        Usd.fromNanos(rs.getLong(8)),
                        Usd.fromNanos(rs.getLong(9))));
              }
            }
            out.sort(ActivityOrder.USAGE);
            return out;
          }
        });
  }

  @Override
  public List<AppUsageRow> rankings(LocalDate from, LocalDate to) {
    return reads.read(
        "read rankings",
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT r.day, a.id, a.referer, a.title, r.model, SUM(r.requests),"
                      + " SUM(r.prompt_tokens), SUM(r.completion_tokens)"
                      + " FROM usage_rollup r JOIN apps a ON a.referer = r.app_referer"
                      + " WHERE r.day >= ? AND r.day <= ?"
                      + " GROUP BY r.day, a.id, r.model")) {
            ps.setString(1, from.toString());
            ps.setString(2, to.toString());
            List<AppUsageRow> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                out.add(
                    new AppUsageRow(
                        LocalDate.parse(rs.getString(1)),
                        rs.getLong(2),
                        rs.getString(3),
                        rs.getString(4),
                        rs.getString(5),
                        rs.getLong(6),
                        rs.getLong(7),
                        rs.getLong(8)));
              }
            }
            out.sort(ActivityOrder.RANKINGS);
            return out;
          }
        });
  }

  @Override
  public List<App> apps() {
    return reads.read("list apps", c -> select(c, "ORDER BY id", null));
  }

  @Override
  public Optional<App> app(String referer) {
    if (referer == null) {
      return Optional.empty();
    }
    return reads.read("find app", c -> select(c, "WHERE referer = ?", referer)).stream()
        .findFirst();
  }

  private static List<App> select(Connection c, String tail, String arg) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT id, referer, title, first_seen_us, last_seen_us FROM apps " + tail)) {
      if (arg != null) {
        ps.setString(1, arg);
      }
      List<App> out = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(
              new App(
                  rs.getLong(1),
                  rs.getString(2),
                  rs.getString(3),
                  SqlValues.instant(rs.getLong(4)),
                  SqlValues.instant(rs.getLong(5))));
        }
      }
      return out;
    }
  }
}
