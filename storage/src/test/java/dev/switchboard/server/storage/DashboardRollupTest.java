package dev.switchboard.server.storage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.server.storage.InsightStore.Bucket;
import dev.switchboard.server.storage.InsightStore.Dimension;
import dev.switchboard.server.storage.InsightStore.Overview;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The dashboard's roll-ups (V12) against an aggregation of the generation rows themselves: the
 * overview read from them must be the same, for every split, bucket and window (aligned or not),
 * after the writer's upserts (onto new and existing rows) and after a retention pruned the past.
 */
class DashboardRollupTest {

  static final Instant NOW = Instant.parse("2026-03-20T13:27:41.123456Z");
  static final String[] PROVIDERS = {"OpenAI", "Anthropic", null, "Groq"};
  static final String[] APPS = {null, "https://a.example", "https://b.example"};

  @TempDir Path dir;
  final MutableClock clock = MutableClock.at(NOW.toString());
  Backend backend;

  @AfterEach
  void close() {
    if (backend != null) {
      backend.close();
    }
  }

  /** {@code n} records over the 10 days before NOW: 6 keys, 9 models, some failed, some without. */
  static void fill(Storage s, int n, long seed) {
    SplittableRandom rnd = new SplittableRandom(seed);
    long span = Duration.ofDays(10).toNanos() / 1000;
    for (int i = 0; i < n; i++) {
      boolean failed = rnd.nextInt(10) == 0;
      Instant at = NOW.minusNanos(rnd.nextLong(span) * 1000);
      s.generations()
          .record(
              GenerationRecord.builder("gen-" + seed + "-" + i)
                  .keyHash(Character.toString('a' + rnd.nextInt(6)).repeat(64))
                  .model("v/m" + rnd.nextInt(9))
                  .providerName(PROVIDERS[rnd.nextInt(PROVIDERS.length)])
                  .createdAt(at)
                  .totalCost(BigDecimal.valueOf(rnd.nextInt(100_000), 9))
                  .latencyMs(100 + rnd.nextInt(60))
                  .nativeTokensPrompt(rnd.nextBoolean() ? null : (long) rnd.nextInt(500))
                  .nativeTokensCompletion((long) rnd.nextInt(300))
                  .httpReferer(APPS[rnd.nextInt(APPS.length)])
                  .errorStatus(failed ? 502 : null)
                  .build());
    }
    s.generations().flush();
  }

  static void assertSameAsRows(Storage s, Instant from, Instant to, Bucket bucket) {
    SqlInsights insights = (SqlInsights) s.insights();
    for (Dimension by : Dimension.values()) {
      Overview rolled = insights.overview(from, to, bucket, by);
      Overview raw = insights.overview(from, to, bucket, by, false);
      assertThat(rolled).as(from + " to " + to + " by " + by + " per " + bucket).isEqualTo(raw);
    }
  }

  static void assertSameForManyWindows(Storage s) {
    Instant hour = Instant.ofEpochSecond(NOW.getEpochSecond() / 3600 * 3600);
    Instant day = Instant.ofEpochSecond(NOW.getEpochSecond() / 86_400 * 86_400);
    // The dashboard's own windows: 24 h and 7 days in hours, 30 days in days, aligned.
    assertSameAsRows(
        s, hour.plusSeconds(3600).minus(Duration.ofHours(24)), hour.plusSeconds(3600), Bucket.HOUR);
    assertSameAsRows(
        s, hour.plusSeconds(3600).minus(Duration.ofDays(7)), hour.plusSeconds(3600), Bucket.HOUR);
    assertSameAsRows(
        s,
        day.plus(Duration.ofDays(1)).minus(Duration.ofDays(30)),
        day.plus(Duration.ofDays(1)),
        Bucket.DAY);
    // Windows with ragged edges, shorter than an hour, and across no whole day.
    assertSameAsRows(s, NOW.minus(Duration.ofHours(50)).plusMillis(1234), NOW, Bucket.HOUR);
    assertSameAsRows(s, NOW.minus(Duration.ofHours(50)).plusMillis(1234), NOW, Bucket.DAY);
    assertSameAsRows(
        s, NOW.minus(Duration.ofMinutes(20)), NOW.minus(Duration.ofMinutes(3)), Bucket.HOUR);
    assertSameAsRows(
        s, day.minusSeconds(7200).plusMillis(5), day.plusSeconds(3600).minusMillis(5), Bucket.DAY);
    assertSameAsRows(s, NOW.minus(Duration.ofDays(12)), NOW.plusSeconds(60), Bucket.DAY);
  }

