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
import java.util.stream.Stream;
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
    assertThat(query(file, "SELECT COUNT(*) FROM flyway_schema_history WHERE success = 1"))
        .isEqualTo("1");
    assertThat(createKey("after reopen")).isNotNull();
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
}
