package dev.switchboard.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.api.json.ApiJson;
import dev.switchboard.server.config.GatewayConfig;
import dev.switchboard.simulator.Fault;
import dev.switchboard.simulator.Latency;
import dev.switchboard.sse.SseEvent;
import dev.switchboard.sse.SseReader;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Routing through the gateway against the simulator's scripted faults and latencies. */
class RoutingIT {

  @RegisterExtension
  static final TestGateway gw =
      TestGateway.perClass(new GatewayConfig.RoutingConfig(false, null, 1, 1_000, 400));

  static String sonnet(String extra) {
    return "{\"model\":\"anthropic/claude-sonnet-4\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]"
        + (extra.isEmpty() ? "" : "," + extra)
        + "}";
  }

  static final String BY_PRICE = "\"provider\":{\"sort\":\"price\"}";

  static JsonNode ok(HttpResponse<String> r) throws Exception {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return ApiJson.tree(r.body());
  }

  static void streamOk(HttpResponse<String> r) {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(r.body()).endsWith("data: [DONE]\n\n");
  }

  static JsonNode record(String id) throws Exception {
    return ok(gw.get("/generation?id=" + id, TestGateway.KEY)).path("data");
  }

  static HttpResponse<String> chatWithMetadata(String body) throws Exception {
    return chatWithMetadata(gw, body);
  }

