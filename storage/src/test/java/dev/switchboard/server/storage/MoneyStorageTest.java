package dev.switchboard.server.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.core.error.GatewayException;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The money-and-limits stores, on SQLite and in memory alike, and what survives a graceful stop:
 * credit ledger rows, guardrails and their assignments, budget rules and spend, key rate limits,
 * and the usage roll-up behind {@code /activity}.
 */
class MoneyStorageTest {

  @TempDir Path dir;

  final MutableClock clock = MutableClock.at("2026-03-04T10:00:00Z");
  final String key = Keys.hash(Keys.generateInferenceKey());

  Storage sqlite() {
    return Storage.sqlite(dir.resolve("data"), StorageOptions.defaults().withClock(clock));
  }

  @Test
  void everythingSurvivesAGracefulStop() {
    Guardrail g;
    try (Storage s = sqlite()) {
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
    try (Storage s = sqlite()) {
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

  @Test
  void creditsRefuseZeroAndCorrectionsBelowZero() {
    for (Supplier<Storage> open :
        List.<Supplier<Storage>>of(this::sqlite, () -> Storage.inMemory(clock))) {
      try (Storage s = open.get()) {
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

  @Test
  void theRollupAndRankingsAgreeOnSqliteAndInMemory() {
    for (Supplier<Storage> open :
        List.<Supplier<Storage>>of(this::sqlite, () -> Storage.inMemory(clock))) {
      try (Storage s = open.get()) {
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

  @Test
  void guardrailsAssignAndUnassign() {
    for (Supplier<Storage> open :
        List.<Supplier<Storage>>of(this::sqlite, () -> Storage.inMemory(clock))) {
      try (Storage s = open.get()) {
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
