package dev.switchboard.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.api.json.ApiJson;
import dev.switchboard.server.Gateway;
import dev.switchboard.server.config.GatewayConfig;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A burst of requests, then a graceful stop, then a new gateway on the same data folder: every
 * generation record is there. Once in-process ({@link Gateway#close()}), once as a real process
 * stopped with SIGTERM, which runs the same shutdown hook an operator's {@code kill} does.
 */
class GracefulRestartIT {

  @TempDir Path dir;

  static final String BODY =
      "{\"model\":\"deepseek/deepseek-chat-v3-0324\",\"messages\":[{\"role\":\"user\",\"content\":\"burst %d\"}]%s}";

  private static List<String> burst(HttpClient http, String base, int n) {
    List<CompletableFuture<HttpResponse<String>>> futures = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      String body = BODY.formatted(i, i % 3 == 0 ? ",\"stream\":true" : "");
      futures.add(
          http.sendAsync(
              HttpRequest.newBuilder(URI.create(base + "/chat/completions"))
                  .header("Authorization", "Bearer " + TestGateway.KEY)
                  .header("Content-Type", "application/json")
                  .timeout(Duration.ofSeconds(30))
                  .POST(HttpRequest.BodyPublishers.ofString(body))
                  .build(),
              HttpResponse.BodyHandlers.ofString()));
    }
    List<String> ids = new ArrayList<>();
    for (CompletableFuture<HttpResponse<String>> f : futures) {
      HttpResponse<String> r = f.join();
      assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
      ids.add(r.headers().firstValue("x-generation-id").orElseThrow());
    }
    return ids;
  }

  /**
   * Every record is there after the restart, and so is every charge: the key's usage, read back
   * from the ledger, is the sum of the records' costs.
   */
  private static void assertAllRecorded(Path dataDir, List<String> ids) throws Exception {
    try (TestGateway again = TestGateway.start(dataDir)) {
      java.math.BigDecimal sum = java.math.BigDecimal.ZERO;
      for (String id : ids) {
        HttpResponse<String> r = again.get("/generation?id=" + id, TestGateway.KEY);
        assertThat(r.statusCode()).as("record " + id + " after restart").isEqualTo(200);
        JsonNode data = ApiJson.tree(r.body()).path("data");
        assertThat(data.path("tokens_completion").asLong()).isPositive();
        sum = sum.add(data.path("total_cost").decimalValue());
      }
      JsonNode key = ApiJson.tree(again.get("/key", TestGateway.KEY).body()).path("data");
      assertThat(sum).isPositive();
      assertThat(key.path("usage").decimalValue())
          .as("ledger after restart")
          .isEqualByComparingTo(sum);
    }
  }

  @Test
  void burstThenInProcessCloseLosesNoRecord() throws Exception {
    Path data = dir.resolve("in-process");
    List<String> ids;
    // The burst is about durability, not latency: generous time-outs and pool, so a busy CI
    // machine cannot turn queueing into failed requests.
    try (TestGateway gw =
        TestGateway.startWith(
            data,
            c -> c.withUpstream(new GatewayConfig.UpstreamConfig(10_000, 60_000, 60_000, 512)))) {
      ids = burst(gw.http, gw.base(), 600);
    }
    assertAllRecorded(data, ids);
  }

  @Test
  void burstThenSigtermLosesNoRecord() throws Exception {
    Path data = dir.resolve("process");
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    String java = ProcessHandle.current().info().command().orElse("java");
    Path log = dir.resolve("gateway.log");
    ProcessBuilder pb =
        new ProcessBuilder(
                java,
                "-cp",
                System.getProperty("java.class.path"),
                "dev.switchboard.server.Main",
                "serve",
                "--demo",
                "--port",
                Integer.toString(port),
                "--data-dir",
                data.toString())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    pb.environment().put("SWITCHBOARD_MASTER_KEY", TestGateway.MASTER_KEY);
    Process process = pb.start();
    try {
      String base = "http://127.0.0.1:" + port + "/api/v1";
      HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
      waitUntilUp(http, base, process, log);
      List<String> ids = burst(http, base, 400);
      process.destroy(); // SIGTERM
      assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("stopped within 60 s").isTrue();
      assertThat(Files.readString(log)).contains("generation records drained");
      assertAllRecorded(data, ids);
    } finally {
      process.destroyForcibly();
    }
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
