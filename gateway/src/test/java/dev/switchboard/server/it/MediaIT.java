package dev.switchboard.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.switchboard.api.json.ApiJson;
import dev.switchboard.server.config.GatewayConfig;
import dev.switchboard.simulator.Fault;
import dev.switchboard.simulator.Latency;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Images by URL for a provider that needs the bytes (Gemini): fetched by the gateway and inlined,
 * but never from loopback or private addresses unless the configuration allows it; each URL once
 * per request whatever the attempts; within a per-request cap (413) and a process-wide memory
 * budget (503).
 */
class MediaIT {

  @TempDir static Path dir;
  static HttpServer images;
  static byte[] png;
  static final Map<String, byte[]> served = new ConcurrentHashMap<>();
  static final Map<String, AtomicInteger> fetches = new ConcurrentHashMap<>();

  @BeforeAll
  static void serveImages() throws Exception {
    png =
        Base64.getDecoder()
            .decode(
                "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4nGNgYGD4DwABBAEAwS2OUAAAAABJRU5ErkJggg==");
    served.put("/cat.png", png);
    served.put("/a.png", pngOf(40 * 1024, 1));
    served.put("/b.png", pngOf(40 * 1024, 2));
    served.put("/c.png", pngOf(40 * 1024, 3));
    served.put("/sixty.png", pngOf(60 * 1024, 4));
    served.put("/large.png", pngOf(300 * 1024 + 1, 5)); // several pieces, and base64 padding
    images = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    images.setExecutor(Executors.newFixedThreadPool(4));
    images.createContext(
        "/",
        exchange -> {
          String path = exchange.getRequestURI().getPath();
          fetches.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
          byte[] body = served.get(path);
          if (body == null) {
            exchange.sendResponseHeaders(404, -1);
          } else {
            exchange.getResponseHeaders().add("Content-Type", "image/png");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
          }
          exchange.close();
        });
    images.start();
  }

  @AfterAll
  static void stop() {
    images.stop(0);
    ((java.util.concurrent.ExecutorService) images.getExecutor()).shutdownNow();
  }

  /** {@code size} random bytes that start like a PNG. */
  static byte[] pngOf(int size, long seed) {
    byte[] b = new byte[size];
    new Random(seed).nextBytes(b);
    System.arraycopy(png, 0, b, 0, 8);
    return b;
  }

  static String url(String path) {
    return "http://127.0.0.1:" + images.getAddress().getPort() + path;
  }

  static int fetchCount(String path) {
    AtomicInteger n = fetches.get(path);
    return n == null ? 0 : n.get();
  }

  /** A Gemini request with one image part per path, and {@code provider} preferences. */
  static String body(String provider, boolean stream, String... paths) {
    StringBuilder parts = new StringBuilder("{\"type\":\"text\",\"text\":\"What is this?\"}");
    for (String p : paths) {
      parts
          .append(",{\"type\":\"image_url\",\"image_url\":{\"url\":\"")
          .append(url(p))
          .append("\"}}");
    }
    return "{\"model\":\"google/gemini-3-flash-preview\",\"stream\":"
        + stream
        + ",\"messages\":[{\"role\":\"user\",\"content\":["
        + parts
        + "]}],\"provider\":"
        + provider
        + "}";
  }

  static String body(String... paths) {
    return body("{\"only\":[\"google-ai-studio\"]}", false, paths);
  }

  /** Loopback allowed, with these limits. */
  static GatewayConfig.MediaConfig media(
      long maxRequestBytes, long maxTotalBytes, int threads, int queue) {
    return new GatewayConfig.MediaConfig(
        1024 * 1024, 5_000, true, false, maxRequestBytes, maxTotalBytes, threads, queue);
  }

  static JsonNode error(HttpResponse<String> r, int status) throws Exception {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
    JsonNode e = ApiJson.tree(r.body()).path("error");
    assertThat(e.path("code").asInt()).isEqualTo(status);
    return e;
  }

  @Test
  void loopbackImageUrlsAreRefusedByDefault() throws Exception {
    try (TestGateway gw = TestGateway.start(dir.resolve("strict"))) {
      HttpResponse<String> r = gw.chat(body("/cat.png"));
      assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
      assertThat(ApiJson.tree(r.body()).path("error").path("message").asText())
          .contains("public addresses");
      assertThat(gw.simulator().requestCount("google-ai-studio")).isZero();
    }
  }

  @Test
  void allowedImageUrlsAreFetchedAndSentInline() throws Exception {
    try (TestGateway gw =
        TestGateway.startWith(
            dir.resolve("open"), c -> c.withMedia(c.media().withLoopback(true)))) {
      HttpResponse<String> r = gw.chat(body("/cat.png"));
      assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
      JsonNode sent = gw.simulator().lastRequest("google-ai-studio").orElseThrow().json();
      String inline = sent.toString();
      assertThat(inline).contains("image/png").contains(Base64.getEncoder().encodeToString(png));
      assertThat(inline).doesNotContain("SBMEDIA");
    }
  }

