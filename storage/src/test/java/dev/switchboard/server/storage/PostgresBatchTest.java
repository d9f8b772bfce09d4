package dev.switchboard.server.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * PostgreSQL writes a batch in one statement ({@link PostgresBatch}), which folds the upserts of a
 * batch per conflict key; SQLite sends one upsert per row. The same batch (apps seen several times
 * with and without a title, budget charges on one subject and day, charges on two keys) leaves the
 * same apps, usage, key usage and budget spend on both.
 */
class PostgresBatchTest {

  @TempDir Path dir;

  private static final Instant T0 = Instant.parse("2026-03-04T10:00:00Z");

  @Test
  void oneBatchWithRepeatedKeysLeavesWhatSqliteLeaves() {
    assertThat(written("postgres")).isEqualTo(written("sqlite"));
  }

  @Test
  void aDuplicateRecordIsRefusedAloneAndTheRestOfItsBatchIsWritten() {
    try (Backend backend = Backend.of("postgres", dir.resolve("dup"));
        Storage storage = backend.open(batchedOptions())) {
      String key = Keys.hash("sk-sb-v1-batch-dup");
      storage.generations().record(Generations.full("gen-dup", key, T0));
      storage.generations().flush();
      storage.generations().record(Generations.full("gen-dup", key, T0.plusSeconds(1)));
      storage.generations().record(Generations.full("gen-after", key, T0.plusSeconds(2)));
      storage.generations().flush();
      assertThat(storage.generations().find("gen-after")).isPresent();
      assertThat(storage.generations().find("gen-dup").orElseThrow().createdAt()).isEqualTo(T0);
      assertThat(storage.stats().failed()).isEqualTo(1);
    }
  }

  private static StorageOptions batchedOptions() {
    return StorageOptions.defaults().withBatching(500, Duration.ofSeconds(2));
  }

  private List<Object> written(String kind) {
    List<Object> seen = new ArrayList<>();
    String[] keys = {Keys.hash("sk-sb-v1-batch-a"), Keys.hash("sk-sb-v1-batch-b")};
    String[] referers = {"https://b.example/", "https://a.example/", null};
    try (Backend backend = Backend.of(kind, dir.resolve(kind))) {
      try (Storage storage = backend.open(batchedOptions())) {
        storage.budgets().put(new BudgetRule("user", "alice", new BigDecimal("100"), "daily", T0));
        for (int i = 0; i < 30; i++) {
          String key = keys[i % 2];
          Instant at = T0.plusSeconds(i * 7L);
          GenerationRecord g =
              Generations.full("gen-batch-" + i, key, at).toBuilder()
                  .httpReferer(referers[i % 3])
                  .appTitle(i % 4 == 0 ? null : "Title " + i)
                  .model(i % 5 == 0 ? "openai/gpt-4.1" : "openai/gpt-4.1-mini")
                  .build();
          storage.generations().record(g);
          storage
              .keys()
              .charge(
                  new UsageCharge(key, new BigDecimal("0.0001" + i), BigDecimal.ZERO, at, g.id()));
          storage.budgets().charge("user", "alice", new BigDecimal("0.002"), BigDecimal.ZERO, at);
        }
        storage.generations().flush();
        assertThat(storage.stats().batches()).isLessThanOrEqualTo(2);
      }
      try (Storage storage = backend.open(batchedOptions())) {
        storage.activity().apps().stream()
            .map(a -> List.of(a.referer(), String.valueOf(a.title()), a.firstSeen(), a.lastSeen()))
            .sorted((x, y) -> x.get(0).toString().compareTo(y.get(0).toString()))
            .forEach(seen::add);
        LocalDate day = LocalDate.of(2026, 3, 4);
        seen.add(storage.activity().usage(day, day, null));
        seen.add(storage.activity().usage(day, day, keys[0]));
        // App ids are the order the apps were inserted in: first seen on SQLite, by referer on
        // PostgreSQL (its upserts are sorted by key); what they name is the same.
        seen.add(
            storage.activity().rankings(day, day).stream()
                .map(r -> List.of(r.referer(), String.valueOf(r.title()), r.model(), r.requests()))
                .sorted((x, y) -> x.toString().compareTo(y.toString()))
                .toList());
        for (String key : keys) {
          seen.add(storage.keys().usage(key));
        }
        seen.add(storage.budgets().spent("user", "alice"));
      }
    }
    return seen;
  }
}
