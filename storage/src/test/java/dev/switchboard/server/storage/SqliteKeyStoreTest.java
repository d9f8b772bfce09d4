package dev.switchboard.server.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.Map;
import java.util.stream.Stream;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SqliteKeyStoreTest extends KeyStoreContract {

  @TempDir Path dir;

  @Override
  Storage open(MutableClock clock) {
    return Storage.sqlite(dir.resolve("data"), StorageOptions.defaults().withClock(clock));
  }

  void reopen() {
    storage.close();
    storage = open(clock);
  }

  @Test
  void createsTheDataFolderAndTheDatabaseFileInWalMode() throws SQLException {
    Path file = dir.resolve("data").resolve(Storage.SQLITE_FILE_NAME);

    assertThat(file).exists();
    assertThat(query(file, "PRAGMA journal_mode")).isEqualTo("wal");
  }

  @Test
  void neverWritesTheKeyPlaintextToDisk() throws IOException {
    String plaintext = Keys.generateInferenceKey();
    String secret = plaintext.substring(Keys.INFERENCE_PREFIX.length());
    ApiKey key = keys().create(NewKey.of(plaintext, "secret", KeyKind.INFERENCE));
    keys().addUsage(key.hash(), usd("1"), clock.instant());
    storage.generations().record(Generations.full("gen-1-x", key.hash(), clock.instant()));
    storage.generations().flush();
    byte[] beforeClose = allDatabaseBytes();

    storage.close();
    byte[] afterClose = allDatabaseBytes();

    for (byte[] bytes : new byte[][] {beforeClose, afterClose}) {
      String content = new String(bytes, StandardCharsets.ISO_8859_1);
      assertThat(content).contains(key.hash()).doesNotContain(plaintext).doesNotContain(secret);
    }
    storage = open(clock);
  }

  @Test
  void keepsKeysAndTheirUsageAcrossAReopen() {
    ApiKey key = createKey("durable");
    keys().update(key.hash(), KeyPatch.empty().withDisabled(true));
    keys().addUsage(key.hash(), usd("1.25"), clock.instant());
    keys().addUsage(key.hash(), usd("2"), Instant.parse("2025-02-10T00:00:00Z"));
    KeyUsage before = keys().usage(key.hash());
    ApiKey stored = keys().findByHash(key.hash()).orElseThrow();

    reopen();

    assertThat(keys().findByHash(key.hash())).contains(stored);
    assertThat(keys().usage(key.hash())).isEqualTo(before);
    assertThat(before.daily()).isEqualTo(usd("1.25"));
    assertThat(before.total()).isEqualTo(usd("3.25"));
  }

  @Test
  void appendsOneLedgerRowPerChargeAndOneRollUpRowPerKeyAndDay() throws SQLException {
    ApiKey key = createKey("ledger");
    for (int i = 0; i < 10; i++) {
      keys().addUsage(key.hash(), usd("0.1"), clock.instant());
    }
    keys().addUsage(key.hash(), usd("1"), Instant.parse("2025-03-01T00:00:00Z"));

    storage.close();

    Path file = dir.resolve("data").resolve(Storage.SQLITE_FILE_NAME);
    assertThat(query(file, "SELECT COUNT(*) FROM key_usage_ledger")).isEqualTo("11");
    assertThat(query(file, "SELECT COUNT(*) FROM key_usage_daily")).isEqualTo("2");
    assertThat(query(file, "SELECT cost_nanos FROM key_usage_daily WHERE day = '2025-03-05'"))
        .isEqualTo("1000000000");
    storage = open(clock);
  }

  @Test
  void migrationsRunOnceAndReopeningIsANoOp() throws SQLException {
    reopen();
    reopen();

    Path file = dir.resolve("data").resolve(Storage.SQLITE_FILE_NAME);
    // Every migration of the SQLite set (V1 keys, usage, generations; V2 money and limits; V3 key
    // labels; V11 the ledger by generation; ...), each applied once.
    assertThat(query(file, "SELECT COUNT(*) FROM flyway_schema_history WHERE success = 1"))
        .isEqualTo(Long.toString(sqliteMigrations()));
    assertThat(
            query(
                file,
                "SELECT COUNT(*) - COUNT(DISTINCT version) FROM flyway_schema_history"
                    + " WHERE success = 1"))
        .isEqualTo("0");
    assertThat(createKey("after reopen")).isNotNull();
  }

  @Test
  void keepsNoMoreThanThreeCharactersAtEachEndOfAUserChosenKeyOnDisk() throws IOException {
    String chosen = "correct-horse-battery-staple-zebra-42";
    ApiKey key = keys().create(NewKey.of(chosen, "master", KeyKind.MANAGEMENT));
    storage.generations().flush();

    assertThat(key.label()).isEqualTo("cor...-42");
    assertThat(keys().findByHash(key.hash()).orElseThrow().label()).isEqualTo("cor...-42");
    storage.close();
    String content = new String(allDatabaseBytes(), StandardCharsets.ISO_8859_1);
    assertThat(content).contains("cor...-42").doesNotContain("horse").doesNotContain("zebra");
    storage = open(clock);
  }

  @Test
  void labelsWrittenBeforeVersion2AreCutToThreeCharactersAtEachEnd() throws Exception {
    storage.close();
    Path old = dir.resolve("old");
    Files.createDirectories(old);
    String url = "jdbc:sqlite:" + old.resolve(Storage.SQLITE_FILE_NAME);
    Flyway.configure(getClass().getClassLoader())
        .dataSource(url, null, null)
        .locations(SqliteConnections.MIGRATIONS)
        .target("1")
        .load()
        .migrate();
    Map<String, String> labels =
        Map.of(
            "correct-horse-battery-staple-zebra-42",
            "correct-horse-battery-staple-zebra-***",
            "sk-sb-v1-abc" + "0".repeat(58) + "123",
            "sk-sb-v1-abc...123",
            "sk-sb-mgmt-v1-def" + "1".repeat(58) + "789",
            "sk-sb-mgmt-v1-def...789",
            "my-own-master-key-abcdefghijklmnopqrstuvwxyz",
            "my-own-master-key-abc...xyz",
            "sk-short",
            "sk-***");
    try (Connection c = DriverManager.getConnection(url);
        Statement st = c.createStatement()) {
      for (Map.Entry<String, String> e : labels.entrySet()) {
        st.execute(
            "INSERT INTO api_keys (hash, name, label, kind, created_at_us) VALUES ('"
                + Keys.hash(e.getKey())
                + "', 'k', '"
                + e.getValue()
                + "', 'INFERENCE', 0)");
      }
    }

    storage = Storage.sqlite(old, StorageOptions.defaults().withClock(clock));

    Map<String, String> now = new java.util.HashMap<>();
    for (String plaintext : labels.keySet()) {
      now.put(plaintext, keys().findByHash(Keys.hash(plaintext)).orElseThrow().label());
    }
    assertThat(now)
        .containsEntry("correct-horse-battery-staple-zebra-42", "cor...***")
        .containsEntry("sk-sb-v1-abc" + "0".repeat(58) + "123", "sk-sb-v1-abc...123")
        .containsEntry("sk-sb-mgmt-v1-def" + "1".repeat(58) + "789", "sk-sb-mgmt-v1-def...789")
        .containsEntry("my-own-master-key-abcdefghijklmnopqrstuvwxyz", "my-...xyz")
        .containsEntry("sk-short", "***");
  }

  private byte[] allDatabaseBytes() throws IOException {
    Path data = dir.resolve("data");
    byte[] all = new byte[0];
    try (Stream<Path> files = Files.list(data)) {
      for (Path file : files.toList()) {
        byte[] bytes = Files.readAllBytes(file);
        byte[] joined = new byte[all.length + bytes.length];
        System.arraycopy(all, 0, joined, 0, all.length);
        System.arraycopy(bytes, 0, joined, all.length, bytes.length);
        all = joined;
      }
    }
    return all;
  }

  static String query(Path file, String sql) throws SQLException {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      return rs.next() ? rs.getString(1) : null;
    }
  }

  /** The number of migration scripts of the SQLite set on the class path. */
  private static long sqliteMigrations() {
    try {
      java.net.URL dir =
          SqliteKeyStoreTest.class.getClassLoader().getResource("db/migration/sqlite");
      try (java.util.stream.Stream<Path> files = java.nio.file.Files.list(Path.of(dir.toURI()))) {
        return files.filter(f -> f.getFileName().toString().matches("V\\d+__.*\\.sql")).count();
      }
    } catch (java.io.IOException | java.net.URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }
}
