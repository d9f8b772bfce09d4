package dev.switchboard.server.it.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.api.json.ApiJson;
import dev.switchboard.server.storage.Usd;
import dev.switchboard.simulator.Fault;
import dev.switchboard.simulator.Latency;
import dev.switchboard.testkit.postgres.TestDatabase;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.RedisClient;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two real gateway processes sharing PostgreSQL (one {@link TestDatabase}) and Redis (the
 * machine's, {@code SWITCHBOARD_TEST_REDIS_URL} or {@code redis://127.0.0.1:6379}, under a key
 * prefix of this class's own that is deleted afterwards): the bounds of a cluster, shown from
 * outside. One pair of nodes serves every test; the last one kills node A.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterRedisIT {

  static final String M = GatewayProcesses.MASTER_KEY;
  static final long HOLD_TTL_MS = 3_000;

  @TempDir(cleanup = org.junit.jupiter.api.io.CleanupMode.ON_SUCCESS)
  static Path dir;

  TestDatabase db;
  GatewayProcesses cluster;
  GatewayProcesses.Node a;
  GatewayProcesses.Node b;
  RedisClient redisClient;
  StatefulRedisConnection<String, String> redisConnection;
  RedisCommands<String, String> redis;

  @BeforeAll
  void start() throws Exception {
    String url =
        System.getenv().getOrDefault("SWITCHBOARD_TEST_REDIS_URL", "redis://127.0.0.1:6379");
    redisClient = RedisClient.create(url);
    redisConnection = redisClient.connect();
    redis = redisConnection.sync();
    db = TestDatabase.create();
    cluster = new GatewayProcesses(db, dir).withRedis(url, HOLD_TTL_MS);
    a = cluster.start("node-a");
    b = cluster.start("node-b");
    System.out.println("ClusterRedisIT: nodes in " + dir);
    warmUp();
  }

  /**
   * A first round of requests on both nodes, streamed and not, so that the load tests measure
   * limits rather than two cold JVMs compiling their request path on a shared machine.
   */
  private void warmUp() throws Exception {
    String[] key = createKey(a, null);
    long t0 = System.nanoTime();
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<Integer>> sent = new ArrayList<>();
      for (int n = 0; n < 32; n++) {
        int i = n;
        sent.add(pool.submit(() -> send(i % 2 == 0 ? a : b, key[0], 10, i, i % 4 == 1, false)));
      }
      for (Future<Integer> f : sent) {
        f.get(120, TimeUnit.SECONDS);
      }
    }
    System.out.println(
        "ClusterRedisIT: warm-up " + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0) + " ms");
  }

  @AfterAll
  void stop() {
    if (cluster != null) {
      cluster.close();
    }
    if (db != null) {
      db.close();
    }
    if (redis != null && cluster != null && cluster.redisPrefix() != null) {
      ScanArgs match = ScanArgs.Builder.matches(cluster.redisPrefix() + "*").limit(500);
      ScanCursor cursor = ScanCursor.INITIAL;
      do {
        KeyScanCursor<String> page = redis.scan(cursor, match);
        if (!page.getKeys().isEmpty()) {
          redis.del(page.getKeys().toArray(String[]::new));
        }
        cursor = page;
      } while (!cursor.isFinished());
      redisConnection.close();
      redisClient.shutdown();
    }
  }

  @Test
  @Order(1)
  void aKeysLimitHoldsAcrossBothNodesUnderMixedLoad() throws Exception {
    BigDecimal limit = new BigDecimal("0.006");
    String[] key = createKey(a, "\"limit\":" + limit);
    cluster.simulator().setLatency("sim", Latency.of(5, 400));
    AtomicInteger next = new AtomicInteger();
    AtomicInteger[] served = {new AtomicInteger(), new AtomicInteger()};
    AtomicInteger overLimit = new AtomicInteger();
    AtomicInteger otherwise = new AtomicInteger();
    AtomicInteger retries = new AtomicInteger();
    int total = 240;
    List<Future<?>> clients = new ArrayList<>();
    long startedAt = System.nanoTime();
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int c = 0; c < 24; c++) {
        clients.add(
            pool.submit(
                () -> {
                  for (int n; (n = next.getAndIncrement()) < total; ) {
                    GatewayProcesses.Node node = n % 2 == 0 ? a : b;
                    if (n % 20 == 0) {
                      cluster.simulator().addFault("sim", new Fault.Status(500, null, null, 1));
                    } else if (n % 20 == 10) {
                      cluster.simulator().addFault("sim", new Fault.Cut(2, 1));
                    }
                    boolean stream = n % 4 == 1 || n % 8 == 3;
                    boolean cancel = n % 8 == 3;
                    for (int tries = 0; ; tries++) {
                      int status = send(node, key[0], 5 + n % 40, n, stream, cancel);
                      if (status == -402) {
                        retries.incrementAndGet();
                      }
                      if (status == -402 && tries < 300) {
                        Thread.sleep(20); // in-flight holds fill the limit for now
                        continue;
                      }
                      if (status == 200) {
                        served[n % 2].incrementAndGet();
                      } else if (status == 402) {
                        overLimit.incrementAndGet();
                      } else {
                        otherwise.incrementAndGet();
                      }
                      break;
                    }
                  }
                  return null;
                }));
      }
      for (Future<?> f : clients) {
        f.get(180, TimeUnit.SECONDS);
      }
    } finally {
      cluster.simulator().clearFaults("sim");
      cluster.simulator().clearLatency("sim");
    }
    String what =
        "served on A "
            + served[0]
            + ", on B "
            + served[1]
            + ", over the limit "
            + overLimit
            + ", otherwise "
            + otherwise;
    long loadMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedAt);
    awaitNoHolds(key[1]);
    long records = recordsNanos(key[1]);
    System.out.println(
        "ClusterRedisIT: "
            + total
            + " requests in "
            + loadMs
            + " ms; "
            + what
            + "; spent $"
            + Usd.fromNanos(records)
            + " of $"
            + limit);
    assertThat(served[0].get()).as(what).isPositive();
    assertThat(served[1].get()).as(what).isPositive();
    assertThat(overLimit.get()).as(what).isPositive();
    assertThat(Usd.fromNanos(records)).as("spend, " + what).isLessThanOrEqualTo(limit).isPositive();
    assertThat(ledgerNanos(key[1])).as("ledger vs records").isEqualTo(records);
    assertThat(spentCounterNanos(key[1])).as("Redis's counter vs records").isEqualTo(records);
    // Every node's usage converges on the records (charges of the other node arrive with the
    // storage refresh), and the remaining limit is the limit minus the records.
    for (GatewayProcesses.Node node : List.of(a, b)) {
      JsonNode data = awaitUsage(node, key[0], records);
      assertThat(data.path("limit_remaining").decimalValue())
          .as(node.id)
          .isEqualByComparingTo(limit.subtract(Usd.fromNanos(records)));
    }
  }

  @Test
  @Order(2)
  void aRateLimitHoldsAcrossBothNodes() throws Exception {
    String[] key = createKey(a, "\"requests_per_minute\":10");
    int ok = 0;
    HttpResponse<String> limited = null;
    for (int n = 0; n < 24; n++) {
      HttpResponse<String> r = chat(n % 2 == 0 ? a : b, key[0], 5, n);
      if (r.statusCode() == 200) {
        ok++;
      } else {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(429);
        limited = r;
      }
    }
    // Ten a minute between both nodes (one more may refill while the test runs).
    assertThat(ok).isBetween(10, 11);
    assertThat(limited).isNotNull();
    assertThat(limited.headers().firstValue("X-RateLimit-Limit")).contains("10");
    assertThat(
            ApiJson.tree(limited.body())
                .path("error")
                .path("metadata")
                .path("limit_source")
                .asText())
        .isEqualTo("key_requests_per_minute");
  }

  @Test
  @Order(3)
  void aKeyDisabledOnAIsRefusedOnBWithinOneSecond() throws Exception {
    String[] key = createKey(a, null);
    assertThat(chat(b, key[0], 5, 1).statusCode()).isEqualTo(200); // B has it cached now
    HttpResponse<String> off = a.send("PATCH", "/keys/" + key[1], "{\"disabled\":true}", M);
    assertThat(off.statusCode()).as(off.body()).isEqualTo(200);
    long disabledAt = System.nanoTime();
    int status = 200;
    while (status == 200 && System.nanoTime() - disabledAt < TimeUnit.SECONDS.toNanos(5)) {
      status = chat(b, key[0], 5, 2).statusCode();
    }
    long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - disabledAt);
    System.out.println("ClusterRedisIT: key disabled on A refused on B after " + tookMs + " ms");
    assertThat(status).isEqualTo(401);
    assertThat(tookMs).as("refused on node B after " + tookMs + " ms").isLessThan(1_000);
    // And a limit changed on A holds on B as soon: the refreshed row, not the cached one.
    HttpResponse<String> back = a.send("PATCH", "/keys/" + key[1], "{\"disabled\":false}", M);
    assertThat(back.statusCode()).isEqualTo(200);
    long enabledAt = System.nanoTime();
    while (status != 200 && System.nanoTime() - enabledAt < TimeUnit.SECONDS.toNanos(5)) {
      status = chat(b, key[0], 5, 3).statusCode();
    }
    assertThat(status).isEqualTo(200);
    assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - enabledAt)).isLessThan(1_000);
  }

  @Test
  @Order(4)
  void endpointStatsOnBReflectFailuresSeenByA() throws Exception {
    String[] key = createKey(a, null);
    String onlyFlaky =
        "{\"model\":\"test/flaky\",\"max_tokens\":5,\"provider\":{\"only\":[\"flaky\"]},"
            + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
    cluster.simulator().addFault("flaky", new Fault.Status(500, null, null, Fault.UNTIL_CLEARED));
    try {
      for (int n = 0; n < 6; n++) {
        HttpResponse<String> r = a.post("/chat/completions", onlyFlaky, key[0]);
        assertThat(r.statusCode()).as(r.body()).isGreaterThanOrEqualTo(500);
      }
      assertThat(endpoint(a, "flaky").path("breaker").asText()).isEqualTo("open");
      // B served none of it, yet within two publish periods it sees A's failures.
      long failedAt = System.nanoTime();
      long deadline = failedAt + TimeUnit.SECONDS.toNanos(5);
      JsonNode seen = endpoint(b, "flaky");
      while (!"open".equals(seen.path("breaker").asText()) && System.nanoTime() < deadline) {
        Thread.sleep(100);
        seen = endpoint(b, "flaky");
      }
      System.out.println(
          "ClusterRedisIT: A's failures seen on B after "
              + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - failedAt)
              + " ms");
      assertThat(seen.path("breaker").asText()).as(seen.toString()).isEqualTo("open");
      assertThat(seen.path("uptime_last_5m").asDouble()).as(seen.toString()).isEqualTo(0.0);
      assertThat(endpoint(b, "sim").path("breaker").asText()).isEqualTo("closed");
      HttpResponse<String> listed = b.get("/models/test/flaky/endpoints", key[0]);
      JsonNode flakyOnB = null;
      for (JsonNode e : ApiJson.tree(listed.body()).path("data").path("endpoints")) {
        if (e.path("provider_name").asText().equals("Flaky")) {
          flakyOnB = e;
        }
      }
      assertThat(flakyOnB).as(listed.body()).isNotNull();
      assertThat(flakyOnB.path("uptime_last_5m").asDouble()).as(listed.body()).isEqualTo(0.0);
      // And B's router keeps away from it: a request preferring Flaky is served by Sim, and
      // nothing more reaches Flaky.
      long sentToFlaky = cluster.simulator().requestCount("flaky");
      HttpResponse<String> moved =
          b.post(
              "/chat/completions",
              "{\"model\":\"test/flaky\",\"max_tokens\":5,"
                  + "\"provider\":{\"order\":[\"flaky\",\"sim\"]},"
                  + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}",
              key[0]);
      assertThat(moved.statusCode()).as(moved.body()).isEqualTo(200);
      assertThat(ApiJson.tree(moved.body()).path("provider").asText()).isEqualTo("Sim");
      assertThat(cluster.simulator().requestCount("flaky")).isEqualTo(sentToFlaky);
    } finally {
      cluster.simulator().clearFaults("flaky");
    }
  }

  @Test
  @Order(5)
  void sigkillOfAMidLoadLosesNoRecordAndLeaksNoReservation() throws Exception {
    BigDecimal limit = new BigDecimal("5");
    String[] key = createKey(b, "\"limit\":" + limit);
    cluster.simulator().setLatency("sim", Latency.of(30, 200));
    Map<String, Long> answeredByA = new ConcurrentHashMap<>();
    AtomicBoolean stop = new AtomicBoolean();
    AtomicInteger next = new AtomicInteger();
    long killedAt;
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<?>> clients = new ArrayList<>();
      for (int c = 0; c < 10; c++) {
        GatewayProcesses.Node node = c < 8 ? a : b;
        clients.add(
            pool.submit(
                () -> {
                  while (!stop.get()) {
                    int n = next.getAndIncrement();
                    try {
                      HttpResponse<String> r = chat(node, key[0], 10 + n % 30, n);
                      if (r.statusCode() == 200 && node == a) {
                        answeredByA.put(
                            r.headers().firstValue("X-Generation-Id").orElseThrow(),
                            System.nanoTime());
                      }
                    } catch (java.io.IOException connectionLost) {
                      if (node == a) {
                        return null;
                      }
                    }
                  }
                  return null;
                }));
      }
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (answeredByA.size() < 60 && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      killedAt = System.nanoTime();
      a.kill(); // SIGKILL with requests in flight: their holds stay in Redis
      Thread.sleep(300);
      stop.set(true);
      for (Future<?> f : clients) {
        f.get(60, TimeUnit.SECONDS);
      }
    } finally {
      cluster.simulator().clearLatency("sim");
    }
    List<String> ids = new ArrayList<>(answeredByA.keySet());
    assertThat(ids).as("answered by A before the kill").hasSizeGreaterThanOrEqualTo(30);
    String in = "('" + String.join("','", ids) + "')";
    // Written behind the replies (ADR 0026): what A had not committed when it was killed is lost,
    // and only that: the records of its last moments (its writer commits within 50 ms of a reply;
    // three seconds are a loaded machine's margin, as in KillRestartIT). Every committed record
    // has its charge.
    Set<String> stored =
        new java.util.HashSet<>(db.strings("SELECT id FROM generations WHERE id IN " + in));
    List<Long> lostAgoMs = new ArrayList<>();
    final long killed = killedAt;
    answeredByA.forEach(
        (id, at) -> {
          if (!stored.contains(id)) {
            lostAgoMs.add(TimeUnit.NANOSECONDS.toMillis(killed - at));
          }
        });
    System.out.println(
        "ClusterRedisIT: " + lostAgoMs.size() + " answered by A not committed: " + lostAgoMs);
    assertThat(lostAgoMs)
        .as("ms before the kill")
        .allSatisfy(ms -> assertThat(ms).isLessThan(3_000));
    assertThat(
            db.count(
                "SELECT COUNT(DISTINCT generation_id) FROM key_usage_ledger WHERE generation_id IN "
                    + in))
        .as("the committed records' charges")
        .isEqualTo(stored.size());

    // A's holds expire (hold-ttl-ms), the next admissions on B drop them and reconcile the
    // counters with the ledger; then nothing is reserved and the limit left is the limit minus
    // the records, on B's API and in Redis.
    long deadline = killedAt + TimeUnit.SECONDS.toNanos(20);
    long records;
    long held;
    long counter;
    System.out.println(
        "ClusterRedisIT: after the kill, held $"
            + Usd.fromNanos(heldNanos(key[1]))
            + ", counter $"
            + Usd.fromNanos(spentCounterNanos(key[1]))
            + ", records $"
            + Usd.fromNanos(recordsNanos(key[1])));
    do {
      assertThat(chat(b, key[0], 5, -1).statusCode()).isEqualTo(200);
      // That request's own hold goes once its record, written behind the reply, is committed,
      // and B's advance once idle for a second.
      Thread.sleep(1_500);
      records = recordsNanos(key[1]);
      held = heldNanos(key[1]);
      counter = spentCounterNanos(key[1]);
    } while ((held != 0 || counter != records) && System.nanoTime() < deadline);
    System.out.println(
        "ClusterRedisIT: reconciled "
            + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killedAt)
            + " ms after the kill; "
            + ids.size()
            + " answered by A");
    assertThat(held).as("reserved after A's holds expired").isZero();
    assertThat(counter).as("Redis's spent counter vs the records").isEqualTo(records);
    assertThat(ledgerNanos(key[1])).as("ledger vs records").isEqualTo(records);
    JsonNode data = awaitUsage(b, key[0], records);
    assertThat(data.path("limit_remaining").decimalValue())
        .isEqualByComparingTo(limit.subtract(Usd.fromNanos(records)));
  }

  // --- helpers ---

  /** {key, hash} of a new inference key made through {@code node}. */
  private static String[] createKey(GatewayProcesses.Node node, String extraJson) throws Exception {
    String body = "{\"name\":\"cluster\"" + (extraJson == null ? "" : "," + extraJson) + "}";
    HttpResponse<String> r = node.post("/keys", body, M);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    JsonNode created = ApiJson.tree(r.body());
    return new String[] {created.path("key").asText(), created.path("data").path("hash").asText()};
  }

  private static String chatBody(int maxTokens, int n, boolean stream) {
    return "{\"model\":\"test/echo\",\"max_tokens\":"
        + maxTokens
        + (stream ? ",\"stream\":true,\"stream_options\":{\"include_usage\":true}" : "")
        + ",\"messages\":[{\"role\":\"user\",\"content\":\"request "
        + n
        + " across the cluster\"}]}";
  }

  private static HttpResponse<String> chat(
      GatewayProcesses.Node node, String key, int maxTokens, int n) throws Exception {
    return node.post("/chat/completions", chatBody(maxTokens, n, false), key);
  }

  /**
   * One request: its status, or -402 for a 402 that in-flight reservations caused (worth a retry).
   * A streamed one is read to its end, or dropped after its first event when {@code cancel}.
   */
  private int send(
      GatewayProcesses.Node node, String key, int maxTokens, int n, boolean stream, boolean cancel)
      throws Exception {
    if (!stream) {
      HttpResponse<String> r = chat(node, key, maxTokens, n);
      return inFlight(r.statusCode(), r.body());
    }
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(node.base() + "/chat/completions"))
            .timeout(Duration.ofSeconds(30))
            .header("Authorization", "Bearer " + key)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(chatBody(maxTokens, n, true)))
            .build();
    HttpResponse<InputStream> r =
        cluster.http.send(request, HttpResponse.BodyHandlers.ofInputStream());
    try (InputStream in = r.body();
        BufferedReader lines =
            new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      if (r.statusCode() != 200) {
        StringBuilder body = new StringBuilder();
        for (String line; (line = lines.readLine()) != null; ) {
          body.append(line);
        }
        return inFlight(r.statusCode(), body.toString());
      }
      for (String line; (line = lines.readLine()) != null; ) {
        if (cancel && line.startsWith("data: {")) {
          break; // closing the stream drops the connection mid-answer
        }
      }
    } catch (java.io.IOException cut) {
      // The upstream cut the stream (a simulator fault): the answer ended early.
    }
    return 200;
  }

  private static int inFlight(int status, String body) {
    return status == 402 && body.contains("in_flight_budget") ? -402 : status;
  }

  private static JsonNode endpoint(GatewayProcesses.Node node, String provider) throws Exception {
    HttpResponse<String> r = node.get("/routing/endpoints", M);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    for (JsonNode e : ApiJson.tree(r.body()).path("data")) {
      if (e.path("model").asText().equals("test/flaky")
          && e.path("provider").asText().equals(provider)) {
        return e;
      }
    }
    throw new AssertionError("no endpoint of test/flaky on " + provider + " in " + r.body());
  }

  /** Polls {@code /key} on {@code node} until its usage is {@code nanos}; returns its data. */
  private static JsonNode awaitUsage(GatewayProcesses.Node node, String key, long nanos)
      throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(12);
    JsonNode data;
    do {
      HttpResponse<String> r = node.get("/key", key);
      assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
      data = ApiJson.tree(r.body()).path("data");
      if (data.path("usage").decimalValue().compareTo(Usd.fromNanos(nanos)) == 0) {
        return data;
      }
      Thread.sleep(200);
    } while (System.nanoTime() < deadline);
    assertThat(data.path("usage").decimalValue())
        .as("usage on " + node.id)
        .isEqualByComparingTo(Usd.fromNanos(nanos));
    return data;
  }

  /** Waits until no request of the key holds a reservation (every answer settled). */
  private void awaitNoHolds(String hash) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
    while (heldNanos(hash) != 0 && System.nanoTime() < deadline) {
      Thread.sleep(100);
    }
    Thread.sleep(500); // the last settlements' records and charges commit
    assertThat(heldNanos(hash)).as("reserved").isZero();
  }

  private long recordsNanos(String hash) {
    return db.count(
        "SELECT COALESCE(SUM(total_cost_nanos), 0) FROM generations WHERE key_hash = '"
            + hash
            + "'");
  }

  private long ledgerNanos(String hash) {
    return db.count(
        "SELECT COALESCE(SUM(cost_nanos), 0) FROM key_usage_ledger WHERE key_hash = '"
            + hash
            + "'");
  }

  /** What the key holds in flight in Redis (the reservations' total, expired ones included). */
  private long heldNanos(String hash) {
    String t = redis.hget(cluster.redisPrefix() + "lim:r:key:" + hash, "_t");
    return t == null ? 0 : Long.parseLong(t);
  }

  /** The key's lifetime spent counter in Redis. */
  private long spentCounterNanos(String hash) {
    String c = redis.hget(cluster.redisPrefix() + "lim:s:key:" + hash + ":life", "c");
    return c == null ? 0 : Long.parseLong(c);
  }
}
