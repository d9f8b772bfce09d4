package dev.switchboard.server.storage;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link Database} on PostgreSQL through pgjdbc and a HikariCP pool (ADR 0005). Reads borrow a
 * pooled connection per call; the writer thread holds one. A probe with its own connection checks
 * every second that the server answers, so readiness turns false within about a second of an outage
 * even when nothing is being written.
 */
final class PostgresDatabase implements Database, ReadPool {

  private static final Logger log = LoggerFactory.getLogger(PostgresDatabase.class);
  private static final long PROBE_EVERY_MS = 1_000;

  private final PostgresSettings settings;
  private final HikariDataSource pool;
  private final ScheduledExecutorService probe;
  private Connection probeConnection; // probe thread only
  private volatile String unreachable;
  private volatile boolean closed;

  PostgresDatabase(PostgresSettings settings) {
    this.settings = settings;
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(settings.url());
    if (settings.user() != null) {
      config.setUsername(settings.user());
    }
    if (settings.password() != null) {
      config.setPassword(settings.password());
    }
    config.setDataSourceProperties(properties(settings));
    config.setMaximumPoolSize(settings.poolSize());
    config.setMinimumIdle(Math.min(2, settings.poolSize()));
    config.setConnectionTimeout(Math.max(250, settings.connectTimeout().toMillis()));
    config.setValidationTimeout(
        Math.max(250, Math.min(2_000, settings.connectTimeout().toMillis())));
    config.setPoolName("switchboard-postgres");
    // Fails here, with the server's reason, when PostgreSQL cannot be reached at start.
    config.setInitializationFailTimeout(settings.connectTimeout().toMillis());
    this.pool = new HikariDataSource(config);
    this.probe =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "switchboard-postgres-probe");
              t.setDaemon(true);
              return t;
            });
    probe.scheduleWithFixedDelay(this::probe, 0, PROBE_EVERY_MS, TimeUnit.MILLISECONDS);
  }

  /**
   * Strings are sent untyped, so the server reads {@code '2026-01-31'} as a {@code DATE} where the
   * column is one: the stores bind days as strings on both engines.
   */
  private static Properties properties(PostgresSettings s) {
    Properties p = new Properties();
    p.setProperty("stringtype", "unspecified");
    p.setProperty("ApplicationName", "switchboard");
    p.setProperty("tcpKeepAlive", "true");
    p.setProperty("connectTimeout", Long.toString(Math.max(1, s.connectTimeout().toSeconds())));
    return p;
  }

  @Override
  public Dialect dialect() {
    return Dialect.POSTGRES;
  }

  @Override
  public String describe() {
    return "PostgreSQL " + settings.safeUrl();
  }

  @Override
  public void migrate() {
    MigrateResult result =
        Flyway.configure(PostgresDatabase.class.getClassLoader())
            .dataSource(pool)
            .locations(Dialect.POSTGRES.migrations())
            .load()
            .migrate();
    log.atInfo()
        .addKeyValue("applied", result.migrationsExecuted)
        .addKeyValue(
            "schema_version",
            result.targetSchemaVersion != null
                ? result.targetSchemaVersion
                : result.initialSchemaVersion)
        .log("storage schema migrated");
  }

  @Override
  public Connection openWriter() throws SQLException {
    Connection c = pool.getConnection();
    c.setAutoCommit(false);
    return c;
  }

  @Override
  public ReadPool reads() {
    return this;
  }

  @Override
  public <T> T read(String what, SqlFunction<T> work) {
    if (closed) {
      throw StorageErrors.closed();
    }
    try (Connection c = pool.getConnection()) {
      return work.apply(c);
    } catch (SQLException e) {
      if (closed) {
        throw StorageErrors.closed();
      }
      if (Dialect.POSTGRES.isUnavailable(e)) {
        throw StorageErrors.unavailable(what, e);
      }
      throw StorageErrors.internal(what, e);
    }
  }

  @Override
  public String unreachable() {
    return unreachable;
  }

  /** One round trip on the probe's own connection (reopened when the server dropped it). */
  private void probe() {
    try {
      if (probeConnection == null || !probeConnection.isValid(2)) {
        closeProbeConnection();
        Properties p = properties(settings);
        if (settings.user() != null) {
          p.setProperty("user", settings.user());
        }
        if (settings.password() != null) {
          p.setProperty("password", settings.password());
        }
        probeConnection = DriverManager.getConnection(settings.url(), p);
        if (!probeConnection.isValid(2)) {
          throw new SQLException("the server did not answer within 2 s", "08006");
        }
      }
      if (unreachable != null) {
        log.atInfo().addKeyValue("database", describe()).log("PostgreSQL is reachable again");
      }
      unreachable = null;
    } catch (SQLException | RuntimeException e) {
      closeProbeConnection();
      String reason = "PostgreSQL unreachable: " + StorageErrors.rootMessage(e);
      if (unreachable == null && !closed) {
        log.atError().addKeyValue("database", describe()).log(reason);
      }
      unreachable = reason;
    }
  }

  private void closeProbeConnection() {
    if (probeConnection != null) {
      try {
        probeConnection.close();
      } catch (SQLException ignored) {
        // a broken connection; nothing to keep
      }
      probeConnection = null;
    }
  }

  /** HikariCP's own counts; zeros once the pool is closed. */
  @Override
  public ConnectionPoolStats stats() {
    return new ConnectionPoolStats() {
      @Override
      public String name() {
        return pool.getPoolName();
      }

      @Override
      public int active() {
        var bean = pool.getHikariPoolMXBean();
        return bean == null ? 0 : bean.getActiveConnections();
      }

      @Override
      public int idle() {
        var bean = pool.getHikariPoolMXBean();
        return bean == null ? 0 : bean.getIdleConnections();
      }

      @Override
      public int pending() {
        var bean = pool.getHikariPoolMXBean();
        return bean == null ? 0 : bean.getThreadsAwaitingConnection();
      }

      @Override
      public int max() {
        return pool.getMaximumPoolSize();
      }
    };
  }

  @Override
  public void close() {
    closed = true;
    probe.shutdownNow();
    try {
      probe.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    closeProbeConnection();
    pool.close();
  }
}
