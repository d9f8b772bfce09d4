package dev.switchboard.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.api.json.ApiJson;
import dev.switchboard.server.storage.Storage;
import dev.switchboard.server.storage.Usd;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What {@code docs/limits.md} (Durability) claims of a {@code kill -9}, through a real gateway
 * process: load on a key with a limit, SIGKILL in the middle of it, a new gateway on the same data
 * folder. Then the key's usage equals the sum of its generation records' costs to the nano-dollar
 * (a record written without its charge is charged at open), stays within the limit, and every
 * answer the client had well before the kill has its record (only the last flush window can be
 * lost, and what is lost is neither recorded nor charged: in the user's favour); with {@code
 * storage.commit-before-reply: true} every answer has its record.
 */
class KillRestartIT {

  /**
   * Answers received this long before the kill must have their record. The flush window is 50 ms
   * plus a commit; the rest is margin for a loaded CI machine, where the writer can lag.
   */
  static final Duration SAFE_BEFORE_KILL = Duration.ofSeconds(3);

  static final String LIMIT = "0.5";

  @TempDir Path dir;

  record Answer(String generationId, long receivedNanos) {}

  @ParameterizedTest(name = "storage.commit-before-reply: {0}")
  @ValueSource(booleans = {false, true})
  void killMinus9UnderLoadLosesOnlyTheFlushWindowAndUsageEqualsTheRecords(boolean commitFirst)
      throws Exception {
    Path data = dir.resolve("data");
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Path log = dir.resolve("gateway.log");
    Path config = null;
    if (commitFirst) {
      config =
          Files.writeString(dir.resolve("commit.yaml"), "storage:\n  commit-before-reply: true\n");
    }
    Process process = start(port, data, log, config);
    String base = "http://127.0.0.1:" + port + "/api/v1";
    HttpClient http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    ConcurrentLinkedQueue<Answer> answers = new ConcurrentLinkedQueue<>();
    String keyHash;
    long killedAt;
    ExecutorService clients = Executors.newFixedThreadPool(16);
    try {
      waitUntilUp(http, base, process, log);
      JsonNode created =
          json(
              send(
                  http,
                  base + "/keys",
                  TestGateway.MASTER_KEY,
                  "{\"name\":\"kill-9\",\"limit\":" + LIMIT + "}"));
      String key = created.path("key").asText();
      keyHash = created.path("data").path("hash").asText();
      assertThat(key).startsWith("sk-sb-v1-");

      AtomicBoolean running = new AtomicBoolean(true);
      for (int c = 0; c < 16; c++) {
        int client = c;
        clients.submit(
            () -> {
              for (int i = 0; running.get(); i++) {
                String body =
                    "{\"model\":\"deepseek/deepseek-chat-v3-0324\",\"max_tokens\":64,"
                        + "\"messages\":[{\"role\":\"user\",\"content\":\"load "
                        + client
                        + "-"
                        + i
                        + "\"}]"
                        + (i % 3 == 0 ? ",\"stream\":true" : "")
                        + "}";
                try {
                  HttpResponse<String> r = send(http, base + "/chat/completions", key, body);
                  if (r.statusCode() == 200 && !r.body().contains("\"error\"")) {
                    r.headers()
                        .firstValue("x-generation-id")
                        .ifPresent(id -> answers.add(new Answer(id, System.nanoTime())));
                  }
                } catch (IOException | InterruptedException gone) {
                  return; // the gateway was killed
                }
              }
            });
      }
      // Load long enough for many batches to be committed, then the kill in the middle of it.
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (answers.size() < 300 && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
      Thread.sleep(SAFE_BEFORE_KILL.toMillis() + 500);
      killedAt = System.nanoTime();
      process.destroyForcibly(); // SIGKILL: no shutdown hook, no drain
      assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
      running.set(false);
    } finally {
      process.destroyForcibly();
      clients.shutdownNow();
      clients.awaitTermination(30, TimeUnit.SECONDS);
    }
    assertThat(Files.readString(log)).doesNotContain("generation records drained");
    assertThat(answers).as("answers before the kill").hasSizeGreaterThanOrEqualTo(50);

    try (TestGateway again = TestGateway.start(data)) {
      Set<String> stored = recordIds(data, keyHash);
      List<String> lostEarly = new ArrayList<>();
      int lostLate = 0;
      for (Answer a : answers) {
        if (!stored.contains(a.generationId())) {
          if (killedAt - a.receivedNanos() > SAFE_BEFORE_KILL.toNanos()) {
            lostEarly.add(a.generationId());
          } else {
            lostLate++;
          }
        }
      }
      assertThat(lostEarly).as("records of answers long before the kill").isEmpty();
      if (commitFirst) {
        assertThat(lostLate).as("answers without a record, each reply after its commit").isZero();
      }
      System.out.printf(
          "kill -9: %d answers, %d records, %d answers of the last moments without a record%n",
          answers.size(), stored.size(), lostLate);

      BigDecimal records = sumOfRecords(data, keyHash);
      JsonNode k = json(again.get("/keys/" + keyHash, TestGateway.MASTER_KEY)).path("data");
      assertThat(k.path("usage").decimalValue())
          .as("the key's usage after the restart is the sum of its records' costs")
          .isEqualByComparingTo(records);
      assertThat(records).isPositive().isLessThanOrEqualTo(new BigDecimal(LIMIT));
      JsonNode credits = json(again.get("/credits", TestGateway.MASTER_KEY)).path("data");
      assertThat(credits.path("total_usage").decimalValue()).isEqualByComparingTo(records);
    }
  }

  private Process start(int port, Path data, Path log, Path config) throws IOException {
    String java = ProcessHandle.current().info().command().orElse("java");
    List<String> command =
        new ArrayList<>(
            List.of(
                java,
                "-cp",
                System.getProperty("java.class.path"),
                "dev.switchboard.server.Main",
                "serve",
                "--demo",
                "--port",
                Integer.toString(port),
                "--data-dir",
                data.toString()));
    if (config != null) {
      command.addAll(List.of("--config", config.toString()));
    }
    ProcessBuilder pb =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().put("SWITCHBOARD_MASTER_KEY", TestGateway.MASTER_KEY);
    return pb.start();
  }

  private static HttpResponse<String> send(HttpClient http, String url, String key, String body)
      throws IOException, InterruptedException {
    return http.send(
        HttpRequest.newBuilder(URI.create(url))
            .header("Authorization", "Bearer " + key)
            .header("Content-Type", "application/json")
            .timeout(Duration.ofSeconds(30))
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static JsonNode json(HttpResponse<String> r) throws IOException {
    assertThat(r.statusCode()).as(r.body()).isBetween(200, 201);
    return ApiJson.tree(r.body());
  }

  private static Set<String> recordIds(Path data, String keyHash) throws Exception {
    Set<String> ids = new HashSet<>();
    try (Connection c = open(data);
        PreparedStatement st =
            c.prepareStatement("SELECT id FROM generations WHERE key_hash = ?")) {
      st.setString(1, keyHash);
      try (ResultSet rs = st.executeQuery()) {
        while (rs.next()) {
          ids.add(rs.getString(1));
        }
      }
    }
    return ids;
  }

  private static BigDecimal sumOfRecords(Path data, String keyHash) throws Exception {
    try (Connection c = open(data);
        PreparedStatement st =
            c.prepareStatement(
                "SELECT COALESCE(SUM(total_cost_nanos), 0) FROM generations WHERE key_hash = ?")) {
      st.setString(1, keyHash);
      try (ResultSet rs = st.executeQuery()) {
        rs.next();
        return Usd.fromNanos(rs.getLong(1));
      }
    }
  }

  private static Connection open(Path data) throws Exception {
    return DriverManager.getConnection(
        "jdbc:sqlite:" + data.resolve(Storage.SQLITE_FILE_NAME) + "?open_mode=1");
  }

  private static void waitUntilUp(HttpClient http, String base, Process p, Path log)
      throws Exception {
    for (int i = 0; i < 300; i++) {
      if (!p.isAlive()) {
        throw new AssertionError("gateway exited early:\n" + Files.readString(log));
      }
      try {
        HttpResponse<String> r =
            http.send(
                HttpRequest.newBuilder(URI.create(base + "/models")).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 200) {
          return;
        }
      } catch (IOException notYet) {
        // still starting
      }
      Thread.sleep(100);
    }
    throw new AssertionError("gateway did not start:\n" + Files.readString(log));
  }
}
