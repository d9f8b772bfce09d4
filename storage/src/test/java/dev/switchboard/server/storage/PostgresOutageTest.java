package dev.switchboard.server.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.core.error.FailureClass;
import dev.switchboard.core.error.GatewayException;
import dev.switchboard.testkit.postgres.PrivatePostgres;
import dev.switchboard.testkit.postgres.TestDatabase;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * PostgreSQL stopped under a running storage (a private server, never the machine's): health turns
 * false with the reason, records and charges are kept in memory (bounded) and replies need not wait
 * for them, changes fail with 503, and everything kept is written once the server is back.
 */
class PostgresOutageTest {

  static PrivatePostgres server;

  @BeforeAll
  static void startServer() {
    server = PrivatePostgres.start();
  }

  @AfterAll
  static void stopServer() {
    server.close();
  }

  static Storage open(TestDatabase db, StorageOptions options) {
    return Storage.postgres(
        new PostgresSettings(db.url(), db.user(), null, 4, Duration.ofSeconds(1)), options);
  }

  @Test
  void keepsRecordsThroughAnOutageAndWritesThemWhenTheServerIsBack() throws Exception {
    String key = Keys.hash(Keys.generateInferenceKey());
    try (TestDatabase db = server.createDatabase();
        Storage s = open(db, StorageOptions.defaults())) {
      s.generations().record(Generations.full("gen-before", key, Instant.now()));
      s.durable().toCompletableFuture().get(10, TimeUnit.SECONDS);
      assertThat(s.health().ready()).isTrue();

      server.stopServer();
      awaitHealth(s, false);
      assertThat(s.health().reason()).contains("PostgreSQL unreachable");

      for (int i = 0; i < 50; i++) {
        s.generations().record(Generations.full("gen-during-" + i, key, Instant.now()));
        s.keys().charge(new UsageCharge(key, new BigDecimal("0.01"), null, Instant.now(), null));
      }
      // A reply does not wait for a database that is down: the records are kept in memory.
      s.durable().toCompletableFuture().get(5, TimeUnit.SECONDS);
      assertThat(s.health().backlog()).isEqualTo(100);
      assertThat(s.health().accepting()).isTrue();
      assertThat(s.generations().find("gen-during-7")).as("served from memory").isPresent();
      assertThatThrownBy(() -> s.credits().add(BigDecimal.ONE, "ops", null))
          .isInstanceOf(GatewayException.class)
          .satisfies(
              e ->
                  assertThat(((GatewayException) e).error().kind())
                      .isEqualTo(FailureClass.STORAGE_UNAVAILABLE));

      server.startServer();
      awaitHealth(s, true);
      s.generations().flush();
      assertThat(s.health().backlog()).isZero();
      assertThat(db.count("SELECT COUNT(*) FROM generations")).isEqualTo(51);
      assertThat(db.count("SELECT COUNT(*) FROM key_usage_ledger")).isEqualTo(50);
      assertThat(db.count("SELECT SUM(cost_nanos) FROM key_usage_daily")).isEqualTo(500_000_000L);
      assertThat(s.stats().dropped()).isZero();
      assertThat(s.stats().failed()).isZero();
    }
  }

  @Test
  void aFullBacklogStopsAcceptingNewWorkAndSaysWhy() throws Exception {
    String key = Keys.hash(Keys.generateInferenceKey());
    try (TestDatabase db = server.createDatabase();
        Storage s = open(db, StorageOptions.defaults().withMaxBacklog(20))) {
      server.stopServer();
      try {
        awaitHealth(s, false);
        for (int i = 0; i < 20; i++) {
          s.generations().record(Generations.full("gen-" + i, key, Instant.now()));
        }
        s.durable().toCompletableFuture().get(5, TimeUnit.SECONDS);
        assertThat(s.health().accepting()).isFalse();
        assertThat(s.stats().dropped()).as("admitted work is still kept").isZero();
      } finally {
        server.startServer();
      }
      awaitHealth(s, true);
      s.generations().flush();
      assertThat(s.health().accepting()).isTrue();
      assertThat(db.count("SELECT COUNT(*) FROM generations")).isEqualTo(20);
    }
  }

  static void awaitHealth(Storage s, boolean ready) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (s.health().ready() != ready) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("health did not become " + ready + ": " + s.health());
      }
      Thread.sleep(100);
    }
  }
}
