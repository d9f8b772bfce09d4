package dev.switchboard.server.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.core.error.GatewayException;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The money-and-limits stores, on SQLite, PostgreSQL and in memory alike (the same contract on
 * each), and what survives a graceful stop: credit ledger rows, guardrails and their assignments,
 * budget rules and spend, key rate limits, and the usage roll-up behind {@code /activity}.
 */
class MoneyStorageTest {

  @TempDir Path dir;

  final MutableClock clock = MutableClock.at("2026-03-04T10:00:00Z");
  final String key = Keys.hash(Keys.generateInferenceKey());
  Backend backend;

  Storage open(String kind) {
    if (backend == null) {
      backend = Backend.of(kind, dir);
    }
    return backend.open(clock);
  }

  @AfterEach
  void dropBackend() {
    if (backend != null) {
      backend.close();
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"sqlite", "postgres"})
  void everythingSurvivesAGracefulStop(String kind) {
    Guardrail g;
    try (Storage s = open(kind)) {
      assertThat(s.credits().totalCredits()).as("never funded: unlimited").isNull();
      s.credits().add(new BigDecimal("25"), "ops (sk-sb-mgmt-v1-abc...123)", "first top-up");
      s.credits().add(new BigDecimal("-5"), "ops", "refund");
      s.keys().charge(new UsageCharge(key, new BigDecimal("1.5"), null, clock.instant(), "gen-1"));
      g = s.guardrails().put(guardrail("team"));
      s.guardrails().assign(g.id(), List.of(key));
      s.budgets().put(new BudgetRule("user", "alice", BigDecimal.ONE, "daily", clock.instant()));
      s.budgets().charge("user", "alice", new BigDecimal("0.25"), null, clock.instant());
      s.keyLimits().put(key, new KeyRateLimits(60, 100_000));
      s.generations().record(Generations.full("gen-1", key, clock.instant()));
    }
    try (Storage s = open(kind)) {
      assertThat(s.credits().totalCredits()).isEqualByComparingTo("20");
      assertThat(s.credits().totalBought()).isEqualByComparingTo("25");
      assertThat(s.credits().totalUsage()).isEqualByComparingTo("1.5");
      List<CreditEntry> ledger = s.credits().ledger(0, 10);
      assertThat(ledger).extracting(CreditEntry::note).containsExactly("refund", "first top-up");
      assertThat(ledger.get(1).actor()).isEqualTo("ops (sk-sb-mgmt-v1-abc...123)");
      assertThat(ledger.get(1).at()).isEqualTo(clock.instant());
      assertThat(s.guardrails().forKey(key)).containsExactly(g);
      assertThat(s.budgets().ruleFor("user", "alice")).isPresent();
      assertThat(s.budgets().spent("user", "alice").daily()).isEqualByComparingTo("0.25");
      assertThat(s.keyLimits().get(key)).isEqualTo(new KeyRateLimits(60, 100_000));
      List<UsageRow> rows =
          s.activity().usage(LocalDate.of(2026, 3, 1), LocalDate.of(2026, 3, 31), key);
      assertThat(rows).hasSize(1);
      assertThat(rows.getFirst().requests()).isEqualTo(1);
      assertThat(rows.getFirst().promptTokens()).isEqualTo(101);
      assertThat(s.activity().app("https://app.example/chat")).isPresent();
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"sqlite", "postgres", "memory"})
  void creditsRefuseZeroAndCorrectionsBelowZero(String kind) {
    {
      try (Storage s = open(kind)) {
        assertThatThrownBy(() -> s.credits().add(BigDecimal.ZERO, "a", null))
            .isInstanceOf(GatewayException.class);
        s.credits().add(BigDecimal.ONE, "a", null);
        assertThatThrownBy(() -> s.credits().add(new BigDecimal("-2"), "a", null))
            .isInstanceOf(GatewayException.class)
            .hasMessageContaining("below zero");
        assertThat(s.credits().totalCredits()).isEqualByComparingTo("1");
      }
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"sqlite", "postgres", "memory"})
  void theRollupAndRankingsAgreeOnEveryBackend(String kind) {
    {
      try (Storage s = open(kind)) {
        Instant day1 = Instant.parse("2026-03-03T23:59:59Z");
        Instant day2 = Instant.parse("2026-03-04T00:00:00Z");
        s.generations().record(Generations.full("a", key, day1));
        s.generations().record(Generations.full("b", key, day2));
        s.generations().record(Generations.full("c", key, day2));
        s.generations().record(Generations.minimal("d", key, day2)); // no provider: not usage
        String other = Keys.hash(Keys.generateInferenceKey());
        s.generations()
            .record(Generations.full("e", other, day2).toBuilder().httpReferer(null).build());
        s.generations().flush();
        LocalDate from = LocalDate.of(2026, 3, 1);
        LocalDate to = LocalDate.of(2026, 3, 31);
        List<UsageRow> mine = s.activity().usage(from, to, key);
        assertThat(mine)
            .extracting(UsageRow::day)
            .containsExactly(LocalDate.of(2026, 3, 4), LocalDate.of(2026, 3, 3));
        assertThat(mine.getFirst().requests()).isEqualTo(2);
        assertThat(mine.getFirst().usage()).isEqualByComparingTo("0.000246912");
        assertThat(mine.getFirst().byokUsage()).isEqualByComparingTo("0.0002");
        assertThat(mine.getFirst().reasoningTokens()).isEqualTo(14);
        assertThat(s.activity().usage(from, to, null).getFirst().requests()).isEqualTo(3);
        List<AppUsageRow> ranks = s.activity().rankings(from, to);
        assertThat(ranks).hasSize(2);
        assertThat(ranks.getFirst().title()).isEqualTo("Example App");
        assertThat(ranks.getFirst().totalTokens()).isEqualTo(2 * (101 + 51));
        assertThat(s.activity().apps()).hasSize(1);
      }
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"sqlite", "postgres", "memory"})
  void guardrailsAssignAndUnassign(String kind) {
    {
      try (Storage s = open(kind)) {
        Guardrail g = s.guardrails().put(guardrail("a"));
        assertThat(s.guardrails().assign(g.id(), List.of(key, key))).isEqualTo(1);
        assertThat(s.guardrails().assign(g.id(), List.of(key))).isZero();
        assertThat(s.guardrails().keys(g.id())).containsExactly(key);
        assertThat(s.guardrails().unassign(g.id(), List.of(key))).isEqualTo(1);
        assertThat(s.guardrails().forKey(key)).isEmpty();
        s.guardrails().assign(g.id(), List.of(key));
        assertThat(s.guardrails().delete(g.id())).isTrue();
        assertThat(s.guardrails().forKey(key)).isEmpty();
        assertThat(s.guardrails().list()).isEmpty();
      }
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"sqlite", "postgres", "memory"})
  void reSavingAGuardrailKeepsItsKeyAssignments(String kind) {
    try (Storage s = open(kind)) {
      Guardrail g = s.guardrails().put(guardrail("team"));
      s.guardrails().assign(g.id(), List.of(key));
      Guardrail renamed =
          new Guardrail(
              g.id(),
              "renamed",
              g.description(),
              new BigDecimal("7.5"),
              g.resetInterval(),
              g.includeByokInBudgets(),
              g.allowedModels(),
              g.ignoredModels(),
              g.allowedProviders(),
              g.ignoredProviders(),
              g.enforceZdr(),
              g.denyDataCollection(),
              g.createdAt(),
              clock.instant());
      s.guardrails().put(renamed);
      assertThat(s.guardrails().keys(g.id())).containsExactly(key);
      assertThat(s.guardrails().forKey(key)).containsExactly(renamed);
    }
    if (backend.persistent()) {
      try (Storage s = open(kind)) {
        assertThat(s.guardrails().keys(s.guardrails().list().getFirst().id()))
            .as("the assignment is still in the database")
            .containsExactly(key);
        assertThat(s.guardrails().list().getFirst().limitUsd()).isEqualByComparingTo("7.5");
      }
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"sqlite", "postgres", "memory"})
  void moneyAndTimesRoundTripExactly(String kind) {
    Instant at = Instant.parse("2026-03-04T10:00:00.123456Z");
    GenerationRecord g =
        Generations.full("gen-exact", key, at).toBuilder()
            .totalCost(new BigDecimal("123456.000000001"))
            .build();
    try (Storage s = open(kind)) {
      s.generations().record(g);
      s.credits().add(new BigDecimal("0.000000001"), "ops", null);
      s.keys().charge(new UsageCharge(key, new BigDecimal("0.123456789"), null, at, "gen-exact"));
      s.generations().flush();
    }
    if (backend.persistent()) {
      try (Storage s = open(kind)) {
        assertThat(s.generations().find("gen-exact")).contains(g);
        assertThat(s.credits().totalCredits()).isEqualTo(new BigDecimal("0.000000001"));
        assertThat(s.keys().usage(key).total()).isEqualTo(new BigDecimal("0.123456789"));
      }
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"sqlite", "postgres"})
  void retentionPrunesOldRecordsAndLedgerRowsButKeepsTheRollups(String kind) {
    Instant old = clock.instant().minus(java.time.Duration.ofDays(40));
    try (Storage s = open(kind)) {
      s.generations().record(Generations.full("gen-old", key, old));
      s.keys().charge(new UsageCharge(key, new BigDecimal("2"), null, old, "gen-old"));
      GenerationRecord fresh = Generations.full("gen-new", key, clock.instant());
      s.generations().record(fresh);
      s.keys().charge(new UsageCharge(key, fresh.totalCost(), null, clock.instant(), "gen-new"));
      s.generations().flush();
    }
    try (Storage s =
        backend.open(StorageOptions.defaults().withClock(clock).withRetentionDays(30))) {
      assertThat(((SqlStorage) s).prune()).as("one record and its ledger row").isEqualTo(2);
      assertThat(((SqlStorage) s).prune()).as("nothing left to prune").isZero();
      assertThat(s.generations().find("gen-old")).isEmpty();
      assertThat(s.generations().find("gen-new")).isPresent();
      assertThat(s.keys().usage(key).total())
          .as("from the daily roll-up")
          .isEqualByComparingTo("2.000123456");
      assertThat(
              s.activity()
                  .usage(
                      old.atZone(java.time.ZoneOffset.UTC).toLocalDate(),
                      old.atZone(java.time.ZoneOffset.UTC).toLocalDate(),
                      key))
          .hasSize(1);
    }
  }

  @Test
  void appsNeedAReferrerAndLocalhostNeedsATitle() {
    assertThat(Apps.referer(null, "Title only")).isNull();
    assertThat(Apps.referer("http://localhost:3000/", null)).isNull();
    assertThat(Apps.referer("http://localhost:3000/", "Dev")).isEqualTo("http://localhost:3000");
    assertThat(Apps.referer("https://App.Example/?utm=x", null)).isEqualTo("https://app.example");
  }

  private Guardrail guardrail(String name) {
    return new Guardrail(
        java.util.UUID.randomUUID().toString(),
        name,
        "d",
        new BigDecimal("5"),
        "weekly",
        true,
        List.of("acme/*"),
        List.of("acme/bad"),
        List.of("alpha"),
        List.of("beta"),
        true,
        true,
        clock.instant(),
        null);
  }
}
