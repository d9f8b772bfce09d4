package dev.switchboard.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.api.json.ApiJson;
import dev.switchboard.server.cluster.PrivateRedis;
import dev.switchboard.server.config.ClusterConfig;
import dev.switchboard.server.config.GatewayConfig;
import dev.switchboard.server.config.LimitsConfig;
import dev.switchboard.server.storage.KeyKind;
import dev.switchboard.server.storage.KeyPatch;
import dev.switchboard.server.storage.Keys;
import dev.switchboard.server.storage.NewKey;
import dev.switchboard.server.storage.Storage;
import dev.switchboard.server.storage.Usd;
import dev.switchboard.simulator.Latency;
import java.math.BigDecimal;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two gateway nodes in one process sharing a Redis of the test's own (each node its own SQLite
 * folder and its own simulator, so nothing but Redis is shared): a key's limit holds across both
 * under load spread over them; a rate limit holds across both; with one storage shared, a key
 * disabled on one node is refused on the other within a second; Redis down refuses requests that a
 * limit applies to with a 503 naming Redis, serves the others, shows in {@code /health/ready}, and
 * the node recovers when Redis returns. Without Redis each node would allow the whole limit: twice
 * the spend, twice the requests.
 */
class SharedRedisIT {

  static final String M = TestGateway.MASTER_KEY;
  static final BigDecimal LIMIT = new BigDecimal("0.004");
  static final String MODEL = "deepseek/deepseek-chat-v3-0324";

  private static PrivateRedis redis;
  @TempDir Path dir;
  private String prefix;

  @BeforeAll
  static void startRedis() {
    redis = PrivateRedis.start();
  }

  @AfterAll
  static void stopRedis() {
    redis.close();
  }

  @BeforeEach
  void fresh() {
    redis.restart();
    prefix = "it" + UUID.randomUUID().toString().substring(0, 8) + ":";
  }

  private UnaryOperator<GatewayConfig> clustered(LimitsConfig limits) {
    return c ->
        c.withCluster(new ClusterConfig(ClusterConfig.Redis.at(redis.url()).withKeyPrefix(prefix)))
            .withLimits(limits)
            .withUpstream(new GatewayConfig.UpstreamConfig(10_000, 30_000, 30_000, 512));
  }

  /** The same inference key on a node's own storage, with {@code limit}. */
  private static void sameKey(TestGateway node, String plaintext, BigDecimal limit) {
    Storage s = node.gateway.services().storage();
    s.keys().create(NewKey.of(plaintext, "shared", KeyKind.INFERENCE));
    if (limit != null) {
      s.keys().update(Keys.hash(plaintext), KeyPatch.empty().withLimit(limit));
    }
  }

  private static String chat(int maxTokens, int n) {
    return "{\"model\":\""
        + MODEL
        + "\",\"max_tokens\":"
        + maxTokens
        + ",\"provider\":{\"only\":[\"together\",\"fireworks\"]}"
        + ",\"messages\":[{\"role\":\"user\",\"content\":\"request "
        + n
        + " of the shared limit\"}]}";
  }

