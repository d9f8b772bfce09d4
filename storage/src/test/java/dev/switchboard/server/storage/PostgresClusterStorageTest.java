package dev.switchboard.server.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.core.error.GatewayException;
import dev.switchboard.testkit.postgres.TestDatabase;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two storages on one PostgreSQL database, as two gateway nodes have: what one writes the other
 * reads, and the writes that race between them (the same key created at once, credit corrections)
 * stay correct.
 */
class PostgresClusterStorageTest {

  TestDatabase db;
  Storage a;
  Storage b;

  @BeforeEach
  void open() {
    db = TestDatabase.create();
    a = Storage.postgres(PostgresSettings.of(db.url(), db.user(), null), StorageOptions.defaults());
    b = Storage.postgres(PostgresSettings.of(db.url(), db.user(), null), StorageOptions.defaults());
  }

  @AfterEach
  void close() {
    a.close();
    b.close();
    db.close();
  }

  @Test
  void aRecordCommittedOnOneNodeIsReadOnTheOther() throws Exception {
    String key = Keys.hash(Keys.generateInferenceKey());
    GenerationRecord g = Generations.full("gen-shared", key, Instant.parse("2026-01-02T03:04:05Z"));
    a.generations().record(g);
    a.durable().toCompletableFuture().get();
    assertThat(b.generations().find("gen-shared")).contains(g);
    assertThat(a.shared()).isTrue();
  }

