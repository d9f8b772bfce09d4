package dev.switchboard.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.openai.client.OpenAIClient;
import com.openai.core.JsonValue;
import com.openai.core.http.StreamResponse;
import com.openai.errors.BadRequestException;
import com.openai.models.responses.EasyInputMessage;
import com.openai.models.responses.FunctionTool;
import com.openai.models.responses.Response;
import com.openai.models.responses.ResponseCreateParams;
import com.openai.models.responses.ResponseFunctionToolCall;
import com.openai.models.responses.ResponseInputItem;
import com.openai.models.responses.ResponseOutputItem;
import com.openai.models.responses.ResponseStreamEvent;
import com.openai.models.responses.StructuredResponse;
import com.openai.models.responses.WebSearchTool;
import dev.switchboard.api.json.ApiJson;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code POST /responses} driven by the official OpenAI Java client, unchanged but for base URL and
 * key, over a model of each upstream dialect (OpenAI, Anthropic, Gemini) of the demo gateway.
 */
class ResponsesIT {

  @RegisterExtension static final TestGateway gw = TestGateway.perClass();
  static OpenAIClient client;

  static final FunctionTool WEATHER =
      FunctionTool.builder()
          .name("get_weather")
          .description("Current weather of a city")
          .strict(false)
          .parameters(
              FunctionTool.Parameters.builder()
                  .putAdditionalProperty("type", JsonValue.from("object"))
                  .putAdditionalProperty(
                      "properties",
                      JsonValue.from(
                          Map.of(
                              "city", Map.of("type", "string"),
                              "unit", Map.of("type", "string", "enum", List.of("c", "f")))))
                  .putAdditionalProperty("required", JsonValue.from(List.of("city", "unit")))
                  .build())
          .build();

