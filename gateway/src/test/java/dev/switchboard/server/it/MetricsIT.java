package dev.switchboard.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.server.config.ObservabilityConfig;
import dev.switchboard.server.storage.PostgresSettings;
import dev.switchboard.server.storage.Storage;
import dev.switchboard.server.storage.StorageOptions;
import dev.switchboard.simulator.Fault;
import dev.switchboard.testkit.postgres.TestDatabase;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code /metrics} after traffic through the simulator: the counters and histograms moved, with the
 * right labels; on the gateway's port only for a management key, or on a port of its own.
 */
class MetricsIT {

  static final String MODEL = "deepseek/deepseek-chat-v3-0324";
  static final String CHAT =
      "{\"model\":\""
          + MODEL
          + "\",\"provider\":{\"only\":[\"deepseek\"]},"
          + "\"messages\":[{\"role\":\"user\",\"content\":\"count\"}]%s}";

  @TempDir Path dir;

  @Test
  void trafficMovesTheCountersAndHistogramsWithBoundedLabels() throws Exception {
    try (TestGateway gw = TestGateway.start(dir.resolve("data"))) {
      // One upstream 500 first: retried on the same endpoint, then answered.
      gw.simulator().addFault("deepseek", new Fault.Status(500, null, null, 1));
      for (int i = 0; i < 3; i++) {
        assertThat(gw.chat(CHAT.formatted("")).statusCode()).isEqualTo(200);
      }
      HttpResponse<String> streamed = gw.chat(CHAT.formatted(",\"stream\":true"));
      assertThat(streamed.statusCode()).isEqualTo(200);
      // A model the catalog does not know: counted as "other", never under its own name.
      assertThat(gw.chat(CHAT.formatted("").replace(MODEL, "nobody/typo-model")).statusCode())
          .isEqualTo(400);

      assertThat(gw.http.send(metrics(gw, null), HttpResponse.BodyHandlers.ofString()).statusCode())
          .as("no key")
          .isEqualTo(401);
      assertThat(
              gw.http
                  .send(metrics(gw, TestGateway.KEY), HttpResponse.BodyHandlers.ofString())
                  .statusCode())
          .as("an inference key")
          .isEqualTo(403);
      HttpResponse<String> r =
          gw.http.send(metrics(gw, TestGateway.MASTER_KEY), HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.headers().firstValue("content-type").orElse("")).startsWith("text/plain");
      String text = r.body();

      String ok =
          "api=\"openai-chat\",model=\"" + MODEL + "\",provider=\"deepseek\",status=\"200\"";
      assertThat(value(text, "switchboard_requests_total{" + ok + "}")).isEqualTo(4.0);
      assertThat(value(text, "switchboard_request_duration_seconds_count{" + ok + "}"))
          .isEqualTo(4.0);
      assertThat(value(text, "switchboard_request_duration_seconds_sum{" + ok + "}")).isPositive();
      assertThat(
              value(
                  text,
                  "switchboard_request_duration_seconds_bucket{" + ok + ",le=\"120.0\"" + "}"))
          .isEqualTo(4.0);
      assertThat(
              value(
                  text,
                  "switchboard_requests_total{api=\"openai-chat\",model=\"other\","
                      + "provider=\"none\",status=\"400\"}"))
          .isEqualTo(1.0);
      assertThat(text).doesNotContain("typo-model");

      String endpoint = "model=\"" + MODEL + "\",provider=\"deepseek\"";
      assertThat(value(text, "switchboard_time_to_first_token_seconds_count{" + endpoint + "}"))
          .as("the one stream")
          .isEqualTo(1.0);
      assertThat(value(text, "switchboard_tokens_total{" + endpoint + ",type=\"prompt\"}"))
          .isPositive();
      assertThat(value(text, "switchboard_tokens_total{" + endpoint + ",type=\"completion\"}"))
          .isPositive();
      assertThat(value(text, "switchboard_cost_usd_total{" + endpoint + "}")).isPositive();
      assertThat(
              value(
                  text,
                  "switchboard_upstream_failures_total{failure_class=\"upstream_transient\","
                      + "provider=\"deepseek\"}"))
          .isEqualTo(1.0);
      assertThat(value(text, "switchboard_breaker_state{" + endpoint + "}")).isZero();
      assertThat(value(text, "switchboard_requests_in_flight")).isZero();
      assertThat(value(text, "switchboard_streams_open")).isZero();
      assertThat(text)
          .contains("jvm_memory_used_bytes{")
          .contains("jvm_threads_live_threads")
          .contains("jvm_gc_")
          .doesNotContain("key_hash")
          .doesNotContain("gen-");
    }
  }