  @ParameterizedTest
  @ValueSource(strings = {"sqlite", "postgres"})
  void theOverviewFromTheRollupsIsTheOverviewFromTheRows(String kind) {
    backend = Backend.of(kind, dir);
    try (Storage s = backend.open(clock)) {
      fill(s, 3000, 1);
      // the same again in small batches: upserts onto existing roll-up rows
      for (int i = 0; i < 10; i++) {
        fill(s, 30, 100 + i);
      }
      assertSameForManyWindows(s);
      assertThat(
              s.insights()
                  .overview(
                      NOW.minus(Duration.ofDays(11)), NOW.plusSeconds(1), Bucket.DAY, Dimension.KEY)
                  .total()
                  .requests())
          .isEqualTo(3300);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"sqlite", "postgres"})
  void aRetentionPrunesTheRollupsOfThePastWithTheirRecords(String kind) {
    backend = Backend.of(kind, dir);
    try (Storage s = backend.open(clock)) {
      fill(s, 2000, 7);
    }
    try (Storage s =
        backend.open(StorageOptions.defaults().withClock(clock).withRetentionDays(4))) {
      assertThat(((SqlStorage) s).prune()).isPositive();
      Instant cutoff = NOW.minus(Duration.ofDays(4));
      Instant nextDay = Instant.ofEpochSecond(cutoff.getEpochSecond() / 86_400 * 86_400 + 86_400);
      // Whole days after the cutoff's day: the same as the rows that are left.
      assertSameAsRows(s, nextDay, NOW.plusSeconds(60), Bucket.DAY);
      assertSameAsRows(s, nextDay, NOW.plusSeconds(60), Bucket.HOUR);
      // Before the cutoff's day: nothing left in either.
      Overview before =
          s.insights()
              .overview(
                  NOW.minus(Duration.ofDays(12)),
                  nextDay.minus(Duration.ofDays(1)),
                  Bucket.DAY,
                  Dimension.MODEL);
      assertThat(before.points()).isEmpty();
      assertThat(before.total().requests()).isZero();
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"sqlite", "postgres"})
  void activityOfEveryKeyIsTheSumOfEachKeysActivity(String kind) {
    backend = Backend.of(kind, dir);
    try (Storage s = backend.open(clock)) {
      fill(s, 3000, 3);
      fill(s, 40, 4);
      LocalDate to = LocalDate.ofInstant(NOW, ZoneOffset.UTC);
      LocalDate from = to.minusDays(12);
      Map<String, UsageRow> summed = new TreeMap<>();
      for (int k = 0; k < 6; k++) {
        String key = Character.toString('a' + k).repeat(64);
        for (UsageRow r : s.activity().usage(from, to, key)) {
          summed.merge(
              r.day() + " " + r.model() + " " + r.providerName(),
              r,
              (x, y) ->
                  new UsageRow(
                      x.day(),
                      x.model(),
                      x.providerName(),
                      x.requests() + y.requests(),
                      x.promptTokens() + y.promptTokens(),
                      x.completionTokens() + y.completionTokens(),
                      x.reasoningTokens() + y.reasoningTokens(),
                      x.usage().add(y.usage()),
                      x.byokUsage().add(y.byokUsage())));
        }
      }
      List<UsageRow> all = s.activity().usage(from, to, null);
      assertThat(all).hasSize(summed.size());
      for (UsageRow r : all) {
        UsageRow expected = summed.get(r.day() + " " + r.model() + " " + r.providerName());
        assertThat(r.requests()).isEqualTo(expected.requests());
        assertThat(r.promptTokens()).isEqualTo(expected.promptTokens());
        assertThat(r.completionTokens()).isEqualTo(expected.completionTokens());
        assertThat(r.usage()).isEqualByComparingTo(expected.usage());
      }
      // Served records only (a record without a provider is not activity).
      assertThat(all.stream().mapToLong(UsageRow::requests).sum())
          .isEqualTo(
              s
                  .insights()
                  .overview(
                      NOW.minus(Duration.ofDays(11)),
                      NOW.plusSeconds(1),
                      Bucket.DAY,
                      Dimension.PROVIDER)
                  .points()
                  .stream()
                  .filter(p -> !p.group().isEmpty())
                  .mapToLong(InsightStore.Point::requests)
                  .sum());
    }
  }