  @Test
  void aKeysLimitHoldsAcrossTwoNodesUnderLoadSpreadOverBoth() throws Exception {
    String key = "sk-sb-v1-shared-" + UUID.randomUUID();
    try (TestGateway a = TestGateway.startWith(dir.resolve("a"), clustered(LimitsConfig.DEFAULT));
        TestGateway b = TestGateway.startWith(dir.resolve("b"), clustered(LimitsConfig.DEFAULT))) {
      for (TestGateway node : List.of(a, b)) {
        sameKey(node, key, LIMIT);
        for (String p : List.of("together", "fireworks")) {
          node.simulator().setLatency(p, Latency.of(5, 150));
        }
      }
      AtomicInteger answered = new AtomicInteger();
      AtomicInteger refused = new AtomicInteger();
      AtomicInteger next = new AtomicInteger();
      List<Future<?>> clients = new ArrayList<>();
      try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
        for (int c = 0; c < 60; c++) {
          clients.add(
              pool.submit(
                  () -> {
                    for (int n; (n = next.getAndIncrement()) < 200; ) {
                      TestGateway node = n % 2 == 0 ? a : b;
                      for (int tries = 0; tries < 100; tries++) {
                        HttpResponse<String> r =
                            node.post(
                                "/chat/completions", chat(5 + n % 40, n), key, "application/json");
                        if (r.statusCode() == 402 && r.body().contains("in_flight_budget")) {
                          Thread.sleep(30);
                          continue;
                        }
                        (r.statusCode() == 200 ? answered : refused).incrementAndGet();
                        break;
                      }
                    }
                    return null;
                  }));
        }
        for (Future<?> f : clients) {
          f.get(120, TimeUnit.SECONDS);
        }
      }
      String hash = Keys.hash(key);
      BigDecimal usageA = usage(a, key);
      BigDecimal usageB = usage(b, key);
      a.gateway.services().storage().generations().flush();
      b.gateway.services().storage().generations().flush();
      BigDecimal records = records(dir.resolve("a"), hash).add(records(dir.resolve("b"), hash));
      String what = "answered " + answered + ", refused " + refused;
      assertThat(usageA.signum()).as("node A served some, " + what).isPositive();
      assertThat(usageB.signum()).as("node B served some, " + what).isPositive();
      assertThat(usageA.add(usageB))
          .as("spend across both nodes, " + what)
          .isLessThanOrEqualTo(LIMIT);
      assertThat(usageA.add(usageB)).as("usage vs records").isEqualByComparingTo(records);
      assertThat(refused.get()).as(what).isPositive();
    }
  }

  @Test
  void aRateLimitHoldsAcrossBothNodes() throws Exception {
    LimitsConfig tenPerMinute = new LimitsConfig(10, 0, LimitsConfig.FreeModels.DEFAULT, 1);
    String key = "sk-sb-v1-rpm-" + UUID.randomUUID();
    try (TestGateway a = TestGateway.startWith(dir.resolve("a"), clustered(tenPerMinute));
        TestGateway b = TestGateway.startWith(dir.resolve("b"), clustered(tenPerMinute))) {
      sameKey(a, key, null);
      sameKey(b, key, null);
      int ok = 0;
      HttpResponse<String> limited = null;
      for (int n = 0; n < 24; n++) {
        HttpResponse<String> r =
            (n % 2 == 0 ? a : b).post("/chat/completions", chat(5, n), key, "application/json");
        if (r.statusCode() == 200) {
          ok++;
        } else {
          assertThat(r.statusCode()).as(r.body()).isEqualTo(429);
          limited = r;
        }
      }
      // Ten a minute between both nodes (one more may refill while the test runs).
      assertThat(ok).isBetween(10, 11);
      assertThat(limited.headers().firstValue("X-RateLimit-Limit")).contains("10");
      assertThat(limited.headers().firstValue("Retry-After")).isPresent();
      assertThat(
              ApiJson.tree(limited.body())
                  .path("error")
                  .path("metadata")
                  .path("limit_source")
                  .asText())
          .isEqualTo("key_requests_per_minute");
    }
  }

  @Test
  void aKeyDisabledOnOneNodeIsRefusedOnTheOtherWithinASecond() throws Exception {
    Storage shared = Storage.sqlite(dir.resolve("shared"));
    try (TestGateway a =
            TestGateway.startOn(dir.resolve("shared"), shared, clustered(LimitsConfig.DEFAULT));
        TestGateway b =
            TestGateway.startOn(dir.resolve("shared"), shared, clustered(LimitsConfig.DEFAULT))) {
      JsonNode created = ApiJson.tree(a.send("POST", "/keys", "{\"name\":\"soon off\"}", M).body());
      String key = created.path("key").asText();
      String hash = created.path("data").path("hash").asText();
      assertThat(b.post("/chat/completions", chat(5, 1), key, "application/json").statusCode())
          .isEqualTo(200); // node B now has the key in its cache
      HttpResponse<String> off = a.send("PATCH", "/keys/" + hash, "{\"disabled\":true}", M);
      assertThat(off.statusCode()).as(off.body()).isEqualTo(200);
      long disabledAt = System.nanoTime();
      int status = 200;
      while (status == 200 && System.nanoTime() - disabledAt < TimeUnit.SECONDS.toNanos(3)) {
        status = b.post("/chat/completions", chat(5, 2), key, "application/json").statusCode();
      }
      long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - disabledAt);
      assertThat(status).isEqualTo(401);
      assertThat(tookMs).as("refused on node B after " + tookMs + " ms").isLessThan(1_000);
    }
  }

  @Test
  void endpointStatsOnOneNodeReflectFailuresSeenByTheOther() throws Exception {
    try (TestGateway a = TestGateway.startWith(dir.resolve("a"), clustered(LimitsConfig.DEFAULT));
        TestGateway b = TestGateway.startWith(dir.resolve("b"), clustered(LimitsConfig.DEFAULT))) {
      a.simulator()
          .addFault("together", new dev.switchboard.simulator.Fault.Status(500, null, null, 50));
      String onlyTogether =
          "{\"model\":\""
              + MODEL
              + "\",\"max_tokens\":5,\"provider\":{\"only\":[\"together\"]},"
              + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
      for (int n = 0; n < 6; n++) {
        assertThat(a.chat(onlyTogether).statusCode()).isGreaterThanOrEqualTo(500);
      }
      assertThat(endpoint(a, "together").path("breaker").asText()).isEqualTo("open");
      // Node B served nothing of it, yet within two publish periods it sees A's failures.
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
      JsonNode seen = endpoint(b, "together");
      while (!"open".equals(seen.path("breaker").asText()) && System.nanoTime() < deadline) {
        Thread.sleep(100);
        seen = endpoint(b, "together");
      }
      assertThat(seen.path("breaker").asText()).as(seen.toString()).isEqualTo("open");
      assertThat(seen.path("uptime_last_5m").asDouble()).as(seen.toString()).isEqualTo(0.0);
      assertThat(endpoint(b, "fireworks").path("breaker").asText()).isEqualTo("closed");
      // And B's router keeps away from it: a request that prefers Together is served by
      // Fireworks, although B's own upstream for Together is healthy.
      HttpResponse<String> moved =
          b.chat(
              "{\"model\":\""
                  + MODEL
                  + "\",\"max_tokens\":5,\"provider\":{\"order\":[\"together\",\"fireworks\"],"
                  + "\"only\":[\"together\",\"fireworks\"]},"
                  + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
      assertThat(moved.statusCode()).as(moved.body()).isEqualTo(200);
      assertThat(ApiJson.tree(moved.body()).path("provider").asText()).isEqualTo("Fireworks");
      assertThat(b.simulator().requests("together")).isEmpty();
    }
  }

  private static JsonNode endpoint(TestGateway node, String provider) throws Exception {
    HttpResponse<String> r = node.get("/routing/endpoints", M);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    for (JsonNode e : ApiJson.tree(r.body()).path("data")) {
      if (e.path("model").asText().equals(MODEL) && e.path("provider").asText().equals(provider)) {
        return e;
      }
    }
    throw new AssertionError("no endpoint " + MODEL + " on " + provider + " in " + r.body());
  }

  @Test
  void redisDownFailsClosedForLimitedRequestsOnlyAndTheNodeRecovers() throws Exception {
    String limited = "sk-sb-v1-limited-" + UUID.randomUUID();
    try (TestGateway a = TestGateway.startWith(dir.resolve("a"), clustered(LimitsConfig.DEFAULT))) {
      sameKey(a, limited, new BigDecimal("5"));
      String unlimited = TestGateway.KEY; // the demo key: no limit, no rate limit
      assertThat(a.post("/chat/completions", chat(5, 1), limited, "application/json").statusCode())
          .isEqualTo(200);
      assertThat(ApiJson.tree(ready(a).body()).path("redis").asText()).isEqualTo("up");

      redis.kill();
      HttpResponse<String> refused =
          a.post("/chat/completions", chat(5, 2), limited, "application/json");
      assertThat(refused.statusCode()).as(refused.body()).isEqualTo(503);
      JsonNode error = ApiJson.tree(refused.body()).path("error");
      assertThat(error.path("message").asText()).contains("Redis");
      assertThat(error.path("metadata").path("unavailable").asText()).isEqualTo("redis");
      assertThat(refused.headers().firstValue("Retry-After")).contains("1");
      assertThat(
              a.post("/chat/completions", chat(5, 3), unlimited, "application/json").statusCode())
          .as("a request that no limit applies to is served")
          .isEqualTo(200);
      HttpResponse<String> ready = ready(a);
      assertThat(ready.statusCode()).isEqualTo(200);
      assertThat(ApiJson.tree(ready.body()).path("redis").asText()).isEqualTo("down");

      redis.restart();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      int status = 503;
      while (status == 503 && System.nanoTime() < deadline) {
        Thread.sleep(100);
        status = a.post("/chat/completions", chat(5, 4), limited, "application/json").statusCode();
      }
      assertThat(status).as("served again once Redis is back").isEqualTo(200);
      assertThat(ApiJson.tree(ready(a).body()).path("redis").asText()).isEqualTo("up");
    }
  }

  private static HttpResponse<String> ready(TestGateway node) throws Exception {
    java.net.URI base = java.net.URI.create(node.base());
    return node.http.send(
        java.net.http.HttpRequest.newBuilder(base.resolve("/health/ready")).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static BigDecimal usage(TestGateway node, String key) throws Exception {
    HttpResponse<String> r = node.get("/key", key);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return ApiJson.tree(r.body()).path("data").path("usage").decimalValue();
  }

  private static BigDecimal records(Path data, String hash) throws Exception {
    try (Connection c =
            DriverManager.getConnection(
                "jdbc:sqlite:" + data.resolve(Storage.SQLITE_FILE_NAME) + "?open_mode=1");
        PreparedStatement st =
            c.prepareStatement(
                "SELECT COALESCE(SUM(total_cost_nanos), 0) FROM generations WHERE key_hash = ?")) {
      st.setString(1, hash);
      try (ResultSet rs = st.executeQuery()) {
        rs.next();
        return Usd.fromNanos(rs.getLong(1));
      }
    }
  }
}