  @Test
  void theSameKeyCreatedOnBothNodesAtOnceIsStoredOnceAndTheLoserIsTold() throws Exception {
    String master = "correct-horse-battery-staple-zebra-42";
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      List<Future<Object>> results = new ArrayList<>();
      for (Storage s : List.of(a, b)) {
        Callable<Object> create =
            () -> {
              try {
                return s.keys().create(NewKey.of(master, "master", KeyKind.MANAGEMENT));
              } catch (GatewayException e) {
                return e;
              }
            };
        results.add(pool.submit(create));
      }
      List<Object> outcomes = new ArrayList<>();
      for (Future<Object> f : results) {
        outcomes.add(f.get());
      }
      assertThat(outcomes).filteredOn(o -> o instanceof ApiKey).hasSizeGreaterThanOrEqualTo(1);
      assertThat(outcomes)
          .filteredOn(o -> o instanceof GatewayException)
          .allSatisfy(e -> assertThat(((Exception) e).getMessage()).contains("already exists"));
    } finally {
      pool.shutdown();
    }
    assertThat(db.count("SELECT COUNT(*) FROM api_keys")).isEqualTo(1);
  }

  @Test
  void aRefreshShowsWhatTheOtherNodeChanged() {
    String plaintext = Keys.generateInferenceKey();
    ApiKey key = a.keys().create(NewKey.of(plaintext, "k", KeyKind.INFERENCE));
    assertThat(b.keys().findByHash(key.hash())).get().extracting(ApiKey::disabled).isEqualTo(false);
    Guardrail g =
        a.guardrails()
            .put(
                new Guardrail(
                    "g-1",
                    "team",
                    null,
                    new BigDecimal("3"),
                    "daily",
                    false,
                    List.of("acme/*"),
                    null,
                    null,
                    null,
                    false,
                    false,
                    Instant.parse("2026-01-01T00:00:00Z"),
                    null));
    a.guardrails().assign(g.id(), List.of(key.hash()));
    a.keys().update(key.hash(), KeyPatch.empty().withDisabled(true));
    a.credits().add(new BigDecimal("12.5"), "ops", null);
    a.keyLimits().put(key.hash(), new KeyRateLimits(7, null));
    a.budgets()
        .put(
            new BudgetRule(
                "user", "bob", BigDecimal.TEN, null, Instant.parse("2026-01-01T00:00:00Z")));

    assertThat(b.guardrails().forKey(key.hash())).as("b loaded before the change").isEmpty();
    b.refresh();
    assertThat(b.guardrails().forKey(key.hash())).containsExactly(g);
    assertThat(b.keys().findByHash(key.hash())).get().extracting(ApiKey::disabled).isEqualTo(true);
    assertThat(b.credits().totalCredits()).isEqualByComparingTo("12.5");
    assertThat(b.keyLimits().get(key.hash())).isEqualTo(new KeyRateLimits(7, null));
    assertThat(b.budgets().ruleFor("user", "bob")).isPresent();

    a.guardrails().delete(g.id());
    b.refresh();
    assertThat(b.guardrails().forKey(key.hash())).isEmpty();
    assertThat(b.guardrails().list()).isEmpty();
  }

  @Test
  void aRefreshCountsTheOtherNodesChargesAndKeepsThisNodesOwn() throws Exception {
    String hash =
        a.keys().create(NewKey.of(Keys.generateInferenceKey(), "k", KeyKind.INFERENCE)).hash();
    Instant at = Instant.now();
    for (int i = 0; i < 3; i++) {
      a.keys().charge(new UsageCharge(hash, new BigDecimal("0.01"), BigDecimal.ZERO, at, "a-" + i));
    }
    a.durable().toCompletableFuture().get();
    assertThat(b.keys().usage(hash).total()).as("before b's refresh").isEqualByComparingTo("0");

    // b charges without pause while it refreshes: its usage must never step back (a charge of its
    // own still queued when the rows are read is kept on top of them, and never counted twice).
    java.util.concurrent.atomic.AtomicBoolean done =
        new java.util.concurrent.atomic.AtomicBoolean();
    ExecutorService pool = Executors.newFixedThreadPool(2);
    Future<Integer> charges =
        pool.submit(
            () -> {
              int n = 0;
              while (!done.get() && n < 3_000) {
                if (n % 50 == 49) {
                  Thread.sleep(1); // a gateway's pace, not a flood the writer never catches up with
                }
                b.keys()
                    .charge(
                        new UsageCharge(
                            hash, new BigDecimal("0.001"), BigDecimal.ZERO, at, "b-" + n));
                n++;
              }
              return n;
            });
    Future<BigDecimal> lowest =
        pool.submit(
            () -> {
              BigDecimal last = BigDecimal.ZERO;
              while (!done.get()) {
                BigDecimal now = b.keys().usage(hash).total();
                if (now.compareTo(last) < 0) {
                  return now; // stepped back
                }
                last = now;
              }
              return null;
            });
    for (int i = 0; i < 20; i++) {
      b.refresh();
    }
    int n = charges.get(60, java.util.concurrent.TimeUnit.SECONDS);
    done.set(true);
    assertThat(lowest.get()).as("b's usage stepped back during a refresh").isNull();
    pool.shutdown();
    b.durable().toCompletableFuture().get();
    b.refresh();
    BigDecimal expected =
        new BigDecimal("0.03").add(new BigDecimal("0.001").multiply(BigDecimal.valueOf(n)));
    assertThat(b.keys().usage(hash).total()).isEqualByComparingTo(expected);
    java.util.concurrent.CompletableFuture<Void> then =
        new java.util.concurrent.CompletableFuture<>();
    a.refreshSoon(() -> then.complete(null));
    then.get(10, java.util.concurrent.TimeUnit.SECONDS);
    assertThat(a.keys().usage(hash).total()).isEqualByComparingTo(expected);
  }

  @Test
  void aCorrectionReadsTheLedgerOfEveryNodeUnderTheLock() {
    a.credits().add(new BigDecimal("10"), "ops", "node a funds");
    // b loaded its totals before a's funding: the check must read the ledger, not b's memory.
    b.credits().add(new BigDecimal("-4"), "ops", "node b corrects");
    assertThatThrownBy(() -> a.credits().add(new BigDecimal("-7"), "ops", "too much"))
        .isInstanceOf(GatewayException.class)
        .hasMessageContaining("below zero");
    assertThat(b.credits().totalCredits()).isEqualByComparingTo("6");
    assertThat(db.count("SELECT SUM(amount_nanos) FROM credit_ledger")).isEqualTo(6_000_000_000L);
  }

  @Test
  void aRequestsRecordAndChargeAreCommittedTogetherInBatchesOfAnySize() throws Exception {
    // Batches of at most three ops: a request's two writes queued apart would be cut between two
    // commits every other request; queued together (as the settle stage writes them) never.
    try (Storage small =
        Storage.postgres(
            PostgresSettings.of(db.url(), db.user(), null),
            StorageOptions.defaults().withBatching(3, java.time.Duration.ofMillis(1)))) {
      String key = Keys.hash(Keys.generateInferenceKey());
      Instant at = Instant.parse("2026-01-02T03:04:05Z");
      int requests = 1000;
      String orphans =
          "SELECT COUNT(*) FROM generations g WHERE NOT EXISTS"
              + " (SELECT 1 FROM key_usage_ledger l WHERE l.generation_id = g.id)";
      ExecutorService pool = Executors.newSingleThreadExecutor();
      try {
        Future<?> writing =
            pool.submit(
                () -> {
                  for (int i = 0; i < requests; i++) {
                    String id = "gen-together-" + i;
                    small.together(
                        () -> {
                          small.generations().record(Generations.full(id, key, at));
                          small
                              .keys()
                              .charge(new UsageCharge(key, new BigDecimal("0.001"), null, at, id));
                        });
                  }
                });
        long seen = 0;
        int looks = 0;
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(30);
        while (db.count("SELECT COUNT(*) FROM generations") < requests
            && System.nanoTime() < deadline) {
          seen = Math.max(seen, db.count(orphans));
          looks++;
        }
        writing.get();
        small.generations().flush();
        System.out.println("together: " + looks + " looks at the database while it was written");
        assertThat(seen).as("records committed without their charge, at any look").isZero();
      } finally {
        pool.shutdown();
      }
      assertThat(db.count("SELECT COUNT(*) FROM generations")).isEqualTo(requests);
      assertThat(db.count("SELECT COUNT(*) FROM key_usage_ledger")).isEqualTo(requests);
      assertThat(db.count(orphans)).isZero();
    }
  }
}
