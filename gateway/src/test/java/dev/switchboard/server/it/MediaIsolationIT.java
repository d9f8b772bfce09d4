package dev.switchboard.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.api.json.ApiJson;
import dev.switchboard.server.config.GatewayConfig;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Media fetching runs on its own bounded pool: a flood of media URLs that never answer neither
 * holds up authentication, key management and {@code /generation}, nor queues without bound.
 */
class MediaIsolationIT {

  @TempDir Path dir;

  static final int SILENT_REQUESTS = 24; // more than Vert.x's 20 worker threads
  static final long MEDIA_TIMEOUT_MS = 4_000;
  static final long BOUND_MS = 1_500;
  static final String TEXT =
      "{\"model\":\"openai/gpt-5.3-codex\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

  @Test
  void mediaUrlsThatNeverAnswerDoNotHoldUpKeysAuthOrGenerations() throws Exception {
    List<Socket> held = new CopyOnWriteArrayList<>();
    try (ServerSocket silent = new ServerSocket(0, 100, InetAddress.getLoopbackAddress());
        TestGateway gw =
            TestGateway.startWith(
                dir,
                c ->
                    c.withMedia(
                        new GatewayConfig.MediaConfig(
                            1024 * 1024,
                            MEDIA_TIMEOUT_MS,
                            true,
                            false,
                            10L << 20,
                            10L << 20,
                            2,
                            2)))) {
      Thread acceptor =
          Thread.ofVirtual()
              .start(
                  () -> {
                    try {
                      while (true) {
                        held.add(silent.accept()); // accepts, never answers
                      }
                    } catch (IOException e) {
                      // closed at the end of the test
                    }
                  });
      // Warm up what the measured calls use, so that they measure waiting, not a cold start.
      assertThat(gw.chat(TEXT).statusCode()).isEqualTo(200);
      assertThat(gw.get("/keys", TestGateway.MASTER_KEY).statusCode()).isEqualTo(200);

      String image = "http://127.0.0.1:" + silent.getLocalPort() + "/never.png";
      String body =
          "{\"model\":\"google/gemini-3-flash-preview\",\"messages\":[{\"role\":\"user\",\"content\":["
              + "{\"type\":\"image_url\",\"image_url\":{\"url\":\""
              + image
              + "\"}}]}],\"provider\":{\"only\":[\"google-ai-studio\"]}}";
      List<CompletableFuture<HttpResponse<String>>> flood = new ArrayList<>();
      List<Long> answeredAfterMs = new CopyOnWriteArrayList<>();
      long floodStart = System.nanoTime();
      for (int i = 0; i < SILENT_REQUESTS; i++) {
        flood.add(
            gw.http
                .sendAsync(chat(gw, body, TestGateway.KEY), HttpResponse.BodyHandlers.ofString())
                .whenComplete((r, err) -> answeredAfterMs.add(ms(floodStart))));
      }
      // Wait until the flood holds every thread it can get: each fetch that runs holds a silent
      // connection (the media pool's 2, or, without a pool of its own, all 20 Vert.x workers); the
      // rest wait in a queue or were turned away.
      long settle = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (held.size() + answeredAfterMs.size() < 20 && System.nanoTime() < settle) {
        Thread.sleep(10);
      }
      System.out.printf(
          "flood settled after %d ms: %d fetches hang, %d requests answered%n",
          ms(floodStart), held.size(), answeredAfterMs.size());

      long t = System.nanoTime();
      HttpResponse<String> created =
          gw.send("POST", "/keys", "{\"name\":\"during the flood\"}", TestGateway.MASTER_KEY);
      long createMs = ms(t);
      assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
      String key = ApiJson.tree(created.body()).path("key").asText();

      t = System.nanoTime();
      HttpResponse<String> firstUse = gw.post("/chat/completions", TEXT, key, "application/json");
      long firstUseMs = ms(t);
      assertThat(firstUse.statusCode()).as(firstUse.body()).isEqualTo(200);
      String generation = ApiJson.tree(firstUse.body()).path("id").asText();

      t = System.nanoTime();
      HttpResponse<String> list = gw.get("/keys", TestGateway.MASTER_KEY);
      long listMs = ms(t);
      assertThat(list.statusCode()).isEqualTo(200);

      t = System.nanoTime();
      HttpResponse<String> record = gw.get("/generation?id=" + generation, key);
      long generationMs = ms(t);
      assertThat(record.statusCode()).isIn(200, 404); // answered, whether or not written yet

      System.out.printf(
          "during the media flood: key creation %d ms, first use %d ms, GET /keys %d ms,"
              + " /generation %d ms%n",
          createMs, firstUseMs, listMs, generationMs);
      assertThat(createMs).as("key creation").isLessThan(BOUND_MS);
      assertThat(firstUseMs).as("a new key's first use").isLessThan(BOUND_MS);
      assertThat(listMs).as("GET /keys").isLessThan(BOUND_MS);
      assertThat(generationMs).as("GET /generation").isLessThan(BOUND_MS);

      // Beyond the pool's 2 threads and 2 queued fetches, media requests are refused at once:
      // before any fetch that got a thread has timed out.
      List<HttpResponse<String>> answers = new ArrayList<>();
      for (CompletableFuture<HttpResponse<String>> f : flood) {
        answers.add(f.get(3 * MEDIA_TIMEOUT_MS + 5_000, TimeUnit.MILLISECONDS));
      }
      List<HttpResponse<String>> busy =
          answers.stream().filter(r -> r.statusCode() == 503).toList();
      assertThat(busy).hasSize(SILENT_REQUESTS - 4);
      JsonNode e = ApiJson.tree(busy.getFirst().body()).path("error");
      assertThat(e.path("message").asText()).contains("media.fetch-threads", "media.fetch-queue");
      assertThat(busy.getFirst().headers().firstValue("retry-after")).hasValue("1");
      assertThat(answers.stream().filter(r -> r.statusCode() == 400).toList())
          .hasSize(4)
          .allSatisfy(r -> assertThat(r.body()).contains("was not fetched within"));
      List<Long> times = answeredAfterMs.stream().sorted().toList();
      assertThat(times.get(SILENT_REQUESTS - 5))
          .as("the last refusal came before the first time-out")
          .isLessThan(times.get(SILENT_REQUESTS - 4));
      acceptor.interrupt();
    } finally {
      for (Socket s : held) {
        s.close();
      }
    }
  }

  static long ms(long startNanos) {
    return (System.nanoTime() - startNanos) / 1_000_000;
  }

  static HttpRequest chat(TestGateway gw, String body, String key) {
    return HttpRequest.newBuilder(URI.create(gw.base() + "/chat/completions"))
        .timeout(Duration.ofSeconds(30))
        .header("Authorization", "Bearer " + key)
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body))
        .build();
  }
}
