package dev.switchboard.simulator;

import static dev.switchboard.simulator.SimClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.api.json.ApiJson;
import dev.switchboard.sse.SseEvent;
import dev.switchboard.sse.SseReader;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Gemini's routes, behaviours and the shared fault script, rendered in Gemini's shapes. */
class GeminiDialectIT {

  private static final String BASE = "/p/google-ai-studio/v1beta/models/gemini-3-flash-preview";
  private static final String GENERATE = BASE + ":generateContent";
  private static final String STREAM = BASE + ":streamGenerateContent?alt=sse";
  private static final String PLAIN =
      "{\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":\"Hello there, simulator\"}]}]}";
  private static final String WEATHER =
      "\"tools\":[{\"functionDeclarations\":[{\"name\":\"get_weather\",\"parametersJsonSchema\":"
          + "{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"},\"unit\":"
          + "{\"type\":\"string\",\"enum\":[\"c\",\"f\"]}},\"required\":[\"city\",\"unit\"]}},"
          + "{\"name\":\"get_time\",\"parameters\":{\"type\":\"OBJECT\",\"properties\":"
          + "{\"zone\":{\"type\":\"STRING\"}},\"required\":[\"zone\"]}}]}]";

  @RegisterExtension static final SimulatorExtension sim = SimulatorExtension.withEventLoops(1);

  private static HttpResponse<String> post(String path, String body) {
    return sim.client().send("POST", path, body, Duration.ofSeconds(10));
  }

  private static String with(String body, String member) {
    return body.substring(0, body.length() - 1) + "," + member + "}";
  }

  @Test
  void answersTextWithUsageThatAddsUp() {
    HttpResponse<String> response = post(GENERATE, PLAIN);

    assertThat(response.statusCode()).isEqualTo(200);
    JsonNode body = json(response.body());
    assertThat(body.at("/candidates/0/content/parts/0/text").asText())
        .startsWith("Simulated answer to: Hello there, simulator");
    assertThat(body.at("/candidates/0/finishReason").asText()).isEqualTo("STOP");
    assertThat(body.path("modelVersion").asText()).isEqualTo("gemini-3-flash-preview");
    JsonNode usage = body.path("usageMetadata");
    assertThat(usage.path("totalTokenCount").asInt())
        .isEqualTo(
            usage.path("promptTokenCount").asInt() + usage.path("candidatesTokenCount").asInt());
  }

  @Test
  void callsADeclaredFunctionWithArgumentsThatFitItsSchemaAndASignatureOnGemini3() {
    JsonNode body =
        json(
            post(
                    GENERATE,
                    with(
                        PLAIN,
                        WEATHER
                            + ",\"toolConfig\":{\"functionCallingConfig\":{\"mode\":\"ANY\","
                            + "\"allowedFunctionNames\":[\"get_time\"]}}"))
                .body());
    JsonNode part = body.at("/candidates/0/content/parts/0");
    assertThat(part.at("/functionCall/name").asText()).isEqualTo("get_time");
    assertThat(part.at("/functionCall/args/zone").isTextual()).isTrue();
    assertThat(part.path("thoughtSignature").asText()).startsWith("Sim");
    assertThat(body.at("/candidates/0/finishReason").asText()).isEqualTo("STOP");
  }

  @Test
  void streamsThoughtsThenTheAnswerWhenIncludeThoughtsIsSet() {
    String request =
        with(PLAIN, "\"generationConfig\":{\"thinkingConfig\":{\"includeThoughts\":true}}");
    List<SseEvent> events = SseReader.parse(post(STREAM, request).body());

    JsonNode first = json(events.getFirst().data());
    assertThat(first.at("/candidates/0/content/parts/0/thought").asBoolean()).isTrue();
    assertThat(first.at("/candidates/0/content/parts/0/text").asText())
        .startsWith("Simulated reasoning.");
    JsonNode second = json(events.get(1).data());
    assertThat(second.at("/candidates/0/content/parts/0/thoughtSignature").asText())
        .startsWith("Sim");
    JsonNode last = json(events.getLast().data());
    assertThat(last.at("/candidates/0/finishReason").asText()).isEqualTo("STOP");
    JsonNode usage = last.path("usageMetadata");
    assertThat(usage.path("thoughtsTokenCount").asInt()).isPositive();
    assertThat(usage.path("totalTokenCount").asInt())
        .isEqualTo(
            usage.path("promptTokenCount").asInt()
                + usage.path("candidatesTokenCount").asInt()
                + usage.path("thoughtsTokenCount").asInt());
    assertThat(events).allMatch(e -> e.event() == null);
  }

  @Test
  void answersFromFunctionResponsesAndRequiresTheSignatureOnGemini3() {
    String history =
        "{\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":\"Weather?\"}]},"
            + "{\"role\":\"model\",\"parts\":[{\"functionCall\":{\"name\":\"get_weather\","
            + "\"args\":{\"city\":\"Paris\"}}SIG}]},"
            + "{\"role\":\"user\",\"parts\":[{\"functionResponse\":{\"name\":\"get_weather\","
            + "\"response\":{\"sky\":\"sunny\"}}}]}],"
            + WEATHER
            + "}";
    HttpResponse<String> unsigned = post(GENERATE, history.replace("SIG", ""));
    assertThat(unsigned.statusCode()).isEqualTo(400);
    assertThat(json(unsigned.body()).at("/error/message").asText())
        .contains("missing a thought_signature");
    assertThat(json(unsigned.body()).at("/error/status").asText()).isEqualTo("INVALID_ARGUMENT");

    String signed =
        history.replace("SIG", ",\"thoughtSignature\":\"skip_thought_signature_validator\"");
    JsonNode body = json(post(GENERATE, signed).body());
    assertThat(body.at("/candidates/0/content/parts/0/text").asText())
        .contains("sunny")
        .startsWith("Simulated answer from the tool result");

    HttpResponse<String> older =
        post(
            GENERATE.replace("gemini-3-flash-preview", "gemini-2.5-flash"),
            history.replace("SIG", ""));
    assertThat(older.statusCode()).isEqualTo(200);
  }

  @Test
  void returnsJsonForASchemaAndRespectsTheOutputLimit() throws Exception {
    String schema =
        "\"generationConfig\":{\"responseMimeType\":\"application/json\",\"responseJsonSchema\":"
            + "{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}},"
            + "\"required\":[\"city\"]}}";
    JsonNode answer =
        ApiJson.tree(
            json(post(GENERATE, with(PLAIN, schema)).body())
                .at("/candidates/0/content/parts/0/text")
                .asText());
    assertThat(answer.path("city").isTextual()).isTrue();

    JsonNode cut =
        json(post(GENERATE, with(PLAIN, "\"generationConfig\":{\"maxOutputTokens\":2}")).body());
    assertThat(cut.at("/candidates/0/finishReason").asText()).isEqualTo("MAX_TOKENS");
    assertThat(cut.at("/usageMetadata/candidatesTokenCount").asInt()).isEqualTo(2);
  }

  @Test
  void statusFaultsAnswerWithGooglesErrorBodies() {
    for (int status : new int[] {400, 401, 403, 404, 429, 500, 503, 504}) {
      sim.simulator().addFault("google-ai-studio", Fault.status(status).times(1));

      HttpResponse<String> response = post(GENERATE, PLAIN);

      assertThat(response.statusCode()).isEqualTo(status);
      assertThat(json(response.body()).at("/error/code").asInt()).isEqualTo(status);
      assertThat(json(response.body()).at("/error/status").asText()).isNotEmpty();
    }
    sim.simulator().addFault("google-ai-studio", Fault.status(429).times(1));
    assertThat(post(GENERATE, PLAIN).body()).contains("\"retryDelay\": \"34.4s\"");
  }

  @Test
  void streamFaultsCutBreakAndFailMidStream() {
    sim.simulator()
        .addFault(
            "google-ai-studio", Fault.errorEvent(2).withStyle(Fault.ErrorStyle.DATA).times(1));
    List<SseEvent> events = SseReader.parse(post(STREAM, PLAIN).body());
    assertThat(events).hasSize(3);
    assertThat(json(events.getLast().data()).at("/error/status").asText()).isEqualTo("INTERNAL");

    sim.simulator().addFault("google-ai-studio", Fault.malformed(1).times(1));
    String raw = post(STREAM, PLAIN).body();
    assertThat(raw).contains("{\"text\": \"Sim\r\n\r\n");
    assertThat(SseReader.parse(raw).getLast().data()).contains("\"finishReason\": \"STOP\"");
  }

  @Test
  void rejectsBadRequestsAndUnknownMethodsInGooglesShape() {
    HttpResponse<String> empty = post(GENERATE, "{\"contents\":[]}");
    assertThat(empty.statusCode()).isEqualTo(400);
    assertThat(json(empty.body()).at("/error/message").asText()).contains("contents");

    HttpResponse<String> role =
        post(GENERATE, "{\"contents\":[{\"role\":\"assistant\",\"parts\":[{\"text\":\"x\"}]}]}");
    assertThat(role.statusCode()).isEqualTo(400);
    assertThat(json(role.body()).at("/error/message").asText())
        .startsWith("Please use a valid role: user, model.");

    HttpResponse<String> method = post(BASE + ":countTokens", PLAIN);
    assertThat(method.statusCode()).isEqualTo(404);
    assertThat(json(method.body()).at("/error/status").asText()).isEqualTo("NOT_FOUND");

    HttpResponse<String> noSse = post(BASE + ":streamGenerateContent", PLAIN);
    assertThat(noSse.statusCode()).isEqualTo(400);
  }

  @Test
  void servesTheV1PathsAndThePlainDefaultProviderToo() {
    assertThat(
            post("/p/gcp-vertex/v1/models/gemini-3-flash-preview:generateContent", PLAIN)
                .statusCode())
        .isEqualTo(200);
    assertThat(sim.simulator().requestCount("gcp-vertex")).isEqualTo(1);
    assertThat(post("/v1beta/models/gemini-2.5-pro:generateContent", PLAIN).statusCode())
        .isEqualTo(200);
    assertThat(sim.simulator().requestCount(Simulator.DEFAULT_PROVIDER)).isEqualTo(1);
    assertThat(sim.simulator().lastRequest("gcp-vertex").orElseThrow().path())
        .isEqualTo("/p/gcp-vertex/v1/models/gemini-3-flash-preview:generateContent");
  }
}