  /** A connection of the test's own to the backend's database, beside the storage's. */
  Connection connect() throws SQLException {
    return backend.kind.equals("postgres")
        ? backend.database().connect()
        : DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("data/switchboard.db"));
  }

  long sqlLong(String sql) throws SQLException {
    try (Connection c = connect();
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  int sqlUpdate(String sql) throws SQLException {
    try (Connection c = connect();
        Statement st = c.createStatement()) {
      return st.executeUpdate(sql);
    }
  }

  /** The overviews of the dashboard's three windows, every split. */
  static List<Overview> dashboardWindows(Storage s) {
    Instant hour = Instant.ofEpochSecond(NOW.getEpochSecond() / 3600 * 3600);
    Instant day = Instant.ofEpochSecond(NOW.getEpochSecond() / 86_400 * 86_400);
    List<Overview> all = new java.util.ArrayList<>();
    for (Dimension by : Dimension.values()) {
      all.add(
          s.insights()
              .overview(
                  hour.plusSeconds(3600).minus(Duration.ofDays(7)),
                  hour.plusSeconds(3600),
                  Bucket.HOUR,
                  by));
      all.add(
          s.insights()
              .overview(
                  day.plus(Duration.ofDays(1)).minus(Duration.ofDays(30)),
                  day.plus(Duration.ofDays(1)),
                  Bucket.DAY,
                  by));
    }
    return all;
  }

  @ParameterizedTest
  @ValueSource(strings = {"sqlite", "postgres"})
  void closedHoursAndDaysArePackedAndReadFromTheirPackedRows(String kind) throws Exception {
    backend = Backend.of(kind, dir);
    try (Storage s = backend.open(clock)) {
      fill(s, 3000, 11);
      // 10 days of records: about 240 closed hours and 10 closed days (the current ones stay open)
      int packed = s.compactDashboard();
      assertThat(packed).isBetween(230, 262);
      assertThat(s.compactDashboard()).as("nothing left to pack").isZero();
      assertSameForManyWindows(s);
      List<Overview> before = dashboardWindows(s);
      // The packed periods' histogram rows gone: the overviews cannot change, so they come from the
      // packed rows (the open hour and day still have theirs).
      long hour = NOW.getEpochSecond() / 3600 * 3600 * 1_000_000L;
      long day = NOW.getEpochSecond() / 86_400 * 86_400 * 1_000_000L;
      assertThat(
              sqlUpdate(
                  "DELETE FROM dashboard_latency WHERE (period_us = 3600000000 AND start_us < "
                      + hour
                      + ") OR (period_us = 86400000000 AND start_us < "
                      + day
                      + ")"))
          .isPositive();
      assertThat(dashboardWindows(s)).isEqualTo(before);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"sqlite", "postgres"})
  void aRecordWrittenLateIntoAPackedHourIsCountedAndPackedAgain(String kind) {
    backend = Backend.of(kind, dir);
    try (Storage s = backend.open(clock)) {
      fill(s, 2000, 21);
      assertThat(s.compactDashboard()).isPositive();
      // late records into closed, packed hours and days (a writer that was behind, another node)
      for (int i = 0; i < 5; i++) {
        s.generations()
            .record(
                GenerationRecord.builder("late-" + i)
                    .keyHash("f".repeat(64))
                    .model("v/late")
                    .createdAt(NOW.minus(Duration.ofHours(30 + 17 * i)))
                    .totalCost(BigDecimal.ONE)
                    .latencyMs(7_000 + i)
                    .errorStatus(i == 0 ? 500 : null)
                    .build());
      }
      s.generations().flush();
      assertSameForManyWindows(s); // the stale packed rows are not used
      assertThat(s.compactDashboard()).as("5 hours and up to 5 days packed again").isBetween(6, 10);
      assertSameForManyWindows(s);
      Overview week =
          s.insights().overview(NOW.minus(Duration.ofDays(7)), NOW, Bucket.HOUR, Dimension.MODEL);
      assertThat(week.points()).anyMatch(p -> p.group().equals("v/late"));
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"sqlite", "postgres"})
  void aPackedRowThatDisagreesWithTheRollupIsNotUsed(String kind) throws Exception {
    backend = Backend.of(kind, dir);
    try (Storage s = backend.open(clock)) {
      fill(s, 1500, 31);
      assertThat(s.compactDashboard()).isPositive();
      List<Overview> before = dashboardWindows(s);
      // one packed hour claims a histogram of one request at 1 ms: its totals differ from the
      // roll-up's, so the overview reads that hour's rows
      long start =
          sqlLong(
              "SELECT MIN(start_us) FROM dashboard_latency_packed WHERE period_us = 3600000000");
      assertThat(
              sqlUpdate(
                  "UPDATE dashboard_latency_packed SET requests = 1, errors = 0, histogram = "
                      + (kind.equals("postgres") ? "'\\x010101'::bytea" : "X'010101'")
                      + " WHERE period_us = 3600000000 AND start_us = "
                      + start))
          .isEqualTo(1);
      assertThat(dashboardWindows(s)).isEqualTo(before);
      assertSameForManyWindows(s);
      // and the next compaction replaces it: the real histogram has more requests
      assertThat(s.compactDashboard()).isEqualTo(1);
      assertThat(
              sqlLong(
                  "SELECT requests FROM dashboard_latency_packed WHERE period_us = 3600000000"
                      + " AND start_us = "
                      + start))
          .isGreaterThan(1);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"sqlite", "postgres"})
  void twoCompactionsAtOnceLeaveOneRowPerPeriod(String kind) throws Exception {
    backend = Backend.of(kind, dir);
    try (Storage a = backend.open(clock)) {
      fill(a, 2000, 41);
      // on PostgreSQL a second storage is a second node on the same database
      Storage b = kind.equals("postgres") ? backend.open(clock) : a;
      try {
        CompletableFuture<Integer> x = CompletableFuture.supplyAsync(a::compactDashboard);
        CompletableFuture<Integer> y = CompletableFuture.supplyAsync(b::compactDashboard);
        assertThat(x.get() + y.get()).isGreaterThanOrEqualTo(230);
      } finally {
        if (b != a) {
          b.close();
        }
      }
      assertThat(sqlLong("SELECT COUNT(*) FROM dashboard_latency_packed"))
          .isEqualTo(
              sqlLong(
                      "SELECT COUNT(*) FROM (SELECT DISTINCT period_us, start_us FROM dashboard_latency) p")
                  - 2); // the open hour and the open day
      assertThat(a.compactDashboard()).isZero();
      assertSameForManyWindows(a);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"sqlite", "postgres"})
  void aRetentionPrunesThePackedRowsOfThePast(String kind) throws Exception {
    backend = Backend.of(kind, dir);
    try (Storage s = backend.open(clock)) {
      fill(s, 2000, 51);
      assertThat(s.compactDashboard()).isPositive();
    }
    try (Storage s =
        backend.open(StorageOptions.defaults().withClock(clock).withRetentionDays(4))) {
      assertThat(((SqlStorage) s).prune()).isPositive();
      long cutoff = NOW.minus(Duration.ofDays(4)).getEpochSecond() * 1_000_000L;
      assertThat(
              sqlLong(
                  "SELECT COUNT(*) FROM dashboard_latency_packed WHERE start_us + period_us <= "
                      + cutoff))
          .isZero();
      assertThat(sqlLong("SELECT COUNT(*) FROM dashboard_latency_packed")).isPositive();
      Instant nextDay =
          Instant.ofEpochSecond(
              NOW.minus(Duration.ofDays(4)).getEpochSecond() / 86_400 * 86_400 + 86_400);
      assertSameAsRows(s, nextDay, NOW.plusSeconds(60), Bucket.DAY);
      assertSameAsRows(s, nextDay, NOW.plusSeconds(60), Bucket.HOUR);
    }
  }
}
