package dev.switchboard.server.storage;

import dev.switchboard.testkit.postgres.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The key store contract on PostgreSQL: one test database for the class, a fresh schema each. */
class PostgresKeyStoreTest extends KeyStoreContract {

  static TestDatabase db;

  @BeforeAll
  static void createDatabase() {
    db = TestDatabase.create();
  }

  @AfterAll
  static void dropDatabase() {
    db.close();
  }

  @Override
  Storage open(MutableClock clock) {
    try (var c = db.connect();
        var s = c.createStatement()) {
      s.execute("DROP SCHEMA public CASCADE");
      s.execute("CREATE SCHEMA public");
    } catch (java.sql.SQLException e) {
      throw new IllegalStateException(e);
    }
    return Storage.postgres(
        PostgresSettings.of(db.url(), db.user(), null), StorageOptions.defaults().withClock(clock));
  }
}
