package dev.switchboard.simulator;

import static dev.switchboard.simulator.SimClient.json;
import static dev.switchboard.simulator.SimClient.userRequest;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.simulator.SimClient.Streamed;
import dev.switchboard.simulator.behavior.SchemaCheck;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The simulator's replies over real HTTP: text, streams, tools, structured output, timing. */
class SimulatorIT {

  private static final String WEATHER_TOOL =
      "{\"type\":\"function\",\"function\":{\"name\":\"get_weather\",\"parameters\":"
          + "{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"},"
          + "\"days\":{\"type\":\"integer\",\"minimum\":1,\"maximum\":7},"
          + "\"units\":{\"type\":\"string\",\"enum\":[\"c\",\"f\"]}},"
          + "\"required\":[\"city\",\"days\",\"units\"],\"additionalProperties\":false}}}";
  private static final String STOCK_TOOL =
      "{\"type\":\"function\",\"function\":{\"name\":\"get_stock_price\",\"parameters\":"
          + "{\"type\":\"object\",\"properties\":{\"ticker\":{\"type\":\"string\"}},"
          + "\"required\":[\"ticker\"]}}}";

  @RegisterExtension static final SimulatorExtension sim = SimulatorExtension.withEventLoops(2);

  @Test
  void answersANonStreamingRequestInOpenAiShape() {
    HttpResponse<String> response =
        sim.client().chat("openai", userRequest("What is the capital of the UK?"));

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("content-type")).hasValue("application/json");
    JsonNode body = json(response.body());
    assertThat(body.get("id").asText()).startsWith("chatcmpl-");
    assertThat(body.get("object").asText()).isEqualTo("chat.completion");
    assertThat(body.get("model").asText()).isEqualTo("gpt-4o-mini");
    assertThat(body.get("system_fingerprint").asText()).startsWith("fp_");
    JsonNode choice = body.get("choices").get(0);
    assertThat(choice.get("finish_reason").asText()).isEqualTo("stop");
    assertThat(choice.at("/message/content").asText())
        .startsWith("Simulated answer to: What is the capital of the UK? ");
    JsonNode usage = body.get("usage");
    assertThat(usage.get("total_tokens").asInt())
        .isEqualTo(usage.get("prompt_tokens").asInt() + usage.get("completion_tokens").asInt());
  }

  @Test
  void streamsTheSameTextTokenByTokenAndEndsWithDone() {
    String request = userRequest("Tell me about streams");
    String whole =
        json(sim.client().chat("openai", request).body()).at("/choices/0/message/content").asText();

    Streamed stream =
        sim.client().stream("openai", request.replace("{\"model\"", "{\"stream\":true,\"model\""));

    assertThat(stream.status()).isEqualTo(200);
    assertThat(stream.contentType()).startsWith("text/event-stream");
    assertThat(stream.text()).isEqualTo(whole);
    assertThat(stream.chunks().size()).isGreaterThan(10);
    assertThat(stream.endsWithDone()).isTrue();
    assertThat(stream.chunks()).noneMatch(c -> c.has("usage"));
  }

  @Test
  void sendsAUsageChunkWhoseCompletionTokensMatchTheChunksWhenAsked() {
    Streamed stream =
        sim.client().stream(
            "openai",
            userRequest("Count", "\"stream\":true", "\"stream_options\":{\"include_usage\":true}"));

    List<JsonNode> chunks = stream.chunks();
    JsonNode usageChunk = chunks.getLast();
    assertThat(usageChunk.get("choices")).isEmpty();
    int contentChunks = chunks.size() - 3; // role chunk, finish chunk, usage chunk
    assertThat(usageChunk.at("/usage/completion_tokens").asInt()).isEqualTo(contentChunks);
  }

  @Test
  void truncatesAtMaxTokensWithFinishReasonLength() {
    JsonNode body =
        json(sim.client().chat("openai", userRequest("Hi", "\"max_completion_tokens\":4")).body());

    assertThat(body.at("/choices/0/finish_reason").asText()).isEqualTo("length");
    assertThat(body.at("/usage/completion_tokens").asInt()).isEqualTo(4);
    assertThat(body.at("/choices/0/message/content").asText()).isEqualTo("Simulated answer to:");
  }

  @Test
  void callsTheToolWithArgumentsValidAgainstItsSchema() {
    Streamed stream =
        sim.client().stream(
            "openai",
            userRequest(
                "Weather in Paris?", "\"stream\":true", "\"tools\":[" + WEATHER_TOOL + "]"));

    StringBuilder args = new StringBuilder();
    for (JsonNode chunk : stream.chunks()) {
      JsonNode call = chunk.at("/choices/0/delta/tool_calls/0");
      if (!call.isMissingNode()) {
        args.append(call.at("/function/arguments").asText());
      }
    }
    JsonNode first = stream.chunks().getFirst().at("/choices/0/delta/tool_calls/0");
    assertThat(first.get("id").asText()).startsWith("call_");
    assertThat(first.at("/function/name").asText()).isEqualTo("get_weather");
    JsonNode schema = json(WEATHER_TOOL).at("/function/parameters");
    assertThat(SchemaCheck.errors(schema, json(args.toString()))).isEmpty();
    assertThat(stream.chunks().getLast().at("/choices/0/finish_reason").asText())
        .isEqualTo("tool_calls");
  }

  @Test
  void callsTwoToolsWhenToolChoiceIsRequired() {
    JsonNode body =
        json(
            sim.client()
                .chat(
                    "openai",
                    userRequest(
                        "Both please",
                        "\"tools\":[" + WEATHER_TOOL + "," + STOCK_TOOL + "]",
                        "\"tool_choice\":\"required\""))
                .body());

    JsonNode calls = body.at("/choices/0/message/tool_calls");
    assertThat(calls).hasSize(2);
    assertThat(calls.get(1).at("/function/name").asText()).isEqualTo("get_stock_price");
    assertThat(json(calls.get(1).at("/function/arguments").asText()).get("ticker").asText())
        .isEqualTo("ticker");
    assertThat(body.at("/choices/0/message/content").isNull()).isTrue();
  }

  @Test
  void answersAfterAToolResultByQuotingIt() {
    String request =
        "{\"model\":\"m\",\"tools\":["
            + WEATHER_TOOL
            + "],\"messages\":["
            + "{\"role\":\"user\",\"content\":\"Weather in Paris?\"},"
            + "{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[{\"id\":\"call_1\","
            + "\"type\":\"function\",\"function\":{\"name\":\"get_weather\",\"arguments\":"
            + "\"{\\\"city\\\":\\\"Paris\\\"}\"}}]},"
            + "{\"role\":\"tool\",\"tool_call_id\":\"call_1\",\"content\":\"18 C and cloudy\"}]}";

    JsonNode body = json(sim.client().chat("openai", request).body());

    assertThat(body.at("/choices/0/message/content").asText()).contains("\"18 C and cloudy\"");
    assertThat(body.at("/choices/0/finish_reason").asText()).isEqualTo("stop");
  }

  @Test
  void returnsJsonValidAgainstTheRequestedSchema() {
    String schema =
        "{\"type\":\"object\",\"properties\":{\"name\":{\"type\":\"string\"},\"tags\":{\"type\":"
            + "\"array\",\"items\":{\"type\":\"string\"},\"minItems\":2}},\"required\":[\"name\","
            + "\"tags\"],\"additionalProperties\":false}";
    JsonNode body =
        json(
            sim.client()
                .chat(
                    "openai",
                    userRequest(
                        "Describe",
                        "\"response_format\":{\"type\":\"json_schema\",\"json_schema\":"
                            + "{\"name\":\"thing\",\"strict\":true,\"schema\":"
                            + schema
                            + "}}"))
                .body());

    JsonNode output = json(body.at("/choices/0/message/content").asText());
    assertThat(SchemaCheck.errors(json(schema), output)).isEmpty();
  }

  @Test
  void rejectsMalformedJsonWithAnOpenAiStyle400() {
    HttpResponse<String> response =
        sim.client().chat("openai", "{\"model\": \"m\", \"messages\": [");

    assertThat(response.statusCode()).isEqualTo(400);
    JsonNode error = json(response.body()).get("error");
    assertThat(error.get("type").asText()).isEqualTo("invalid_request_error");
    assertThat(error.get("message").asText()).startsWith("We could not parse the JSON body");
    assertThat(error.has("param")).isTrue();
    assertThat(error.has("code")).isTrue();
  }

  @Test
  void rejectsARequestWithoutMessages() {
    HttpResponse<String> response = sim.client().chat("openai", "{\"model\":\"m\"}");

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(json(response.body()).at("/error/param").asText()).isEqualTo("messages");
  }

  @Test
  void servesPlainV1AsTheDefaultProviderAndUnknownPathsAs404() {
    assertThat(sim.client().chat(null, userRequest("Hi")).statusCode()).isEqualTo(200);
    assertThat(sim.simulator().requestCount(Simulator.DEFAULT_PROVIDER)).isEqualTo(1);

    HttpResponse<String> missing =
        sim.client().send("POST", "/v1/audio/speech", "{}", java.time.Duration.ofSeconds(5));
    assertThat(missing.statusCode()).isEqualTo(404);
    assertThat(json(missing.body()).at("/error/message").asText())
        .isEqualTo("Invalid URL (POST /v1/audio/speech)");
  }

  @Test
  void embeddingsAreDeterministicUnitVectorsInBothDialects() {
    java.time.Duration t = java.time.Duration.ofSeconds(5);
    String body =
        "{\"model\":\"text-embedding-3-small\",\"input\":[\"a\",\"b\",\"a\"],\"dimensions\":8}";
    HttpResponse<String> r = sim.client().send("POST", "/p/x/v1/embeddings", body, t);
    assertThat(r.statusCode()).isEqualTo(200);
    var data = json(r.body()).path("data");
    assertThat(data).hasSize(3);
    assertThat(data.get(0).path("embedding")).hasSize(8);
    assertThat(data.get(0).path("embedding")).isEqualTo(data.get(2).path("embedding"));
    assertThat(data.get(0).path("embedding")).isNotEqualTo(data.get(1).path("embedding"));
    double norm = 0;
    for (var f : data.get(1).path("embedding")) {
      norm += f.asDouble() * f.asDouble();
    }
    assertThat(norm).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-4));
    assertThat(json(r.body()).at("/usage/prompt_tokens").asInt()).isEqualTo(3);

    HttpResponse<String> g =
        sim.client()
            .send(
                "POST",
                "/p/g/v1beta/models/gemini-embedding-001:batchEmbedContents",
                "{\"requests\":[{\"content\":{\"parts\":[{\"text\":\"a\"}]}},"
                    + "{\"content\":{\"parts\":[{\"text\":\"b\"}]},\"outputDimensionality\":4}]}",
                t);
    assertThat(g.statusCode()).isEqualTo(200);
    assertThat(json(g.body()).path("embeddings").get(0).path("values")).hasSize(3072);
    assertThat(json(g.body()).path("embeddings").get(1).path("values")).hasSize(4);
  }

  @Test
  void recordsWhatTheClientSentPerProvider() {
    sim.client().chat("openai", userRequest("first"), "authorization", "Bearer sk-one");
    sim.client().chat("deepseek", userRequest("second"), "authorization", "Bearer sk-two");

    RecordedRequest last = sim.simulator().lastRequest("openai").orElseThrow();
    assertThat(last.header("Authorization")).isEqualTo("Bearer sk-one");
    assertThat(last.path()).isEqualTo("/p/openai/v1/chat/completions");
    assertThat(last.json().at("/messages/0/content").asText()).isEqualTo("first");
    assertThat(sim.simulator().requests("deepseek")).hasSize(1);
  }

  @Test
  void waitsTheTimeToFirstTokenThenPacesTokens() {
    sim.simulator().setLatency("slow", Latency.of(300, 0));
    Streamed delayed = sim.client().stream("slow", userRequest("Hi", "\"stream\":true"));
    assertThat(delayed.firstByteMs()).isBetween(250L, 3000L);

    Streamed fast = sim.client().stream("other", userRequest("Hi", "\"stream\":true"));
    assertThat(fast.firstByteMs()).isLessThan(250L);

    Streamed paced =
        sim.client().stream(
            "other", userRequest("Hi", "\"stream\":true", "\"max_tokens\":11"), "x-sim-tps", "20");
    assertThat(paced.totalMs()).isBetween(400L, 5000L);
    assertThat(paced.text()).isNotEmpty();
  }

  @Test
  void takesTimeToFirstTokenFromARequestHeader() {
    Streamed stream =
        sim.client().stream("openai", userRequest("Hi", "\"stream\":true"), "x-sim-ttft-ms", "250");

    assertThat(stream.firstByteMs()).isBetween(200L, 3000L);
    assertThat(stream.endsWithDone()).isTrue();
  }

  @Test
  void sendsThousandsOfTokensPerSecondInBatches() {
    Streamed stream =
        sim.client().stream("openai", userRequest("Hi", "\"stream\":true"), "x-sim-tps", "5000");

    assertThat(stream.endsWithDone()).isTrue();
    assertThat(stream.totalMs()).isLessThan(1000L);
  }
}
