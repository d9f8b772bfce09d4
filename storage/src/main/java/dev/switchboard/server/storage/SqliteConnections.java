package dev.switchboard.server.storage;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/**
 * Opens connections to the database file with the pragmas every connection needs (WAL, {@code
 * synchronous=NORMAL}, a busy timeout) and runs the Flyway migrations.
 */
final class SqliteConnections {

  /** Flyway location of the SQLite migration set. */
  static final String MIGRATIONS = Dialect.SQLITE.migrations();

  private static final Logger log = LoggerFactory.getLogger(SqliteConnections.class);

  private final String url;
  private final StorageOptions options;

  SqliteConnections(Path file, StorageOptions options) {
    this.url = "jdbc:sqlite:" + file.toAbsolutePath();
    this.options = options;
  }

  /** Applies pending migrations; a no-op when the schema is current. */
  void migrate() {
    SQLiteDataSource dataSource = new SQLiteDataSource(config());
    dataSource.setUrl(url);
    MigrateResult result =
        Flyway.configure(SqliteConnections.class.getClassLoader())
            .dataSource(dataSource)
            .locations(MIGRATIONS)
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

  /** The connection of the writer thread; transactions are begun explicitly. */
  Connection openWriter() throws SQLException {
    return config().createConnection(url);
  }

  /** A connection that may only read. */
  Connection openReader() throws SQLException {
    Connection connection = config().createConnection(url);
    try (Statement statement = connection.createStatement()) {
      statement.execute("PRAGMA query_only = ON");
    } catch (SQLException e) {
      connection.close();
      throw e;
    }
    return connection;
  }

  private SQLiteConfig config() {
    SQLiteConfig config = new SQLiteConfig();
    config.setJournalMode(SQLiteConfig.JournalMode.WAL);
    config.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL);
    config.setBusyTimeout((int) Math.min(Integer.MAX_VALUE, options.busyTimeout().toMillis()));
    config.setTempStore(SQLiteConfig.TempStore.MEMORY);
    return config;
  }
}
