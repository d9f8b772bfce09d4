package dev.switchboard.server.storage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.server.storage.InsightStore.Bucket;
import dev.switchboard.server.storage.InsightStore.Cursor;
import dev.switchboard.server.storage.InsightStore.Dimension;
import dev.switchboard.server.storage.InsightStore.Filter;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The dashboard's aggregates and log, the same on SQLite (V6 indexes) and in memory. */
class InsightStoreTest {

  static final String KEY_A = "a".repeat(64);
  static final String KEY_B = "b".repeat(64);
  static final Instant HOUR = Instant.parse("2026-03-01T10:00:00Z");

  @TempDir Path dir;
  Storage storage;

  static Stream<String> kinds() {
    return Stream.of("sqlite", "memory");
  }

  Storage open(String kind) {
    storage = kind.equals("sqlite") ? Storage.sqlite(dir) : Storage.inMemory();
    return storage;
  }

  @AfterEach
  void close() {
    if (storage != null) {
      storage.close();
    }
  }

  static GenerationRecord gen(
      String id,
      String key,
      String model,
      String provider,
      Instant at,
      long latency,
      String cost,
      Integer error) {
    return GenerationRecord.builder(id)
        .keyHash(key)
        .model(model)
        .providerName(provider)
        .createdAt(at)
        .totalCost(new BigDecimal(cost))
        .latencyMs(latency)
        .nativeTokensPrompt(10L)
        .nativeTokensCompletion(5L)
        .httpReferer(key.equals(KEY_A) ? "https://app.example" : null)
        .errorStatus(error)
        .errorMessage(error == null ? null : "upstream failed")
        .routingTrace("{\"summary\":\"served by " + provider + "\"}")
        .build();
  }

  /**
   * Ten records in hour 10 (latencies 10..100 ms, one failed), two in hour 11, one the day before.
   */
  void fill(Storage s) {
    for (int i = 1; i <= 10; i++) {
      s.generations()
          .record(
              gen(
                  "g" + i,
                  i <= 6 ? KEY_A : KEY_B,
                  i % 2 == 0 ? "m/even" : "m/odd",
                  "P1",
                  HOUR.plusSeconds(i * 60),
                  i * 10L,
                  "0.001",
                  i == 10 ? 503 : null));
    }
    s.generations()
        .record(gen("h1", KEY_A, "m/odd", "P2", HOUR.plusSeconds(3600 + 5), 500, "0.01", null));
    s.generations()
        .record(gen("h2", KEY_A, "m/odd", "P2", HOUR.plusSeconds(3600 + 5), 700, "0.02", null));
    s.generations()
        .record(gen("old", KEY_A, "m/odd", "P1", HOUR.minusSeconds(86_400), 1, "5", null));
    s.generations().flush();
  }

  @ParameterizedTest
  @MethodSource("kinds")
  void overviewSumsSpendTokensRequestsAndErrorsPerHourAndGroup(String kind) {
    Storage s = open(kind);
    fill(s);
    InsightStore.Overview o =
        s.insights().overview(HOUR, HOUR.plusSeconds(7200), Bucket.HOUR, Dimension.MODEL);
    assertThat(o.points())
        .extracting(
            p ->
                p.start()
                    + " "
                    + p.group()
                    + " "
                    + p.requests()
                    + " "
                    + p.errors()
                    + " "
                    + p.cost().toPlainString())
        .containsExactlyInAnyOrder(
            HOUR + " m/even 5 1 0.005000000",
            HOUR + " m/odd 5 0 0.005000000",
            HOUR.plusSeconds(3600) + " m/odd 2 0 0.030000000");
    assertThat(o.total().requests()).isEqualTo(12);
    assertThat(o.total().errors()).isEqualTo(1);
    assertThat(o.cost()).isEqualByComparingTo("0.04");
    assertThat(o.tokens()).isEqualTo(12 * 15);
    // Nearest rank over 10,20,...,100,500,700: p50 is the 6th value, p95 the 12th.
    assertThat(o.total().p50Ms()).isEqualTo(60);
    assertThat(o.total().p95Ms()).isEqualTo(700);
    assertThat(o.latency()).hasSize(2);
    assertThat(o.latency().get(0).p50Ms()).isEqualTo(50);
    assertThat(o.latency().get(0).p95Ms()).isEqualTo(100);
    assertThat(o.latency().get(0).errors()).isEqualTo(1);
    assertThat(o.latency().get(1).p50Ms()).isEqualTo(500);

    InsightStore.Overview byKey =
        s.insights().overview(HOUR, HOUR.plusSeconds(7200), Bucket.DAY, Dimension.KEY);
    assertThat(byKey.points())
        .extracting(p -> p.group() + " " + p.requests())
        .containsExactlyInAnyOrder(KEY_A + " 8", KEY_B + " 4");
    assertThat(byKey.points().get(0).start()).isEqualTo(Instant.parse("2026-03-01T00:00:00Z"));
    assertThat(
            s.insights().overview(HOUR, HOUR.plusSeconds(7200), Bucket.DAY, Dimension.APP).points())
        .extracting(p -> p.group() + " " + p.requests())
        .containsExactlyInAnyOrder("https://app.example 8", " 4");
  }

