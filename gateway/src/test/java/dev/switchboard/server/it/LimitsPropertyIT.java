package dev.switchboard.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.api.json.ApiJson;
import dev.switchboard.server.config.GatewayConfig;
import dev.switchboard.server.storage.Storage;
import dev.switchboard.server.storage.Usd;
import dev.switchboard.simulator.Fault;
import dev.switchboard.simulator.Latency;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Issue 11's property through the real request path: a few hundred concurrent chat requests on one
 * budget (streamed and whole, random prompt and output sizes, upstream failures injected at random
 * moments, clients that hang up mid-way) never take the budget's spend above its limit, and what
 * the budget says was spent equals the sum of the generation records' costs to the nano-dollar.
 * Once per kind of budget: a key's limit, the organisation's credits, a guardrail's budget, a
 * session's budget.
 *
 * <p>Each client retries a request refused because reservations in flight fill the budget (as a
 * client honouring {@code Retry-After} would, only faster), so the budget is driven to its end: the
 * run stops when every request has been answered, failed, cancelled or refused for good.
 */
class LimitsPropertyIT {

  enum Budget {
    KEY_LIMIT,
    CREDITS,
    GUARDRAIL,
    SESSION
  }

  static final String M = TestGateway.MASTER_KEY;
  static final String SESSION = "run-prop";
  static final BigDecimal LIMIT = new BigDecimal("0.012");
  static final int REQUESTS = 300;
  static final int CLIENTS = 200;
  static final List<String> PROVIDERS = List.of("together", "fireworks");

  @TempDir Path dir;