  @Test
  void theConnectionPoolsOfTheStorageAndTheUpstreamClientAreExported() throws Exception {
    try (TestGateway gw = TestGateway.start(dir.resolve("pools"))) {
      for (int i = 0; i < 3; i++) {
        assertThat(gw.chat(CHAT.formatted("")).statusCode()).isEqualTo(200);
      }
      String text = scrape(gw);
      String sqlite = "pool=\"sqlite-read\"";
      double max = value(text, "switchboard_db_pool_max{" + sqlite + "}");
      assertThat(max).isPositive();
      assertThat(
              value(text, "switchboard_db_pool_connections{" + sqlite + ",state=\"idle\"}")
                  + value(text, "switchboard_db_pool_connections{" + sqlite + ",state=\"active\"}"))
          .as("every read connection idle or lent")
          .isEqualTo(max);
      assertThat(value(text, "switchboard_db_pool_connections{" + sqlite + ",state=\"pending\"}"))
          .isZero();
      // The upstream client kept its connection to the simulator open (keep-alive), in a pool
      // of the configured size per endpoint (64 in the test config), lent to nobody now.
      assertThat(value(text, "switchboard_http_client_connections{client=\"upstream\"}"))
          .isGreaterThanOrEqualTo(1.0);
      List<String> pools =
          text.lines().filter(l -> l.startsWith("switchboard_http_client_pool_max{")).toList();
      assertThat(pools).isNotEmpty();
      assertThat(pools)
          .allSatisfy(
              l ->
                  assertThat(Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)) % 64)
                      .isZero());
      assertThat(text.lines().filter(l -> l.startsWith("switchboard_http_client_pool_in_use{")))
          .isNotEmpty()
          .allSatisfy(l -> assertThat(l).endsWith(" 0.0"));
    }
    try (TestDatabase db = TestDatabase.create();
        TestGateway gw =
            TestGateway.startOn(
                dir.resolve("pools-pg"),
                Storage.postgres(
                    PostgresSettings.of(db.url(), db.user(), null), StorageOptions.defaults()),
                c -> c)) {
      assertThat(gw.chat(CHAT.formatted("")).statusCode()).isEqualTo(200);
      String text = scrape(gw);
      String hikari = "pool=\"switchboard-postgres\"";
      assertThat(value(text, "switchboard_db_pool_max{" + hikari + "}"))
          .isEqualTo((double) PostgresSettings.of(db.url(), db.user(), null).poolSize());
      assertThat(
              value(text, "switchboard_db_pool_connections{" + hikari + ",state=\"idle\"}")
                  + value(text, "switchboard_db_pool_connections{" + hikari + ",state=\"active\"}"))
          .as("HikariCP keeps at least its minimum idle connections open")
          .isGreaterThanOrEqualTo(1.0);
    }
  }

  private static String scrape(TestGateway gw) throws Exception {
    HttpResponse<String> r =
        gw.http.send(metrics(gw, TestGateway.MASTER_KEY), HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(200);
    return r.body();
  }

  @Test
  void onAPortOfItsOwnMetricsNeedNoKeyAndLeaveTheGatewaysPort() throws Exception {
    try (TestGateway gw =
        TestGateway.startWith(
            dir.resolve("own-port"),
            c ->
                c.withObservability(
                    new ObservabilityConfig(
                        new ObservabilityConfig.Metrics(true, "127.0.0.1", 0), Map.of())))) {
      assertThat(gw.chat(CHAT.formatted("")).statusCode()).isEqualTo(200);
      int port = gw.gateway.metricsPort();
      assertThat(port).isPositive().isNotEqualTo(gw.gateway.port());
      HttpResponse<String> r =
          gw.http.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.body()).contains("switchboard_requests_total{");
      assertThat(
              gw.http
                  .send(metrics(gw, TestGateway.MASTER_KEY), HttpResponse.BodyHandlers.ofString())
                  .statusCode())
          .isEqualTo(404);
    }
  }

  private static HttpRequest metrics(TestGateway gw, String key) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gw.gateway.port() + "/metrics"));
    if (key != null) {
      b.header("Authorization", "Bearer " + key);
    }
    return b.build();
  }

  /**
   * The value of the sample {@code series}: a name and, in braces, labels in any order (the
   * exposition orders them its own way).
   */
  static double value(String text, String series) {
    String name = nameOf(series);
    Map<String, String> want = labelsOf(series);
    for (String line : text.split("\n")) {
      if (line.startsWith("#") || !nameOf(line).equals(name)) {
        continue;
      }
      String rest = line.substring(line.lastIndexOf(' ') + 1);
      if (labelsOf(line.substring(0, line.lastIndexOf(' '))).equals(want)) {
        return Double.parseDouble(rest);
      }
    }
    throw new AssertionError("no series " + series + " in:\n" + grep(text, name));
  }

  private static String nameOf(String series) {
    int brace = series.indexOf('{');
    int space = series.indexOf(' ');
    int end = brace >= 0 ? brace : space >= 0 ? space : series.length();
    return series.substring(0, end);
  }

  private static Map<String, String> labelsOf(String series) {
    Map<String, String> labels = new java.util.TreeMap<>();
    int open = series.indexOf('{');
    if (open < 0) {
      return labels;
    }
    String inside = series.substring(open + 1, series.lastIndexOf('}'));
    for (String pair : inside.split(",(?=[a-z_]+=\")")) {
      int eq = pair.indexOf('=');
      labels.put(pair.substring(0, eq), pair.substring(eq + 2, pair.length() - 1));
    }
    return labels;
  }

  private static String grep(String text, String name) {
    StringBuilder out = new StringBuilder();
    for (String line : text.split("\n")) {
      if (line.startsWith(name)) {
        out.append(line).append('\n');
      }
    }
    return out.toString();
  }
}