  @ParameterizedTest
  @MethodSource("kinds")
  void anEmptyWindowHasNoPercentiles(String kind) {
    Storage s = open(kind);
    InsightStore.Overview o =
        s.insights().overview(HOUR, HOUR.plusSeconds(60), Bucket.HOUR, Dimension.PROVIDER);
    assertThat(o.points()).isEmpty();
    assertThat(o.total().p50Ms()).isNull();
    assertThat(o.cost()).isZero();
  }

  @ParameterizedTest
  @MethodSource("kinds")
  void theLogFiltersAndPagesNewestFirstWithoutGapsOrRepeats(String kind) {
    Storage s = open(kind);
    fill(s);
    List<String> ids = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    Cursor cursor = null;
    do {
      InsightStore.Page page = s.insights().generations(Filter.NONE, cursor, 4);
      for (InsightStore.Summary r : page.rows()) {
        assertThat(seen.add(r.id())).isTrue();
        ids.add(r.id());
      }
      cursor = page.next() == null ? null : Cursor.parse(page.next().toString());
    } while (cursor != null);
    // h1 and h2 share a timestamp: the id breaks the tie.
    assertThat(ids)
        .containsExactly(
            "h2", "h1", "g10", "g9", "g8", "g7", "g6", "g5", "g4", "g3", "g2", "g1", "old");

    assertThat(ids(s, new Filter(KEY_B, null, null, null, null, null)))
        .containsExactly("g10", "g9", "g8", "g7");
    assertThat(ids(s, new Filter(null, "m/even", null, null, null, null)))
        .containsExactly("g10", "g8", "g6", "g4", "g2");
    assertThat(ids(s, new Filter(null, null, "P2", null, null, null))).containsExactly("h2", "h1");
    assertThat(ids(s, new Filter(null, null, null, true, null, null))).containsExactly("g10");
    assertThat(ids(s, new Filter(null, null, null, false, HOUR, HOUR.plusSeconds(180))))
        .containsExactly("g2", "g1");
    InsightStore.Summary failed =
        s.insights()
            .generations(new Filter(null, null, null, true, null, null), null, 1)
            .rows()
            .get(0);
    assertThat(failed.errorStatus()).isEqualTo(503);
    assertThat(failed.cost()).isEqualByComparingTo("0.001");
    assertThat(failed.promptTokens()).isEqualTo(10);
  }

  @ParameterizedTest
  @MethodSource("kinds")
  void theRoutingTraceIsKeptWithTheRecord(String kind) {
    Storage s = open(kind);
    fill(s);
    assertThat(s.generations().find("h1").orElseThrow().routingTrace()).contains("served by P2");
  }

  static List<String> ids(Storage s, Filter f) {
    return s.insights().generations(f, null, 100).rows().stream()
        .map(InsightStore.Summary::id)
        .toList();
  }
}