  @BeforeAll
  static void start() {
    client = Clients.openAi(gw);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"openai/gpt-5.2", "anthropic/claude-sonnet-4", "google/gemini-3-flash-preview"})
  void createAnswersWithAMessageItemUsageAndCost(String model) throws Exception {
    Response r =
        client
            .responses()
            .create(
                ResponseCreateParams.builder()
                    .model(model)
                    .instructions("Be brief")
                    .input("Say hello to the gateway")
                    .maxOutputTokens(200)
                    .store(false)
                    .build());
    assertThat(r.id()).matches("gen-\\d{10}-[A-Za-z0-9]{20}");
    assertThat(r.model().asString()).isEqualTo(model);
    assertThat(r.status()).hasValue(com.openai.models.responses.ResponseStatus.COMPLETED);
    assertThat(text(r)).contains("Say hello to the gateway");
    var usage = r.usage().orElseThrow();
    assertThat(usage.totalTokens()).isEqualTo(usage.inputTokens() + usage.outputTokens());
    assertThat(usage.outputTokens()).isPositive();
    assertThat(usage._additionalProperties().get("cost").asNumber()).isPresent();

    JsonNode record = generation(r.id());
    assertThat(record.path("api_type").asText()).isEqualTo("completions");
    assertThat(record.path("tokens_completion").asLong()).isEqualTo(usage.outputTokens());
    assertThat(record.path("total_cost").decimalValue())
        .isEqualByComparingTo(
            new java.math.BigDecimal(
                usage._additionalProperties().get("cost").asNumber().orElseThrow().toString()));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"openai/gpt-5.2", "anthropic/claude-sonnet-4", "google/gemini-3-flash-preview"})
  void streamDeliversTextDeltasThenCompleted(String model) {
    StringBuilder deltas = new StringBuilder();
    List<ResponseStreamEvent> events = new ArrayList<>();
    try (StreamResponse<ResponseStreamEvent> stream =
        client
            .responses()
            .createStreaming(
                ResponseCreateParams.builder()
                    .model(model)
                    .input("Stream a short answer")
                    .build())) {
      stream.stream().forEach(events::add);
    }
    for (ResponseStreamEvent e : events) {
      e.outputTextDelta().ifPresent(d -> deltas.append(d.delta()));
    }
    assertThat(events.getFirst().isCreated()).isTrue();
    ResponseStreamEvent last = events.getLast();
    assertThat(last.isCompleted()).isTrue();
    Response done = last.asCompleted().response();
    assertThat(deltas.toString()).startsWith("Simulated answer to: Stream a short answer");
    assertThat(text(done)).isEqualTo(deltas.toString());
    assertThat(done.usage().orElseThrow().outputTokens()).isPositive();
    assertThat(events.stream().filter(ResponseStreamEvent::isOutputTextDone)).hasSize(1);
  }

  @Test
  void streamEventsComeInOpenAisOrderWithSequenceNumbers() throws Exception {
    HttpResponse<String> res =
        gw.post(
            "/responses",
            "{\"model\":\"openai/gpt-5.2\",\"input\":\"hi\",\"stream\":true}",
            TestGateway.KEY,
            "application/json");
    assertThat(res.statusCode()).isEqualTo(200);
    List<JsonNode> events = new ArrayList<>();
    boolean done = false;
    for (String line : res.body().split("\n")) {
      if (line.equals("data: [DONE]")) {
        done = true;
      } else if (line.startsWith("data: ")) {
        events.add(ApiJson.tree(line.substring(6)));
      }
    }
    assertThat(done).isTrue();
    List<String> types = events.stream().map(e -> e.path("type").asText()).distinct().toList();
    assertThat(types)
        .containsExactly(
            "response.created",
            "response.in_progress",
            "response.output_item.added",
            "response.content_part.added",
            "response.output_text.delta",
            "response.output_text.done",
            "response.content_part.done",
            "response.output_item.done",
            "response.completed");
    for (int i = 0; i < events.size(); i++) {
      assertThat(events.get(i).path("sequence_number").asInt()).isEqualTo(i);
    }
    JsonNode usage = events.getLast().path("response").path("usage");
    assertThat(usage.path("cost").isNumber()).isTrue();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"openai/gpt-5.2", "anthropic/claude-sonnet-4", "google/gemini-3-flash-preview"})
  void functionToolRoundTrip(String model) {
    ResponseCreateParams first =
        ResponseCreateParams.builder()
            .model(model)
            .input("What is the weather in Paris?")
            .addTool(WEATHER)
            .build();
    Response call = client.responses().create(first);
    ResponseFunctionToolCall fc =
        call.output().stream()
            .filter(ResponseOutputItem::isFunctionCall)
            .map(ResponseOutputItem::asFunctionCall)
            .findFirst()
            .orElseThrow();
    assertThat(fc.name()).isEqualTo("get_weather");
    JsonNode args = tree(fc.arguments());
    assertThat(args.get("city").isTextual()).isTrue();
    assertThat(args.get("unit").asText()).isIn("c", "f");

    List<ResponseInputItem> input = new ArrayList<>();
    input.add(
        ResponseInputItem.ofEasyInputMessage(
            EasyInputMessage.builder()
                .role(EasyInputMessage.Role.USER)
                .content("What is the weather in Paris?")
                .build()));
    input.add(ResponseInputItem.ofFunctionCall(fc));
    input.add(
        ResponseInputItem.ofFunctionCallOutput(
            ResponseInputItem.FunctionCallOutput.builder()
                .callId(fc.callId())
                .output("{\"temperature\":21,\"sky\":\"sunny\"}")
                .build()));
    Response answer =
        client
            .responses()
            .create(
                ResponseCreateParams.builder()
                    .model(model)
                    .inputOfResponse(input)
                    .addTool(WEATHER)
                    .build());
    assertThat(text(answer)).contains("sunny");
    assertThat(answer.output()).noneMatch(ResponseOutputItem::isFunctionCall);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"openai/gpt-5.2", "anthropic/claude-sonnet-4", "google/gemini-3-flash-preview"})
  void streamedFunctionCallArrivesAsArgumentDeltas(String model) {
    StringBuilder args = new StringBuilder();
    List<ResponseStreamEvent> events = new ArrayList<>();
    try (StreamResponse<ResponseStreamEvent> stream =
        client
            .responses()
            .createStreaming(
                ResponseCreateParams.builder()
                    .model(model)
                    .input("Weather in Oslo?")
                    .addTool(WEATHER)
                    .build())) {
      stream.stream().forEach(events::add);
    }
    events.forEach(e -> e.functionCallArgumentsDelta().ifPresent(d -> args.append(d.delta())));
    String doneArgs =
        events.stream()
            .filter(ResponseStreamEvent::isFunctionCallArgumentsDone)
            .findFirst()
            .orElseThrow()
            .asFunctionCallArgumentsDone()
            .arguments();
    assertThat(doneArgs).isEqualTo(args.toString());
    assertThat(tree(doneArgs).get("city").isTextual()).isTrue();
    Response done = events.getLast().asCompleted().response();
    assertThat(done.output()).anyMatch(ResponseOutputItem::isFunctionCall);
  }

  /** The answer the structured-output test asks for. */
  public static class Forecast {
    public String city;
    public String sky;
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"openai/gpt-5.2", "anthropic/claude-sonnet-4", "google/gemini-3-flash-preview"})
  void structuredOutputFollowsTheSchema(String model) {
    StructuredResponse<Forecast> r =
        client
            .responses()
            .create(
                ResponseCreateParams.builder()
                    .model(model)
                    .input("Forecast for Rome as JSON")
                    .text(Forecast.class)
                    .build());
    List<Forecast> forecasts =
        r.output().stream()
            .flatMap(item -> item.message().stream())
            .flatMap(m -> m.content().stream())
            .flatMap(c -> c.outputText().stream())
            .toList();
    assertThat(forecasts).hasSize(1);
    assertThat(forecasts.getFirst().city).isNotNull();
    assertThat(forecasts.getFirst().sky).isNotNull();
  }

  @Test
  void statefulFieldsAndServerToolsAreRefusedByName() {
    assertThatThrownBy(
            () ->
                client
                    .responses()
                    .create(
                        ResponseCreateParams.builder()
                            .model("openai/gpt-5.2")
                            .input("hi")
                            .store(true)
                            .build()))
        .isInstanceOf(BadRequestException.class)
        .hasMessageContaining("store");
    assertThatThrownBy(
            () ->
                client
                    .responses()
                    .create(
                        ResponseCreateParams.builder()
                            .model("openai/gpt-5.2")
                            .input("hi")
                            .previousResponseId("resp_123")
                            .build()))
        .isInstanceOf(BadRequestException.class)
        .hasMessageContaining("previous_response_id");
    assertThatThrownBy(
            () ->
                client
                    .responses()
                    .create(
                        ResponseCreateParams.builder()
                            .model("openai/gpt-5.2")
                            .input("hi")
                            .addTool(
                                WebSearchTool.builder().type(WebSearchTool.Type.WEB_SEARCH).build())
                            .build()))
        .isInstanceOf(BadRequestException.class)
        .hasMessageContaining("tools[0].type");
  }

  @Test
  void unknownFieldsAndBadItemsAreRefusedByName() throws Exception {
    HttpResponse<String> res =
        gw.post(
            "/responses",
            "{\"model\":\"openai/gpt-5.2\",\"input\":\"hi\",\"prompt_cache_key\":\"k\"}",
            TestGateway.KEY,
            "application/json");
    assertThat(res.statusCode()).isEqualTo(400);
    assertThat(res.body()).contains("prompt_cache_key");
    res =
        gw.post(
            "/responses",
            "{\"model\":\"openai/gpt-5.2\",\"input\":[{\"type\":\"item_reference\",\"id\":\"x\"}]}",
            TestGateway.KEY,
            "application/json");
    assertThat(res.statusCode()).isEqualTo(400);
    assertThat(res.body()).contains("input[0]");
  }

  @Test
  void reasoningComesBackAsAReasoningItemWhoseEncryptedContentRoundTrips() throws Exception {
    String body =
        "{\"model\":\"anthropic/claude-sonnet-4\",\"input\":\"Think about 2+2\","
            + ONLY_ANTHROPIC
            + "\"reasoning\":{\"effort\":\"high\",\"summary\":\"auto\"},"
            + "\"include\":[\"reasoning.encrypted_content\"]}";
    HttpResponse<String> res = gw.post("/responses", body, TestGateway.KEY, "application/json");
    assertThat(res.statusCode()).isEqualTo(200);
    JsonNode output = ApiJson.tree(res.body()).path("output");
    JsonNode reasoning = output.get(0);
    assertThat(reasoning.path("type").asText()).isEqualTo("reasoning");
    assertThat(reasoning.path("summary").get(0).path("text").asText()).isNotEmpty();
    assertThat(reasoning.path("encrypted_content").asText()).isNotEmpty();

    // The whole output sent back as input: the signature travels back to Anthropic.
    String next =
        "{\"model\":\"anthropic/claude-sonnet-4\",\"reasoning\":{\"effort\":\"high\"},"
            + ONLY_ANTHROPIC
            + "\"input\":["
            + "{\"role\":\"user\",\"content\":\"Think about 2+2\"},"
            + ApiJson.string(output.get(0))
            + ","
            + ApiJson.string(output.get(1))
            + ",{\"role\":\"user\",\"content\":\"And 3+3?\"}]}";
    HttpResponse<String> second = gw.post("/responses", next, TestGateway.KEY, "application/json");
    assertThat(second.statusCode()).as(second.body()).isEqualTo(200);
    String sent = gw.simulator().lastRequest("anthropic").orElseThrow().body();
    assertThat(sent).contains("\"signature\"");
  }

  /** Bedrock and Vertex serve Claude too; the pin makes the upstream request land on one. */
  private static final String ONLY_ANTHROPIC = "\"provider\":{\"only\":[\"anthropic\"]},";

  private static String text(Response r) {
    StringBuilder out = new StringBuilder();
    for (ResponseOutputItem item : r.output()) {
      item.message()
          .ifPresent(
              m -> m.content().forEach(c -> c.outputText().ifPresent(t -> out.append(t.text()))));
    }
    return out.toString();
  }

  private static JsonNode tree(String json) {
    try {
      return ApiJson.tree(json);
    } catch (java.io.IOException e) {
      throw new AssertionError(e);
    }
  }

  private static JsonNode generation(String id) throws Exception {
    HttpResponse<String> res = gw.get("/generation?id=" + id, TestGateway.KEY);
    assertThat(res.statusCode()).isEqualTo(200);
    return ApiJson.tree(res.body()).path("data");
  }
}