  @ParameterizedTest
  @EnumSource(Budget.class)
  void concurrentRequestsNeverOverspendAndTheBooksMatchTheRecords(Budget budget) throws Exception {
    long seed = System.nanoTime();
    Random seeds = new Random(seed);
    Path data = dir.resolve(budget.name());
    try (TestGateway gw =
        TestGateway.startWith(
            data,
            c -> c.withUpstream(new GatewayConfig.UpstreamConfig(10_000, 30_000, 30_000, 512)))) {
      String key = setUp(gw, budget);
      for (String p : PROVIDERS) {
        gw.simulator().setLatency(p, Latency.of(5, 250));
      }

      Outcomes seen = new Outcomes();
      AtomicInteger next = new AtomicInteger();
      CountDownLatch go = new CountDownLatch(1);
      long[] clientSeeds = new long[CLIENTS];
      for (int i = 0; i < CLIENTS; i++) {
        clientSeeds[i] = seeds.nextLong();
      }
      List<Future<?>> clients = new ArrayList<>();
      try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
        for (int i = 0; i < CLIENTS; i++) {
          Random rnd = new Random(clientSeeds[i]);
          clients.add(
              pool.submit(
                  () -> {
                    go.await();
                    for (int n; (n = next.getAndIncrement()) < REQUESTS; ) {
                      run(gw, key, budget, n, rnd, seen);
                    }
                    return null;
                  }));
        }
        Future<?> chaos = pool.submit(() -> chaos(gw, new Random(seeds.nextLong()), next));
        go.countDown();
        for (Future<?> c : clients) {
          c.get(120, TimeUnit.SECONDS);
        }
        chaos.get(10, TimeUnit.SECONDS);
      }
      gw.simulator().clearFaults();

      Storage storage = gw.gateway.services().storage();
      String keyHash = dev.switchboard.server.storage.Keys.hash(key);
      // A request the client left (a cancelled stream, a chaos fault) can still be settling when
      // its client has returned: its record may be committed between the two reads below while its
      // charge is booked a moment later. The books are compared once they stand still: the same
      // figures twice, 100 ms apart (a lasting difference still fails below).
      BigDecimal spent = null;
      for (long deadline = System.nanoTime() + 5_000_000_000L; ; ) {
        storage.generations().flush();
        BigDecimal now = spent(gw, budget, key);
        if (now.equals(spent) || System.nanoTime() > deadline) {
          spent = now;
          break;
        }
        spent = now;
        Thread.sleep(100);
      }
      String what = budget + " (seed " + seed + ", " + seen + ")";
      System.out.println("LimitsPropertyIT: " + what + ": spent " + spent + " of " + LIMIT);

      assertThat(spent).as("spend of " + what).isLessThanOrEqualTo(LIMIT);
      assertThat(seen.answered.get()).as("answered in " + what).isGreaterThan(10);
      assertThat(seen.refused.get()).as("refused for good in " + what).isPositive();

      BigDecimal recorded =
          budget == Budget.SESSION
              ? sumOfRecords(data, "session_id", SESSION)
              : sumOfRecords(data, "key_hash", keyHash);
      assertThat(spent).as("spend vs records in " + what).isEqualByComparingTo(recorded);
      assertThat(storage.keys().usage(keyHash).total())
          .as("key usage vs records in " + what)
          .isEqualByComparingTo(sumOfRecords(data, "key_hash", keyHash));
      assertThat(storage.credits().totalUsage())
          .as("organisation usage vs records in " + what)
          .isEqualByComparingTo(sumOfRecords(data, null, null));
      // A stream the client left pays for the output it got, and that is in the books too.
      assertThat(seen.cancelledStreams.get()).as("streams cancelled in " + what).isPositive();
      assertThat(paidCancelledStreams(data)).as("cancelled streams billed in " + what).isPositive();
    }
  }

  /** Makes the budget under test and returns the plaintext of the key every request uses. */
  private static String setUp(TestGateway gw, Budget budget) throws Exception {
    String limit = LIMIT.toPlainString();
    JsonNode created =
        json(
            gw.send(
                "POST",
                "/keys",
                budget == Budget.KEY_LIMIT
                    ? "{\"name\":\"prop\",\"limit\":" + limit + "}"
                    : "{\"name\":\"prop\"}",
                M),
            201);
    String key = created.path("key").asText();
    String hash = created.path("data").path("hash").asText();
    switch (budget) {
      case KEY_LIMIT -> {}
      case CREDITS -> json(gw.send("POST", "/credits", "{\"amount\":" + limit + "}", M), 201);
      case GUARDRAIL ->
          LimitsIT.guardrail(
              gw, "{\"name\":\"cap\",\"limit_usd\":" + limit + ",\"reset_interval\":null}", hash);
      case SESSION ->
          json(
              gw.send("PUT", "/budgets/session/" + SESSION, "{\"limit_usd\":" + limit + "}", M),
              200);
    }
    return key;
  }

  /** The budget's spend as the gateway reports it over HTTP. */
  private static BigDecimal spent(TestGateway gw, Budget budget, String key) throws Exception {
    return switch (budget) {
      case KEY_LIMIT, GUARDRAIL ->
          json(gw.get("/key", key), 200).path("data").path("usage").decimalValue();
      case CREDITS ->
          json(gw.get("/credits", M), 200).path("data").path("total_usage").decimalValue();
      case SESSION ->
          json(gw.get("/budgets/session/" + SESSION, M), 200)
              .path("data")
              .path("spend_usd")
              .decimalValue();
    };
  }

  /** What happened to the requests, for the assertions and the failure message. */
  static final class Outcomes {
    final AtomicInteger answered = new AtomicInteger();
    final AtomicInteger failed = new AtomicInteger();
    final AtomicInteger refused = new AtomicInteger();
    final AtomicInteger retriedInFlight = new AtomicInteger();
    final AtomicInteger cancelledStreams = new AtomicInteger();
    final AtomicInteger cancelledWhole = new AtomicInteger();
    final ConcurrentHashMap<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();

    @Override
    public String toString() {
      return "answered "
          + answered
          + ", failed "
          + failed
          + ", refused "
          + refused
          + ", in-flight retries "
          + retriedInFlight
          + ", cancelled streams "
          + cancelledStreams
          + ", cancelled whole "
          + cancelledWhole
          + ", statuses "
          + statuses;
    }
  }

  /** One request of random shape, retried while reservations in flight fill the budget. */
  private static void run(
      TestGateway gw, String key, Budget budget, int n, Random rnd, Outcomes seen)
      throws Exception {
    boolean stream = rnd.nextBoolean();
    int words = 5 + rnd.nextInt(150);
    int maxTokens = 5 + rnd.nextInt(56);
    boolean cancel = rnd.nextInt(5) == 0;
    StringBuilder prompt = new StringBuilder("request " + n);
    for (int i = 0; i < words; i++) {
      prompt.append(' ').append("word").append(rnd.nextInt(1000));
    }
    boolean sessionInBody = budget == Budget.SESSION && rnd.nextBoolean();
    String body =
        "{\"model\":\"deepseek/deepseek-chat-v3-0324\",\"max_tokens\":"
            + maxTokens
            + ",\"provider\":{\"only\":[\"together\",\"fireworks\"]}"
            + (stream ? ",\"stream\":true" : "")
            + (sessionInBody ? ",\"session_id\":\"" + SESSION + "\"" : "")
            + ",\"messages\":[{\"role\":\"user\",\"content\":\""
            + prompt
            + "\"}]}";
    String sessionHeader = budget == Budget.SESSION && !sessionInBody ? SESSION : null;
    for (int tries = 0; tries < 200; tries++) {
      int status = send(gw, key, body, sessionHeader, stream, cancel, rnd, seen);
      seen.statuses.computeIfAbsent(status, s -> new AtomicInteger()).incrementAndGet();
      if (status != -402) {
        return;
      }
      seen.retriedInFlight.incrementAndGet();
      Thread.sleep(50 + rnd.nextInt(100));
    }
  }

  /**
   * Sends one request on its own connection. Returns the status, or -402 for a 402 that only
   * reservations in flight caused; a cancelled request returns 0.
   */
  private static int send(
      TestGateway gw,
      String key,
      String body,
      String sessionHeader,
      boolean stream,
      boolean cancel,
      Random rnd,
      Outcomes seen)
      throws IOException, InterruptedException {
    URI base = URI.create(gw.base());
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    String head =
        "POST "
            + base.getPath()
            + "/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer "
            + key
            + "\r\nContent-Type: application/json\r\nConnection: close\r\n"
            + (sessionHeader == null ? "" : "X-Session-Id: " + sessionHeader + "\r\n")
            + "Content-Length: "
            + bytes.length
            + "\r\n\r\n";
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", base.getPort()), 10_000);
      s.setSoTimeout(60_000);
      s.getOutputStream().write(head.getBytes(StandardCharsets.US_ASCII));
      s.getOutputStream().write(bytes);
      s.getOutputStream().flush();
      InputStream in = s.getInputStream();
      if (cancel && !stream) {
        Thread.sleep(rnd.nextInt(30));
        seen.cancelledWhole.incrementAndGet();
        return 0; // hang up before (or while) the answer comes
      }
      StringBuilder text = new StringBuilder();
      byte[] buf = new byte[4096];
      try {
        for (int r; (r = in.read(buf)) >= 0; ) {
          text.append(new String(buf, 0, r, StandardCharsets.UTF_8));
          if (cancel && count(text, "data: ") >= 4) {
            seen.cancelledStreams.incrementAndGet();
            return 0; // hang up after the first few chunks of output
          }
        }
      } catch (SocketException reset) {
        // what arrived is the answer
      }
      String answer = text.toString();
      int status = Integer.parseInt(answer.substring(9, 12));
      if (status == 200 && !answer.contains("\"error\"")) {
        seen.answered.incrementAndGet();
      } else if (status == 402 && answer.contains("in_flight_budget")) {
        return -402;
      } else if (status == 402 || status == 403) {
        seen.refused.incrementAndGet();
      } else {
        seen.failed.incrementAndGet();
      }
      return status;
    }
  }

  private static int count(CharSequence text, String what) {
    int n = 0;
    for (int i = text.toString().indexOf(what); i >= 0; i = text.toString().indexOf(what, i + 1)) {
      n++;
    }
    return n;
  }

  /** Injects upstream failures at random moments while requests remain. */
  private static Void chaos(TestGateway gw, Random rnd, AtomicInteger next)
      throws InterruptedException {
    for (int i = 0; i < 120 && next.get() < REQUESTS; i++) {
      Thread.sleep(10 + rnd.nextInt(30));
      String provider = PROVIDERS.get(rnd.nextInt(PROVIDERS.size()));
      Fault fault =
          switch (rnd.nextInt(5)) {
            case 0 -> new Fault.Status(500, null, null, 1);
            case 1 -> new Fault.Status(429, null, null, 1);
            case 2 -> new Fault.Cut(1 + rnd.nextInt(3), 1);
            case 3 -> new Fault.ErrorEvent(1 + rnd.nextInt(3), Fault.ErrorStyle.DATA, null, 1);
            default -> new Fault.Malformed(1 + rnd.nextInt(3), 1);
          };
      gw.simulator().addFault(provider, fault);
    }
    return null;
  }

  /** The sum of the stored generation records' costs, read from the database file itself. */
  private static BigDecimal sumOfRecords(Path data, String column, String value) throws Exception {
    String sql =
        "SELECT COALESCE(SUM(total_cost_nanos), 0) FROM generations"
            + (column == null ? "" : " WHERE " + column + " = ?");
    try (Connection c = open(data);
        PreparedStatement st = c.prepareStatement(sql)) {
      if (value != null) {
        st.setString(1, value);
      }
      try (ResultSet rs = st.executeQuery()) {
        rs.next();
        return Usd.fromNanos(rs.getLong(1));
      }
    }
  }

  private static long paidCancelledStreams(Path data) throws Exception {
    try (Connection c = open(data);
        PreparedStatement st =
            c.prepareStatement(
                "SELECT COUNT(*) FROM generations WHERE cancelled = 1 AND streamed = 1"
                    + " AND total_cost_nanos > 0");
        ResultSet rs = st.executeQuery()) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static Connection open(Path data) throws Exception {
    return DriverManager.getConnection(
        "jdbc:sqlite:" + data.resolve(Storage.SQLITE_FILE_NAME) + "?open_mode=1");
  }

  private static JsonNode json(java.net.http.HttpResponse<String> r, int status) throws Exception {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
    return ApiJson.tree(r.body());
  }
}
