package dev.switchboard.bench;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.Tuple;
import java.net.URI;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * The measurement behind ADR 0005: the storage's two jobs on PostgreSQL (batched inserts of
 * generation-like rows from one writer, point reads by id) with pgjdbc + HikariCP against Vert.x's
 * reactive client, on the same table, in one run.
 *
 * <pre>
 * java -cp switchboard-bench-all.jar dev.switchboard.bench.PgDriverBench \
 *     jdbc:postgresql://127.0.0.1:5432/DB postgres [records 20000] [batch 500] [reads 5000]
 * </pre>
 *
 * The database must exist; the bench creates and drops its own table {@code pg_driver_bench}.
 */
public final class PgDriverBench {

  private static final String INSERT =
      "INSERT INTO pg_driver_bench (id, key_hash, model, created_at_us, cost_nanos, tokens, body)"
          + " VALUES ($1, $2, $3, $4, $5, $6, $7)";
  private static final String SELECT =
      "SELECT id, key_hash, model, created_at_us, cost_nanos, tokens, body FROM pg_driver_bench"
          + " WHERE id = $1";

  public static void main(String[] args) throws Exception {
    String url = args[0];
    String user = args[1];
    int records = args.length > 2 ? Integer.parseInt(args[2]) : 20_000;
    int batch = args.length > 3 ? Integer.parseInt(args[3]) : 500;
    int reads = args.length > 4 ? Integer.parseInt(args[4]) : 5_000;
    HikariConfig hc = new HikariConfig();
    hc.setJdbcUrl(url);
    hc.setUsername(user);
    hc.setMaximumPoolSize(4);
    try (HikariDataSource ds = new HikariDataSource(hc)) {
      for (int round = 1; round <= 2; round++) {
        reset(ds);
        double jdbcRate = jdbcInserts(ds, "j" + round, records, batch);
        Histogram jdbcReads = jdbcReads(ds, "j" + round, records, reads);
        reset(ds);
        Vertx vertx = Vertx.vertx();
        Pool pool = vertxPool(vertx, url, user);
        double vertxRate = vertxInserts(pool, "v" + round, records, batch);
        Histogram vertxReads = vertxReads(pool, "v" + round, records, reads);
        pool.close().await();
        vertx.close().await();
        System.out.printf(
            "round %d: pgjdbc+HikariCP %.0f records/s, read p50 %d us p99 %d us;"
                + " vertx-pg-client %.0f records/s, read p50 %d us p99 %d us%n",
            round,
            jdbcRate,
            jdbcReads.getValueAtPercentile(50),
            jdbcReads.getValueAtPercentile(99),
            vertxRate,
            vertxReads.getValueAtPercentile(50),
            vertxReads.getValueAtPercentile(99));
      }
      try (Connection c = ds.getConnection();
          Statement s = c.createStatement()) {
        s.execute("DROP TABLE IF EXISTS pg_driver_bench");
      }
    }
  }

  private static void reset(HikariDataSource ds) throws Exception {
    try (Connection c = ds.getConnection();
        Statement s = c.createStatement()) {
      s.execute("DROP TABLE IF EXISTS pg_driver_bench");
      s.execute(
          "CREATE TABLE pg_driver_bench (id TEXT PRIMARY KEY, key_hash TEXT NOT NULL, model TEXT"
              + " NOT NULL, created_at_us BIGINT NOT NULL, cost_nanos BIGINT NOT NULL, tokens"
              + " BIGINT, body TEXT)");
      s.execute("CREATE INDEX ON pg_driver_bench (key_hash, created_at_us)");
    }
  }

  private static final String BODY = "x".repeat(400);

  private static double jdbcInserts(HikariDataSource ds, String prefix, int n, int batch)
      throws Exception {
    long start = System.nanoTime();
    try (Connection c = ds.getConnection()) {
      c.setAutoCommit(false);
      try (PreparedStatement ps = c.prepareStatement(INSERT.replaceAll("\\$\\d", "?"))) {
        for (int i = 0; i < n; i++) {
          ps.setString(1, prefix + "-" + i);
          ps.setString(2, "key" + (i % 50));
          ps.setString(3, "openai/gpt-5");
          ps.setLong(4, 1_700_000_000_000_000L + i);
          ps.setLong(5, 123_456L + i);
          ps.setLong(6, 1000 + i);
          ps.setString(7, BODY);
          ps.addBatch();
          if ((i + 1) % batch == 0 || i == n - 1) {
            ps.executeBatch();
            c.commit();
          }
        }
      }
    }
    return n / ((System.nanoTime() - start) / 1e9);
  }

  private static Histogram jdbcReads(HikariDataSource ds, String prefix, int n, int reads)
      throws Exception {
    Histogram h = new Histogram(TimeUnit.SECONDS.toMicros(10), 3);
    String sql = SELECT.replaceAll("\\$\\d", "?");
    for (int i = 0; i < reads; i++) {
      String id = prefix + "-" + ThreadLocalRandom.current().nextInt(n);
      long t = System.nanoTime();
      try (Connection c = ds.getConnection();
          PreparedStatement ps = c.prepareStatement(sql)) {
        ps.setString(1, id);
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          rs.getString(7);
        }
      }
      h.recordValue((System.nanoTime() - t) / 1_000);
    }
    return h;
  }

  private static Pool vertxPool(Vertx vertx, String url, String user) {
    URI uri = URI.create(url.substring("jdbc:".length()));
    PgConnectOptions connect =
        new PgConnectOptions()
            .setHost(uri.getHost())
            .setPort(uri.getPort() < 0 ? 5432 : uri.getPort())
            .setDatabase(uri.getPath().substring(1))
            .setUser(user)
            .setCachePreparedStatements(true);
    return PgBuilder.pool()
        .with(new PoolOptions().setMaxSize(4))
        .connectingTo(connect)
        .using(vertx)
        .build();
  }

  private static double vertxInserts(Pool pool, String prefix, int n, int batch) {
    long start = System.nanoTime();
    for (int from = 0; from < n; from += batch) {
      List<Tuple> rows = new ArrayList<>(batch);
      for (int i = from; i < Math.min(n, from + batch); i++) {
        rows.add(
            Tuple.of(
                prefix + "-" + i,
                "key" + (i % 50),
                "openai/gpt-5",
                1_700_000_000_000_000L + i,
                123_456L + i,
                1000L + i,
                BODY));
      }
      pool.withTransaction(c -> c.preparedQuery(INSERT).executeBatch(rows)).await();
    }
    return n / ((System.nanoTime() - start) / 1e9);
  }

  private static Histogram vertxReads(Pool pool, String prefix, int n, int reads) {
    Histogram h = new Histogram(TimeUnit.SECONDS.toMicros(10), 3);
    for (int i = 0; i < reads; i++) {
      String id = prefix + "-" + ThreadLocalRandom.current().nextInt(n);
      long t = System.nanoTime();
      var rows = pool.preparedQuery(SELECT).execute(Tuple.of(id)).await();
      rows.iterator().next().getString(6);
      h.recordValue((System.nanoTime() - t) / 1_000);
    }
    return h;
  }

  private PgDriverBench() {}
}