  static HttpResponse<String> chatWithMetadata(TestGateway gw, String body) throws Exception {
    return gw.http.send(
        HttpRequest.newBuilder(URI.create(gw.base() + "/chat/completions"))
            .header("Authorization", "Bearer " + TestGateway.KEY)
            .header("Content-Type", "application/json")
            .header("X-OpenRouter-Metadata", "enabled")
            .timeout(Duration.ofSeconds(20))
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void eachUpstreamFailureBeforeTheFirstByteIsRoutedAround() throws Exception {
    List<Fault> faults =
        List.of(
            new Fault.Status(429, null, Map.of(), 1),
            new Fault.Status(500, null, Map.of(), 1),
            new Fault.Status(503, null, Map.of(), 1),
            new Fault.Status(529, null, Map.of(), 1),
            new Fault.Cut(0, 1));
    for (Fault fault : faults) {
      gw.simulator().addFault("anthropic", fault);
      for (String body : List.of(sonnet(BY_PRICE), sonnet(BY_PRICE + ",\"stream\":true"))) {
        gw.simulator().clearFaults();
        gw.simulator().addFault("anthropic", fault);
        HttpResponse<String> r = gw.chat(body);
        assertThat(r.statusCode()).as(fault + " " + r.body()).isEqualTo(200);
        String id = r.headers().firstValue("x-generation-id").orElseThrow();
        JsonNode rec = record(id);
        assertThat(rec.path("provider_name").asText())
            .as(fault.toString())
            .isEqualTo("Amazon Bedrock");
        assertThat(rec.path("provider_responses")).hasSize(2);
      }
    }
  }

  @Test
  void upstreamTimeoutIsRoutedAround() throws Exception {
    gw.simulator().addFault("anthropic", new Fault.Timeout(0, 1));
    JsonNode body = ok(gw.chat(sonnet(BY_PRICE)));
    assertThat(body.path("provider").asText()).isEqualTo("Amazon Bedrock");
  }

  @Test
  void metadataHeaderExplainsTheRoute() throws Exception {
    gw.simulator().addFault("anthropic", new Fault.Status(503, null, Map.of(), 1));
    JsonNode body =
        ok(
            chatWithMetadata(
                sonnet("\"provider\":{\"sort\":\"price\",\"ignore\":[\"gcp-vertex\"]}")));
    JsonNode meta = body.path("openrouter_metadata");
    assertThat(meta.path("requested").asText()).isEqualTo("anthropic/claude-sonnet-4");
    assertThat(meta.path("attempts")).hasSize(2);
    assertThat(meta.path("attempts").get(0).path("status").asInt()).isEqualTo(503);
    assertThat(meta.path("attempts").get(0).path("failure_class").asText())
        .isEqualTo("UPSTREAM_OVERLOADED");
    assertThat(meta.path("endpoints").path("available").toString()).contains("\"selected\":true");
    assertThat(meta.path("trace").toString()).contains("\"excluded\":\"in provider.ignore\"");
    assertThat(ok(gw.chat(sonnet(BY_PRICE))).has("openrouter_metadata")).isFalse();

    HttpResponse<String> stream = chatWithMetadata(sonnet(BY_PRICE + ",\"stream\":true"));
    List<SseEvent> events = new ArrayList<>();
    SseReader.create(events::add).feed(stream.body());
    JsonNode last = ApiJson.tree(events.get(events.size() - 2).data());
    assertThat(last.has("usage")).isTrue();
    assertThat(last.path("openrouter_metadata").path("strategy").asText()).isEqualTo("sort:price");
  }

  @Test
  void endpointStatsMoveWhenTheSimulatorsLatencyChanges() throws Exception {
    String body = sonnet("\"stream\":true,\"provider\":{\"order\":[\"gcp-vertex\"]}");
    for (int i = 0; i < 5; i++) {
      streamOk(gw.chat(body));
    }
    JsonNode before = vertexEndpoint();
    assertThat(before.path("uptime_last_30m").asDouble()).isEqualTo(100.0);
    assertThat(before.path("latency_last_30m").path("p50").asDouble()).isLessThan(0.25);
    gw.simulator().setLatency("gcp-vertex", new Latency(400, 0));
    for (int i = 0; i < 12; i++) {
      streamOk(gw.chat(body));
    }
    JsonNode after = vertexEndpoint();
    assertThat(after.path("latency_last_30m").path("p90").asDouble()).isGreaterThanOrEqualTo(0.35);
    assertThat(after.path("latency_last_30m").path("p50").asDouble())
        .isGreaterThan(before.path("latency_last_30m").path("p50").asDouble());
    assertThat(after.path("throughput_last_30m").path("p50").isNumber()).isTrue();
  }

  private static JsonNode vertexEndpoint() throws Exception {
    JsonNode endpoints =
        ok(gw.get("/models/anthropic/claude-sonnet-4/endpoints", null))
            .path("data")
            .path("endpoints");
    for (JsonNode e : endpoints) {
      if (e.path("tag").asText().equals("gcp-vertex")) {
        return e;
      }
    }
    throw new AssertionError("no gcp-vertex endpoint in " + endpoints);
  }

  @Test
  void nonStreamingCallsAloneFeedThroughputSoNitroPicksTheFasterEndpoint() throws Exception {
    // Together is the cheaper endpoint, so without throughput data :nitro would pick it first.
    gw.simulator().setLatency("together", new Latency(0, 40));
    gw.simulator().setLatency("minimax", new Latency(0, 400));
    for (String provider : List.of("together", "minimax")) {
      for (int i = 0; i < 3; i++) {
        ok(gw.chat(minimax("", "\"provider\":{\"only\":[\"" + provider + "\"]}")));
      }
    }
    JsonNode together = endpoint("minimax/minimax-m2.1", "together");
    JsonNode minimax = endpoint("minimax/minimax-m2.1", "minimax");
    assertThat(together.path("throughput_last_30m").path("p50").asDouble()).isBetween(20.0, 45.0);
    assertThat(minimax.path("throughput_last_30m").path("p50").asDouble()).isGreaterThan(100.0);
    assertThat(together.path("latency_last_30m").path("p50").asDouble()).isGreaterThan(0.3);

    JsonNode nitro = ok(gw.chat(minimax(":nitro", "")));
    assertThat(nitro.path("provider").asText()).isEqualTo("MiniMax");
    JsonNode sorted = ok(gw.chat(minimax("", "\"provider\":{\"sort\":\"throughput\"}")));
    assertThat(sorted.path("provider").asText()).isEqualTo("MiniMax");
  }

  static String minimax(String variant, String extra) {
    return "{\"model\":\"minimax/minimax-m2.1"
        + variant
        + "\",\"max_tokens\":20,\"messages\":[{\"role\":\"user\",\"content\":\"Tell me a long story\"}]"
        + (extra.isEmpty() ? "" : "," + extra)
        + "}";
  }

  private static JsonNode endpoint(String model, String tag) throws Exception {
    JsonNode endpoints =
        ok(gw.get("/models/" + model + "/endpoints", null)).path("data").path("endpoints");
    for (JsonNode e : endpoints) {
      if (e.path("tag").asText().equals(tag)) {
        return e;
      }
    }
    throw new AssertionError("no " + tag + " endpoint in " + endpoints);
  }

  @Test
  void hedgeWinsWhenTheFirstProviderIsSlow() throws Exception {
    gw.simulator().setLatency("anthropic", new Latency(2_500, 0));
    long t0 = System.nanoTime();
    HttpResponse<String> r =
        gw.chat(
            sonnet(
                "\"stream\":true,\"provider\":{\"order\":[\"anthropic\",\"aws-bedrock\"],"
                    + "\"hedge\":{\"delay_ms\":150}}"));
    long ms = (System.nanoTime() - t0) / 1_000_000;
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(ms).isLessThan(2_000);
    JsonNode rec = record(r.headers().firstValue("x-generation-id").orElseThrow());
    assertThat(rec.path("provider_name").asText()).isEqualTo("Amazon Bedrock");
    assertThat(rec.path("provider_responses").toString()).contains("lost the hedge race");
  }

  @Test
  void hedgeIsNotStartedWhenTheFirstProviderIsFast() throws Exception {
    HttpResponse<String> r =
        gw.chat(
            sonnet(
                "\"provider\":{\"order\":[\"anthropic\",\"aws-bedrock\"],\"hedge\":{\"delay_ms\":800}}"));
    JsonNode rec = record(ok(r).path("id").asText());
    assertThat(rec.path("provider_name").asText()).isEqualTo("Anthropic");
    assertThat(rec.path("provider_responses")).hasSize(1);
  }

  @Test
  void retryAfterIsHonouredOnTheOnlyCandidate() throws Exception {
    gw.simulator().addFault("xiaomi", new Fault.Status(429, null, Map.of("Retry-After", "1"), 1));
    long t0 = System.nanoTime();
    JsonNode body =
        ok(
            gw.chat(
                "{\"model\":\"xiaomi/mimo-v2-flash:free\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}"));
    assertThat((System.nanoTime() - t0) / 1_000_000).isGreaterThanOrEqualTo(900);
    assertThat(record(body.path("id").asText()).path("provider_responses")).hasSize(2);
  }

  @Test
  void contextLengthErrorMovesToTheNextModel() throws Exception {
    gw.simulator()
        .addFault(
            "xiaomi",
            new Fault.Status(
                400,
                "{\"error\":{\"message\":\"This model's maximum context length is 8192 tokens.\","
                    + "\"type\":\"invalid_request_error\",\"param\":\"messages\",\"code\":\"context_length_exceeded\"}}",
                Map.of(),
                1));
    JsonNode body =
        ok(
            gw.chat(
                "{\"model\":\"xiaomi/mimo-v2-flash:free\",\"models\":[\"nvidia/nemotron-3-nano:free\"],"
                    + "\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}"));
    assertThat(body.path("model").asText()).isEqualTo("nvidia/nemotron-3-nano:free");
  }

  @Test
  void stickySessionKeepsTheConversationOnOneProvider() throws Exception {
    ok(gw.chat(sonnet("\"session_id\":\"conv-1\",\"provider\":{\"order\":[\"anthropic\"]}")));
    for (int i = 0; i < 10; i++) {
      assertThat(ok(gw.chat(sonnet("\"session_id\":\"conv-1\""))).path("provider").asText())
          .isEqualTo("Anthropic");
    }
  }

  @Test
  void variantsAndAliasesResolveToTheConcreteModel() throws Exception {
    assertThat(ok(gw.chat(sonnet(""))).path("model").asText())
        .isEqualTo("anthropic/claude-sonnet-4");
    JsonNode floor =
        ok(
            gw.chat(
                sonnet("")
                    .replace("anthropic/claude-sonnet-4", "anthropic/claude-sonnet-4:floor")));
    assertThat(floor.path("model").asText()).isEqualTo("anthropic/claude-sonnet-4");
    assertThat(floor.path("provider").asText()).isEqualTo("Anthropic");
    JsonNode alias =
        ok(
            gw.chat(
                sonnet("")
                    .replace("anthropic/claude-sonnet-4", "~anthropic/claude-sonnet-latest")));
    // The newest Sonnet of the shipped catalog.
    assertThat(alias.path("model").asText()).isEqualTo("anthropic/claude-sonnet-5.5");
  }

  @Test
  void fallbackCrossesDialectsFromAnthropicToGemini() throws Exception {
    for (String p : List.of("anthropic", "aws-bedrock", "gcp-vertex")) {
      gw.simulator().addFault(p, new Fault.Status(503, null, Map.of(), 0));
    }
    String body =
        sonnet(
            "\"models\":[\"google/gemini-3-flash-preview\"],\"provider\":{\"only\":[\"anthropic\",\"aws-bedrock\",\"google-ai-studio\"]}");
    JsonNode plain = ok(gw.chat(body));
    assertThat(plain.path("model").asText()).isEqualTo("google/gemini-3-flash-preview");
    assertThat(plain.path("provider").asText()).isEqualTo("Google AI Studio");
    assertThat(gw.simulator().lastRequest("google-ai-studio").orElseThrow().path())
        .contains(":generateContent");
    HttpResponse<String> stream = gw.chat(body.replace("{\"model\"", "{\"stream\":true,\"model\""));
    streamOk(stream);
    assertThat(stream.body()).contains("\"model\":\"google/gemini-3-flash-preview\"");
    JsonNode rec = record(stream.headers().firstValue("x-generation-id").orElseThrow());
    assertThat(rec.path("provider_responses")).hasSize(3);
  }

  @Test
  void noEndpointLeftIsA404ThatSaysWhy() throws Exception {
    HttpResponse<String> r = gw.chat(sonnet("\"provider\":{\"only\":[\"nobody\"]}"));
    assertThat(r.statusCode()).isEqualTo(404);
    assertThat(ApiJson.tree(r.body()).path("error").path("message").asText())
        .startsWith("No endpoints found");
  }

  @Test
  void quantizationsThatLeaveNothingSayWhichFilterExcludedThem() throws Exception {
    HttpResponse<String> r = gw.chat(sonnet("\"provider\":{\"quantizations\":[\"int4\"]}"));
    assertThat(r.statusCode()).isEqualTo(404);
    JsonNode error = ApiJson.tree(r.body()).path("error");
    assertThat(error.path("message").asText())
        .isEqualTo(
            "No endpoints found for anthropic/claude-sonnet-4 with the requested"
                + " provider.quantizations.");
    assertThat(error.path("metadata").path("excluded_by").toString())
        .isEqualTo("[\"quantization\"]");
  }
}
