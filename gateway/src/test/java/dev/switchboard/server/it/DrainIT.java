package dev.switchboard.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.api.json.ApiJson;
import dev.switchboard.simulator.Latency;
import dev.switchboard.simulator.Simulator;
import dev.switchboard.simulator.SimulatorConfig;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGTERM on a real gateway process with requests in flight: readiness goes false at once while the
 * gateway still serves for the unready delay, then it stops accepting; a stream and a non-streaming
 * request that finish within the drain time complete normally; a stream that does not ends with the
 * in-band error chunk and no {@code [DONE]}; every one of them is recorded.
 */
class DrainIT {

  @TempDir Path dir;

  static final long UNREADY_DELAY_MS = 1_500;
  static final long DRAIN_MS = 4_000;

  static String chat(String model, boolean stream) {
    return "{\"model\":\""
        + model
        + "\",\"max_tokens\":30,\"stream\":"
        + stream
        + ",\"messages\":[{\"role\":\"user\",\"content\":\"Tell me a story\"}]}";
  }

  /** A streamed answer read line by line; {@code started} opens at the first data line. */
  static final class StreamRead {
    final List<String> lines = new CopyOnWriteArrayList<>();
    final CountDownLatch started = new CountDownLatch(1);
    final CompletableFuture<Integer> status = new CompletableFuture<>();
    final Thread thread;

    StreamRead(HttpClient http, HttpRequest request) {
      thread =
          new Thread(
              () -> {
                try {
                  HttpResponse<java.io.InputStream> r =
                      http.send(request, HttpResponse.BodyHandlers.ofInputStream());
                  status.complete(r.statusCode());
                  try (BufferedReader in =
                      new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
                    for (String line; (line = in.readLine()) != null; ) {
                      if (line.startsWith("data: ")) {
                        lines.add(line.substring(6));
                        started.countDown();
                      }
                    }
                  }
                } catch (IOException | InterruptedException e) {
                  status.completeExceptionally(e);
                }
                started.countDown();
              },
              "stream-reader");
      thread.setDaemon(true);
      thread.start();
    }

    String last() {
      return lines.isEmpty() ? "" : lines.getLast();
    }
  }

