package dev.switchboard.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.switchboard.api.json.ApiJson;
import dev.switchboard.server.config.GatewayConfig;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Base64;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Images by URL for a provider that needs the bytes (Gemini): fetched by the gateway and inlined,
 * but never from loopback or private addresses unless the configuration allows it.
 */
class MediaIT {

  @TempDir static Path dir;
  static HttpServer images;
  static byte[] png;

  @BeforeAll
  static void serveAnImage() throws Exception {
    png =
        Base64.getDecoder()
            .decode(
                "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4nGNgYGD4DwABBAEAwS2OUAAAAABJRU5ErkJggg==");
    images = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    images.createContext(
        "/cat.png",
        exchange -> {
          exchange.getResponseHeaders().add("Content-Type", "image/png");
          exchange.sendResponseHeaders(200, png.length);
          exchange.getResponseBody().write(png);
          exchange.close();
        });
    images.start();
  }

  @AfterAll
  static void stop() {
    images.stop(0);
  }

  static String body() {
    String url = "http://127.0.0.1:" + images.getAddress().getPort() + "/cat.png";
    return "{\"model\":\"google/gemini-3-flash-preview\",\"messages\":[{\"role\":\"user\",\"content\":["
        + "{\"type\":\"text\",\"text\":\"What is this?\"},"
        + "{\"type\":\"image_url\",\"image_url\":{\"url\":\""
        + url
        + "\"}}]}],\"provider\":{\"only\":[\"google-ai-studio\"]}}";
  }

  @Test
  void loopbackImageUrlsAreRefusedByDefault() throws Exception {
    try (TestGateway gw = TestGateway.start(dir.resolve("strict"))) {
      HttpResponse<String> r = gw.chat(body());
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
            dir.resolve("open"),
            c -> c.withMedia(new GatewayConfig.MediaConfig(1024 * 1024, 5_000, true, false)))) {
      HttpResponse<String> r = gw.chat(body());
      assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
      JsonNode sent = gw.simulator().lastRequest("google-ai-studio").orElseThrow().json();
      String inline = sent.toString();
      assertThat(inline).contains("image/png").contains(Base64.getEncoder().encodeToString(png));
    }
  }
}