  @Test
  void largeMediaReachTheUpstreamIntactStreamedOrNot() throws Exception {
    try (TestGateway gw =
        TestGateway.startWith(
            dir.resolve("large"), c -> c.withMedia(c.media().withLoopback(true)))) {
      String expected = Base64.getEncoder().encodeToString(served.get("/large.png"));
      for (boolean stream : new boolean[] {false, true}) {
        HttpResponse<String> r =
            gw.chat(body("{\"only\":[\"google-ai-studio\"]}", stream, "/large.png", "/cat.png"));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        String sent =
            gw.simulator().lastRequest("google-ai-studio").orElseThrow().json().toString();
        assertThat(sent)
            .contains("\"" + expected + "\"")
            .contains("\"" + Base64.getEncoder().encodeToString(png) + "\"")
            .doesNotContain("SBMEDIA");
      }
      awaitReleased(gw);
    }
  }

  @Test
  void aUrlIsFetchedOnceWhenTheRequestFailsOverToAnotherEndpoint() throws Exception {
    try (TestGateway gw =
        TestGateway.startWith(
            dir.resolve("failover"), c -> c.withMedia(c.media().withLoopback(true)))) {
      gw.simulator().addFault("google-ai-studio", new Fault.Status(503, null, Map.of(), 1));
      int before = fetchCount("/a.png");
      HttpResponse<String> r =
          gw.chat(
              body(
                  "{\"order\":[\"google-ai-studio\",\"gcp-vertex\"],\"allow_fallbacks\":true}",
                  false,
                  "/a.png",
                  "/a.png"));
      assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
      assertThat(ApiJson.tree(r.body()).path("provider").asText()).isEqualTo("Google Vertex");
      assertThat(gw.simulator().requestCount("google-ai-studio")).isEqualTo(1);
      assertThat(gw.simulator().lastRequest("gcp-vertex").orElseThrow().json().toString())
          .contains(Base64.getEncoder().encodeToString(served.get("/a.png")));
      assertThat(fetchCount("/a.png") - before).as("fetches of the image").isEqualTo(1);
    }
  }

  @Test
  void mediaOverTheRequestCapAre413NamingTheCap() throws Exception {
    try (TestGateway gw =
        TestGateway.startWith(
            dir.resolve("cap"), c -> c.withMedia(media(100 * 1024, 10L << 20, 4, 16)))) {
      JsonNode e = error(gw.chat(body("/a.png", "/b.png", "/c.png")), 413);
      assertThat(e.path("message").asText())
          .contains("media.max-request-bytes")
          .contains("102400 bytes per request");
      assertThat(gw.simulator().requestCount("google-ai-studio")).isZero();
      awaitReleased(gw);
      // Under the cap the same gateway serves.
      assertThat(gw.chat(body("/a.png", "/b.png")).statusCode()).isEqualTo(200);
    }
  }

  @Test
  void requestsOverTheProcessBudgetGet503ThenTheGatewayServesAgain() throws Exception {
    try (TestGateway gw =
        TestGateway.startWith(
            dir.resolve("budget"), c -> c.withMedia(media(100 * 1024, 100 * 1024, 4, 16)))) {
      // The first request holds its 60 KiB while its (slow) upstream answers.
      gw.simulator().setLatency("google-ai-studio", Latency.of(1_500, 0));
      CompletableFuture<HttpResponse<String>> first =
          gw.http.sendAsync(
              chatRequest(gw, body("/sixty.png")), HttpResponse.BodyHandlers.ofString());
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
      while (gw.gateway.services().media().heldBytes() == 0 && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
      assertThat(gw.gateway.services().media().heldBytes()).isEqualTo(60 * 1024);

      HttpResponse<String> second = gw.chat(body("/sixty.png"));
      JsonNode e = error(second, 503);
      assertThat(e.path("message").asText())
          .contains("memory budget")
          .contains("media.max-total-bytes")
          .contains("retry shortly");
      assertThat(second.headers().firstValue("retry-after")).hasValue("1");

      assertThat(first.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
      gw.simulator().clearLatency("google-ai-studio");
      awaitReleased(gw);
      HttpResponse<String> third = gw.chat(body("/sixty.png"));
      assertThat(third.statusCode()).as(third.body()).isEqualTo(200);
      awaitReleased(gw);
    }
  }

  /** The media bytes go back when the response ends, just after the client has it. */
  static void awaitReleased(TestGateway gw) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
    while (gw.gateway.services().media().heldBytes() != 0 && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    assertThat(gw.gateway.services().media().heldBytes()).as("media bytes held").isZero();
  }

  static java.net.http.HttpRequest chatRequest(TestGateway gw, String body) {
    return java.net.http.HttpRequest.newBuilder(
            java.net.URI.create(gw.base() + "/chat/completions"))
        .timeout(Duration.ofSeconds(20))
        .header("Authorization", "Bearer " + TestGateway.KEY)
        .header("Content-Type", "application/json")
        .POST(java.net.http.HttpRequest.BodyPublishers.ofString(body))
        .build();
  }
}