  @Test
  void sigtermDrainsRequestsInFlightAndEndsTheRestInBand() throws Exception {
    try (Simulator sim = Simulator.start(SimulatorConfig.defaults())) {
      sim.setLatency("quick", new Latency(100, 25)); // 30 tokens: about 1.3 s
      sim.setLatency("slow", new Latency(100, 2)); // 30 tokens: about 15 s
      Path config = dir.resolve("switchboard.yaml");
      Files.writeString(config, yaml(sim));
      Path data = dir.resolve("data");
      Path log = dir.resolve("gateway.log");
      int port = freePort();
      Process process = start(config, data, port, log);
      try {
        String base = "http://127.0.0.1:" + port + "/api/v1";
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        waitUntilReady(http, port, process, log);
        String key = createKey(http, base);

        StreamRead quick = new StreamRead(http, post(base, key, chat("test/quick", true)));
        StreamRead slow = new StreamRead(http, post(base, key, chat("test/slow", true)));
        CompletableFuture<HttpResponse<String>> plain =
            http.sendAsync(
                post(base, key, chat("test/quick", false)), HttpResponse.BodyHandlers.ofString());
        assertThat(quick.started.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(slow.started.await(10, TimeUnit.SECONDS)).isTrue();

        long sigterm = System.nanoTime();
        process.destroy(); // SIGTERM

        // Not ready at once, while new requests are still served during the unready delay.
        HttpClient fresh = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        HttpResponse<String> ready = null;
        for (int i = 0; i < 40; i++) {
          ready = fresh.send(health(port), HttpResponse.BodyHandlers.ofString());
          if (ready.statusCode() == 503) {
            break;
          }
          Thread.sleep(25); // the JVM is still starting its shutdown hook
        }
        assertThat(ready.statusCode()).isEqualTo(503);
        assertThat(ApiJson.tree(ready.body()).path("status").asText()).isEqualTo("draining");
        assertThat(msSince(sigterm)).as("still accepting").isLessThan(UNREADY_DELAY_MS);

        // Then no new connection is accepted.
        boolean refused = false;
        for (int i = 0; i < 60 && !refused; i++) {
          refused = refused(port);
          Thread.sleep(50);
        }
        assertThat(refused).as("new connections refused after the unready delay").isTrue();

        // Within the drain time: complete.
        HttpResponse<String> answered = plain.get(10, TimeUnit.SECONDS);
        assertThat(answered.statusCode()).as(answered.body()).isEqualTo(200);
        quick.thread.join(10_000);
        assertThat(quick.last()).isEqualTo("[DONE]");
        assertThat(quick.lines).noneMatch(l -> l.contains("\"error\""));

        // Beyond it: the in-band error chunk, no [DONE].
        slow.thread.join(15_000);
        assertThat(msSince(sigterm))
            .as("the slow stream was ended at the drain time, not at its own end")
            .isBetween(UNREADY_DELAY_MS + DRAIN_MS - 200, UNREADY_DELAY_MS + DRAIN_MS + 6_000);
        assertThat(slow.lines).doesNotContain("[DONE]");
        JsonNode last = ApiJson.tree(slow.last());
        assertThat(last.path("error").path("code").asInt())
            .as("last chunk %s; gateway log:%n%s", slow.last(), Files.readString(log))
            .isEqualTo(503);
        assertThat(last.path("error").path("message").asText())
            .isEqualTo("The gateway is shutting down and its drain time of 4000 ms is over");
        assertThat(last.path("choices").path(0).path("finish_reason").asText()).isEqualTo("error");
        assertThat(slow.lines.size()).as("tokens before the cut").isGreaterThan(2);

        assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("stopped").isTrue();
        String output = Files.readString(log);
        assertThat(output).contains("ended 1 requests still in flight");
        assertThat(output).contains("generation records drained");

        // Every one was recorded.
        try (TestGateway again = TestGateway.start(data)) {
          JsonNode cut = record(again, ApiJson.tree(slow.lines.getFirst()).path("id"), key);
          assertThat(cut.path("streamed").asBoolean()).isTrue();
          assertThat(cut.path("finish_reason").asText()).isEqualTo("error");
          JsonNode done = record(again, ApiJson.tree(quick.lines.getFirst()).path("id"), key);
          assertThat(done.path("finish_reason").asText()).isIn("stop", "length");
          String plainId = answered.headers().firstValue("x-generation-id").orElseThrow();
          assertThat(
                  record(again, new com.fasterxml.jackson.databind.node.TextNode(plainId), key)
                      .path("finish_reason")
                      .asText())
              .isIn("stop", "length");
        }
      } finally {
        process.destroyForcibly();
      }
    }
  }

  /** Whether a new connection is refused or closed before any answer. */
  private static boolean refused(int port) {
    try (RawSocket s = RawSocket.open(port)) {
      s.send("GET /health/ready HTTP/1.1\r\nHost: x\r\n\r\n");
      s.socket.setSoTimeout(1_000);
      return s.socket.getInputStream().read() < 0;
    } catch (java.net.SocketTimeoutException accepted) {
      return false;
    } catch (IOException refusedOrReset) {
      return true;
    }
  }

  private static JsonNode record(TestGateway gw, JsonNode id, String key) throws Exception {
    HttpResponse<String> r = gw.get("/generation?id=" + id.asText(), key);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return ApiJson.tree(r.body()).path("data");
  }

  private static String yaml(Simulator sim) {
    return """
        server:
          drain-timeout-ms: %d
          unready-delay-ms: %d
        providers:
          quick: {name: Quick, profile: openai, base-url: "%s", api-key: test}
          slow: {name: Slow, profile: openai, base-url: "%s", api-key: test}
        catalog:
          include-defaults: false
          models:
            - id: test/quick
              context-length: 8192
              endpoints:
                - {provider: quick, upstream-model: q, pricing: {prompt: "0.000001", completion: "0.000002"}}
            - id: test/slow
              context-length: 8192
              endpoints:
                - {provider: slow, upstream-model: s, pricing: {prompt: "0.000001", completion: "0.000002"}}
        """
        .formatted(DRAIN_MS, UNREADY_DELAY_MS, sim.baseUrl("quick"), sim.baseUrl("slow"));
  }

  private static Process start(Path config, Path data, int port, Path log) throws IOException {
    String java = ProcessHandle.current().info().command().orElse("java");
    ProcessBuilder pb =
        new ProcessBuilder(
                java,
                "-cp",
                System.getProperty("java.class.path"),
                "dev.switchboard.server.Main",
                "serve",
                "--config",
                config.toString(),
                "--port",
                Integer.toString(port),
                "--data-dir",
                data.toString())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    pb.environment().put("SWITCHBOARD_MASTER_KEY", TestGateway.MASTER_KEY);
    return pb.start();
  }

  private static String createKey(HttpClient http, String base) throws Exception {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(URI.create(base + "/keys"))
                .header("Authorization", "Bearer " + TestGateway.MASTER_KEY)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"drain\"}"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    return ApiJson.tree(r.body()).path("key").asText();
  }

  private static HttpRequest post(String base, String key, String body) {
    return HttpRequest.newBuilder(URI.create(base + "/chat/completions"))
        .header("Authorization", "Bearer " + key)
        .header("Content-Type", "application/json")
        .timeout(Duration.ofSeconds(60))
        .POST(HttpRequest.BodyPublishers.ofString(body))
        .build();
  }

  private static HttpRequest health(int port) {
    return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health/ready"))
        .timeout(Duration.ofSeconds(5))
        .build();
  }

  private static void waitUntilReady(HttpClient http, int port, Process p, Path log)
      throws Exception {
    for (int i = 0; i < 600; i++) {
      if (!p.isAlive()) {
        throw new AssertionError("gateway exited early:\n" + Files.readString(log));
      }
      try {
        if (http.send(health(port), HttpResponse.BodyHandlers.ofString()).statusCode() == 200) {
          return;
        }
      } catch (IOException notYet) {
        // still starting
      }
      Thread.sleep(100);
    }
    throw new AssertionError("gateway did not start:\n" + Files.readString(log));
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  private static long msSince(long t0) {
    return (System.nanoTime() - t0) / 1_000_000;
  }
}
