package dev.switchboard.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.api.json.ApiJson;
import dev.switchboard.simulator.Fault;
import dev.switchboard.simulator.Latency;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code /embeddings} passes the vectors through as the upstream's body arrives: the client's
 * answer starts before the upstream has finished, a body cut after the first vectors went out
 * breaks the client's connection off (never a short list that looks whole) and the generation
 * record says so, and a cut before the first vector still falls back.
 */
class EmbeddingsPassThroughIT {

  @RegisterExtension static final TestGateway gw = TestGateway.perClass();

  static final String OPENAI = "openai/text-embedding-3-small";
  static final String GEMINI = "google/gemini-embedding-001";

  private static final HttpClient HTTP =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  private static String batch(String model, int n, int dims, boolean base64, String extra) {
    StringBuilder b = new StringBuilder("{\"model\":\"" + model + "\",\"input\":[");
    for (int i = 0; i < n; i++) {
      b.append(i > 0 ? "," : "").append("\"input number ").append(i).append('"');
    }
    b.append("],\"dimensions\":").append(dims);
    if (base64) {
      b.append(",\"encoding_format\":\"base64\"");
    }
    return b.append(extra).append('}').toString();
  }

  private static HttpResponse<InputStream> open(String body) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create(gw.base() + "/embeddings"))
            .timeout(Duration.ofSeconds(30))
            .header("Authorization", "Bearer " + TestGateway.KEY)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofInputStream());
  }

  @ParameterizedTest
  @CsvSource({"openai, " + OPENAI + ", false", "google-ai-studio, " + GEMINI + ", true"})
  void aLargeBatchReachesTheClientWhileTheUpstreamIsStillSending(
      String provider, String model, boolean base64) throws Exception {
    // 100 vectors of 512 floats: 0.3 to 0.6 MB, sent by the simulator in 16 KB pieces, 50 ms
    // apart: one to two seconds in all.
    // One unpaced batch first, so that the timed one does not pay the first request's warm-up.
    try (InputStream warm = open(batch(model, 100, 512, base64, "")).body()) {
      warm.readAllBytes();
    }
    gw.simulator().setLatency(provider, new Latency(0, 20));
    long start = System.nanoTime();
    // Only the paced provider: routing may otherwise pick another endpoint of the model.
    String only = ",\"provider\":{\"order\":[\"" + provider + "\"],\"allow_fallbacks\":false}";
    HttpResponse<InputStream> res = open(batch(model, 100, 512, base64, only));
    assertThat(res.statusCode()).isEqualTo(200);
    byte[] body;
    long firstMs;
    try (InputStream in = res.body()) {
      int first = in.read();
      firstMs = (System.nanoTime() - start) / 1_000_000;
      byte[] rest = in.readAllBytes();
      body = new byte[rest.length + 1];
      body[0] = (byte) first;
      System.arraycopy(rest, 0, body, 1, rest.length);
    }
    long totalMs = (System.nanoTime() - start) / 1_000_000;
    // The first bytes came while the upstream was still sending (at least six of its pieces
    // before the end): the gateway did not hold the body.
    assertThat(totalMs).isGreaterThan(700);
    assertThat(firstMs).isLessThan(totalMs - 300);

    JsonNode root = ApiJson.tree(body);
    assertThat(root.path("object").asText()).isEqualTo("list");
    assertThat(root.path("data")).hasSize(100);
    for (int i = 0; i < 100; i++) {
      JsonNode item = root.path("data").get(i);
      assertThat(item.path("index").asInt()).isEqualTo(i);
      if (base64) {
        byte[] raw = Base64.getDecoder().decode(item.path("embedding").asText());
        assertThat(raw).hasSize(512 * 4);
        double sum = 0;
        ByteBuffer buf = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
        for (int k = 0; k < 512; k++) {
          float f = buf.getFloat();
          sum += f * f;
        }
        assertThat(Math.sqrt(sum)).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-3));
      } else {
        assertThat(item.path("embedding")).hasSize(512);
      }
    }
    assertThat(root.path("usage").path("prompt_tokens").asLong()).isPositive();
    assertThat(root.path("usage").path("cost").decimalValue()).isPositive();
    // usage is the last field but the metadata: written once the upstream's body ended
    var names = root.fieldNames();
    String last = null;
    while (names.hasNext()) {
      last = names.next();
    }
    assertThat(last).isEqualTo("usage");
  }

  @Test
  void anUpstreamCutMidBodyBreaksTheAnswerOffAndTheRecordSaysSo() throws Exception {
    gw.simulator().addFault("openai", new Fault.Cut(3, 1));
    HttpResponse<InputStream> res =
        open(batch(OPENAI, 100, 512, false, ",\"provider\":{\"order\":[\"openai\",\"azure\"]}"));
    assertThat(res.statusCode()).isEqualTo(200);
    String id = res.headers().firstValue("x-generation-id").orElseThrow();
    try (InputStream in = res.body()) {
      assertThatThrownBy(in::readAllBytes).isInstanceOf(IOException.class);
    }
    JsonNode record = null;
    for (int i = 0; i < 50; i++) {
      HttpResponse<String> r = gw.get("/generation?id=" + id, TestGateway.KEY);
      if (r.statusCode() == 200) {
        record = ApiJson.tree(r.body()).path("data");
        break;
      }
      Thread.sleep(100);
    }
    assertThat(record).as("the generation record").isNotNull();
    assertThat(record.path("finish_reason").asText()).isEqualTo("error");
    // No fallback after the first vectors went out: one attempt, a bad response.
    assertThat(record.path("provider_responses")).hasSize(1);
    assertThat(record.path("provider_responses").get(0).path("failure_class").asText())
        .isEqualTo("UPSTREAM_BAD_RESPONSE");
  }

  @Test
  void anUpstreamCutBeforeTheFirstVectorFallsBack() throws Exception {
    gw.simulator().addFault("openai", new Fault.Cut(0, 1));
    HttpResponse<String> res =
        gw.post(
            "/embeddings",
            batch(OPENAI, 3, 64, false, ",\"provider\":{\"order\":[\"openai\",\"azure\"]}"),
            TestGateway.KEY,
            "application/json");
    assertThat(res.statusCode()).isEqualTo(200);
    JsonNode body = ApiJson.tree(res.body());
    assertThat(body.path("provider").asText()).isEqualTo("Azure");
    assertThat(body.path("data")).hasSize(3);
  }
}
