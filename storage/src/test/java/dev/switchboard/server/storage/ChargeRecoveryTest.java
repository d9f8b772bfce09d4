package dev.switchboard.server.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Generation records that reached the disk without their charge (what a kill -9 between two commits
 * leaves) are charged at the next open, once; records that have their charge are not charged again.
 */
class ChargeRecoveryTest {

  @TempDir Path dir;

  final MutableClock clock = MutableClock.at("2026-03-04T10:00:00Z");
  final String key = Keys.hash(Keys.generateInferenceKey());

  Storage sqlite() {
    return Storage.sqlite(dir.resolve("data"), StorageOptions.defaults().withClock(clock));
  }

  @Test
  void recordsWithoutTheirChargeAreChargedAtOpenAndOnlyOnce() {
    Instant at = clock.instant();
    try (Storage s = sqlite()) {
      s.budgets().put(new BudgetRule("session", "*", BigDecimal.ONE, null, at));
      // Charged as the settle stage does: the record, then its charge.
      s.generations().record(Generations.full("gen-paid", key, at));
      s.keys().charge(new UsageCharge(key, new BigDecimal("0.000123456"), null, at, "gen-paid"));
      // Written without their charge: the charge was in the batch a kill -9 lost.
      s.generations().record(Generations.full("gen-lost-1", key, at));
      s.generations().record(Generations.minimal("gen-lost-2", key, at));
      GenerationRecord free =
          GenerationRecord.builder("gen-free")
              .keyHash(key)
              .model("simulator/echo")
              .createdAt(at)
              .totalCost(BigDecimal.ZERO)
              .latencyMs(1)
              .build();
      s.generations().record(free);
      assertThat(s.keys().usage(key).total()).isEqualByComparingTo("0.000123456");
    }
    BigDecimal expected =
        new BigDecimal("0.000123456").multiply(BigDecimal.TWO).add(new BigDecimal("0.00001"));
    try (Storage s = sqlite()) {
      assertThat(s.keys().usage(key).total()).isEqualByComparingTo(expected);
      assertThat(s.keys().usage(key).daily()).isEqualByComparingTo(expected);
      assertThat(s.credits().totalUsage()).isEqualByComparingTo(expected);
      // Full records name session sess-1, which the default session rule covers.
      assertThat(s.budgets().spent("session", "sess-1").total())
          .isEqualByComparingTo("0.000123456");
    }
    try (Storage s = sqlite()) {
      assertThat(s.keys().usage(key).total())
          .as("not charged twice")
          .isEqualByComparingTo(expected);
      assertThat(s.budgets().spent("session", "sess-1").total())
          .isEqualByComparingTo("0.000123456");
    }
  }

  @Test
  void chargesFoundAmongManyLaterLedgerRowsAreNotBookedAgain() {
    Instant at = clock.instant();
    String other = Keys.hash(Keys.generateInferenceKey());
    try (Storage s = sqlite()) {
      // A long stream: its record is created at the start, its charge made 30 minutes later.
      s.generations().record(Generations.full("gen-long", key, at));
      clock.advance(java.time.Duration.ofMinutes(30));
      s.keys()
          .charge(new UsageCharge(key, new BigDecimal("0.5"), null, clock.instant(), "gen-long"));
      // Then many requests of another key, each with its charge, and charges without a record.
      for (int i = 0; i < 300; i++) {
        s.generations().record(Generations.full("gen-other-" + i, other, clock.instant()));
        s.keys()
            .charge(
                new UsageCharge(
                    other, new BigDecimal("0.000123456"), null, clock.instant(), "gen-other-" + i));
        s.keys()
            .charge(new UsageCharge(other, new BigDecimal("0.001"), null, clock.instant(), null));
      }
      // The last record's charge was lost.
      s.generations().record(Generations.full("gen-lost", key, clock.instant()));
    }
    try (Storage s = sqlite()) {
      assertThat(s.keys().usage(key).total())
          .as("gen-long once, gen-lost booked at open")
          .isEqualByComparingTo("0.500123456");
      assertThat(s.keys().usage(other).total())
          .isEqualByComparingTo(new BigDecimal("0.001123456").multiply(new BigDecimal(300)));
    }
  }
}
