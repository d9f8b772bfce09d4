package dev.switchboard.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.api.json.ApiJson;
import dev.switchboard.simulator.Fault;
import dev.switchboard.testkit.conformance.CompatibilityDoc;
import dev.switchboard.testkit.conformance.InboundResult;
import dev.switchboard.testkit.conformance.ScenarioResult.Outcome;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The inbound matrix of {@code POST /messages}: every scenario, in Anthropic's wire format (raw
 * HTTP, {@code x-api-key}), through the demo gateway to a model of each upstream dialect, checked
 * on both sides (the Anthropic-shaped answer the client gets and the request the upstream got). The
 * results go to {@code target/conformance/inbound/messages.jsonl}, from which {@link
 * CompatibilityDoc} renders the /messages table of {@code docs/providers/compatibility.md}.
 */
class MessagesConformanceIT {

  @RegisterExtension static final TestGateway gw = TestGateway.perClass();

  private static final List<InboundResult> RESULTS =
      Collections.synchronizedList(new ArrayList<>());

  /** An upstream dialect and the demo model and provider that speak it. */
  enum Up {
    openai("openai/gpt-5.2", "openai"),
    anthropic("anthropic/claude-sonnet-4", "anthropic"),
    gemini("google/gemini-3-flash-preview", "google-ai-studio");

    final String model;
    final String provider;

    Up(String model, String provider) {
      this.model = model;
      this.provider = provider;
    }
  }

  /** Thrown by a scenario that does not apply to a dialect, with the reason for the table. */
  static final class NotApplicable extends RuntimeException {
    NotApplicable(String reason) {
      super(reason, null, false, false);
    }
  }

  interface Check {
    void run(Up up) throws Exception;
  }

  record Case(String id, String title, Check check) {}

  private static final String PDF =
      "JVBERi0xLjQKMSAwIG9iago8PC9UeXBlL0NhdGFsb2c+PgplbmRvYmoKdHJhaWxlcgo8PC9Sb290IDEgMCBSPj4KJSVFT0YK";
  private static final String PNG =
      "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==";

  static List<Case> cases() {
    return List.of(
        new Case("text", "Simple text answer", MessagesConformanceIT::text),
        new Case("system", "System prompt as blocks", MessagesConformanceIT::system),
        new Case("stream", "Streamed text: event order and usage", MessagesConformanceIT::stream),
        new Case(
            "tools", "Tool call, then its tool_result (two rounds)", MessagesConformanceIT::tools),
        new Case(
            "stream_tool",
            "Streamed tool call (input_json_delta)",
            MessagesConformanceIT::streamTool),
        new Case(
            "tool_choice_tool",
            "tool_choice: tool (one named tool)",
            MessagesConformanceIT::toolChoiceTool),
        new Case("tool_choice_none", "tool_choice: none", MessagesConformanceIT::toolChoiceNone),
        new Case("thinking", "Thinking returned with a signature", MessagesConformanceIT::thinking),
        new Case(
            "thinking_back",
            "Thinking sent back with its signature",
            MessagesConformanceIT::thinkingBack),
        new Case("image", "Image input (base64)", MessagesConformanceIT::image),
        new Case("pdf", "PDF input (document block)", MessagesConformanceIT::pdf),
        new Case("stop", "stop_sequences", MessagesConformanceIT::stop),
        new Case(
            "stop_named",
            "Matched stop sequence named (Anthropic stop_sequence, vLLM-style stop_reason)",
            MessagesConformanceIT::stopNamed),
        new Case(
            "cache", "cache_control on blocks, tools and top level", MessagesConformanceIT::cache),
        new Case("user", "metadata.user_id", MessagesConformanceIT::user),
        new Case(
            "structured", "output_config.format json_schema", MessagesConformanceIT::structured),
        new Case("fallbacks", "fallbacks: the next model serves", MessagesConformanceIT::fallbacks),
        new Case(
            "err_400", "Upstream 400 → invalid_request_error", MessagesConformanceIT::error400),
        new Case(
            "err_503",
            "Upstream overloaded → overloaded_error (503)",
            MessagesConformanceIT::overloaded),
        new Case(
            "err_stream",
            "Error in the middle of a stream → error event",
            MessagesConformanceIT::errorInStream));
  }

  /** See {@link MessagesApiIT#warmUp}: the first admission loads the tokenizer on the loop. */
  @org.junit.jupiter.api.BeforeAll
  static void warmUp() throws Exception {
    post(body(Up.openai, "warm up"));
  }

  @TestFactory
  Stream<DynamicTest> matrix() {
    List<DynamicTest> tests = new ArrayList<>();
    for (Case c : cases()) {
      for (Up up : Up.values()) {
        tests.add(
            DynamicTest.dynamicTest(
                c.id() + " / " + up,
                () -> {
                  gw.simulator().reset();
                  try {
                    c.check().run(up);
                    RESULTS.add(result(c, up, Outcome.PASS, null));
                  } catch (NotApplicable na) {
                    RESULTS.add(result(c, up, Outcome.NOT_APPLICABLE, na.getMessage()));
                  } catch (Throwable t) {
                    RESULTS.add(result(c, up, Outcome.FAIL, String.valueOf(t.getMessage())));
                    throw t;
                  }
                }));
      }
    }
    return tests.stream();
  }

  private static InboundResult result(Case c, Up up, Outcome outcome, String detail) {
    return new InboundResult("messages", up.name(), c.id(), c.title(), outcome, detail);
  }

  @AfterAll
  static void writeResults() {
    List<InboundResult> ordered = new ArrayList<>();
    for (Case c : cases()) {
      for (Up up : Up.values()) {
        RESULTS.stream()
            .filter(r -> r.scenario().equals(c.id()) && r.upstream().equals(up.name()))
            .findFirst()
            .ifPresent(ordered::add);
      }
    }
    InboundResult.write(
        Path.of("target"),
        "messages",
        "`POST /messages` (Anthropic Messages API)",
        "MessagesConformanceIT",
        ordered);
    CompatibilityDoc.render(CompatibilityDoc.repoRoot(Path.of("").toAbsolutePath()));
  }

  // ------------------------------------------------------------------------------ scenarios

  static void text(Up up) throws Exception {
    HttpResponse<String> r = post(body(up, "Hello"));
    JsonNode m = json(r, 200);
    assertThat(m.path("type").asText()).isEqualTo("message");
    assertThat(m.path("role").asText()).isEqualTo("assistant");
    assertThat(m.path("model").asText()).isEqualTo(up.model);
    assertThat(m.at("/content/0/type").asText()).isEqualTo("text");
    assertThat(m.at("/content/0/text").asText()).startsWith("Simulated answer to: Hello");
    assertThat(m.path("stop_reason").asText()).isEqualTo("end_turn");
    assertThat(m.at("/usage/input_tokens").asLong()).isPositive();
    assertThat(m.at("/usage/output_tokens").asLong()).isPositive();
    assertThat(m.at("/usage/cost").decimalValue()).isPositive();
    assertThat(r.headers().firstValue("x-generation-id")).hasValue(m.path("id").asText());
  }

  static void system(Up up) throws Exception {
    ObjectNode b = body(up, "Hi");
    ArrayNode system = b.putArray("system");
    system.addObject().put("type", "text").put("text", "Be brief.");
    system.addObject().put("type", "text").put("text", "Answer in English.");
    json(post(b), 200);
    JsonNode sent = upstream(up);
    String all =
        switch (up) {
          case openai -> sent.at("/messages/0").toString();
          case anthropic -> sent.path("system").toString();
          case gemini -> sent.path("systemInstruction").toString();
        };
    assertThat(all).contains("Be brief.").contains("Answer in English.");
  }

  static void stream(Up up) throws Exception {
    ObjectNode b = body(up, "Stream a short answer");
    b.put("stream", true);
    HttpResponse<String> r = post(b);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("content-type")).hasValue("text/event-stream");
    List<Sse> events = sse(r.body());
    List<String> names = events.stream().map(Sse::event).filter(e -> !e.equals("ping")).toList();
    assertThat(names.getFirst()).isEqualTo("message_start");
    assertThat(names.get(1)).isEqualTo("content_block_start");
    assertThat(names.subList(names.size() - 3, names.size()))
        .containsExactly("content_block_stop", "message_delta", "message_stop");
    for (Sse e : events) {
      assertThat(e.data().path("type").asText()).isEqualTo(e.event());
    }
    StringBuilder text = new StringBuilder();
    events.stream()
        .filter(e -> e.event().equals("content_block_delta"))
        .forEach(e -> text.append(e.data().at("/delta/text").asText()));
    assertThat(text.toString()).startsWith("Simulated answer to: Stream a short answer");
    JsonNode delta = events.get(events.size() - 2).data();
    assertThat(delta.at("/delta/stop_reason").asText()).isEqualTo("end_turn");
    assertThat(delta.at("/usage/output_tokens").asLong()).isPositive();
    assertThat(delta.at("/usage/cost").decimalValue()).isPositive();
  }

  static void tools(Up up) throws Exception {
    ObjectNode b = body(up, "What is the weather in Paris?");
    b.set("tools", weatherTools());
    JsonNode call = json(post(b), 200);
    assertThat(call.path("stop_reason").asText()).isEqualTo("tool_use");
    JsonNode use = block(call, "tool_use");
    assertThat(use.path("name").asText()).isEqualTo("get_weather");
    assertThat(use.at("/input/city").isTextual()).isTrue();

    ArrayNode messages = (ArrayNode) b.get("messages");
    messages.addObject().put("role", "assistant").set("content", call.path("content"));
    ObjectNode result = ApiJson.object();
    result.put("type", "tool_result");
    result.put("tool_use_id", use.path("id").asText());
    result.put("content", "{\"temperature\":21,\"sky\":\"sunny\"}");
    messages.addObject().put("role", "user").putArray("content").add(result);
    JsonNode answer = json(post(b), 200);
    assertThat(block(answer, "text").path("text").asText()).contains("sunny");
    assertThat(answer.path("stop_reason").asText()).isEqualTo("end_turn");
  }

  static void streamTool(Up up) throws Exception {
    ObjectNode b = body(up, "What is the weather in Paris?");
    b.set("tools", weatherTools());
    b.put("stream", true);
    List<Sse> events = sse(post(b).body());
    StringBuilder input = new StringBuilder();
    boolean started = false;
    for (Sse e : events) {
      if (e.event().equals("content_block_start")
          && e.data().at("/content_block/type").asText().equals("tool_use")) {
        started = true;
        assertThat(e.data().at("/content_block/name").asText()).isEqualTo("get_weather");
      }
      if (e.data().at("/delta/type").asText().equals("input_json_delta")) {
        input.append(e.data().at("/delta/partial_json").asText());
      }
    }
    assertThat(started).isTrue();
    assertThat(ApiJson.tree(input.toString()).path("city").isTextual()).isTrue();
    assertThat(events.get(events.size() - 2).data().at("/delta/stop_reason").asText())
        .isEqualTo("tool_use");
  }

  static void toolChoiceTool(Up up) throws Exception {
    ObjectNode b = body(up, "Tell me a joke");
    b.set("tools", weatherTools());
    b.putObject("tool_choice").put("type", "tool").put("name", "get_weather");
    JsonNode m = json(post(b), 200);
    assertThat(block(m, "tool_use").path("name").asText()).isEqualTo("get_weather");
    JsonNode sent = upstream(up);
    switch (up) {
      case openai ->
          assertThat(sent.at("/tool_choice/function/name").asText()).isEqualTo("get_weather");
      case anthropic -> assertThat(sent.at("/tool_choice/name").asText()).isEqualTo("get_weather");
      case gemini ->
          assertThat(sent.at("/toolConfig/functionCallingConfig/allowedFunctionNames/0").asText())
              .isEqualTo("get_weather");
    }
  }

  static void toolChoiceNone(Up up) throws Exception {
    ObjectNode b = body(up, "What is the weather in Paris?");
    b.set("tools", weatherTools());
    b.putObject("tool_choice").put("type", "none");
    JsonNode m = json(post(b), 200);
    assertThat(m.path("stop_reason").asText()).isEqualTo("end_turn");
    assertThat(m.path("content").findValuesAsText("type")).doesNotContain("tool_use");
  }

  static void thinking(Up up) throws Exception {
    if (up == Up.openai) {
      throw new NotApplicable(
          "OpenAI's chat completions return no reasoning text; the thinking budget is sent as the"
              + " reasoning_effort its share of max_tokens stands for");
    }
    ObjectNode b = body(up, "Think, then answer");
    b.put("max_tokens", 4096);
    b.putObject("thinking").put("type", "enabled").put("budget_tokens", 2048);
    JsonNode m = json(post(b), 200);
    JsonNode thinking = block(m, "thinking");
    assertThat(thinking.path("thinking").asText()).isNotBlank();
    assertThat(thinking.path("signature").asText()).isNotBlank();
    assertThat(m.path("content").get(0).path("type").asText()).isEqualTo("thinking");
    if (up == Up.anthropic) {
      assertThat(upstream(up).at("/thinking/budget_tokens").asInt()).isEqualTo(2048);
    }
  }

  static void thinkingBack(Up up) throws Exception {
    ObjectNode b = body(up, "What is the weather in Paris?");
    b.put("max_tokens", 4096);
    b.putObject("thinking").put("type", "enabled").put("budget_tokens", 2048);
    b.set("tools", weatherTools());
    if (up == Up.openai) {
      // No reasoning comes back from OpenAI; what a client sends back must still be accepted.
      ArrayNode messages = (ArrayNode) b.get("messages");
      ArrayNode content = messages.addObject().put("role", "assistant").putArray("content");
      content.addObject().put("type", "thinking").put("thinking", "t").put("signature", "s");
      content.addObject().put("type", "text").put("text", "Earlier");
      messages.addObject().put("role", "user").put("content", "Again");
      json(post(b), 200);
      assertThat(upstream(up).at("/messages/1/role").asText()).isEqualTo("assistant");
      return;
    }
    JsonNode call = json(post(b), 200);
    JsonNode use = block(call, "tool_use");
    ArrayNode messages = (ArrayNode) b.get("messages");
    messages.addObject().put("role", "assistant").set("content", call.path("content"));
    ObjectNode result = ApiJson.object();
    result.put("type", "tool_result");
    result.put("tool_use_id", use.path("id").asText());
    result.put("content", "{\"temperature\":21,\"sky\":\"sunny\"}");
    messages.addObject().put("role", "user").putArray("content").add(result);
    // Both simulators, like their vendors, refuse a replayed turn without its signature.
    json(post(b), 200);
    JsonNode sent = upstream(up);
    if (up == Up.anthropic) {
      JsonNode back = sent.at("/messages/1/content/0");
      assertThat(back.path("type").asText()).isEqualTo("thinking");
      assertThat(back.path("signature").asText())
          .isEqualTo(block(call, "thinking").path("signature").asText());
    } else {
      assertThat(sent.at("/contents/1/parts").findValuesAsText("thoughtSignature")).isNotEmpty();
    }
  }

  static void image(Up up) throws Exception {
    ObjectNode b = body(up, null);
    ArrayNode content =
        ((ArrayNode) b.get("messages")).addObject().put("role", "user").putArray("content");
    ObjectNode image = content.addObject().put("type", "image");
    image.putObject("source").put("type", "base64").put("media_type", "image/png").put("data", PNG);
    content.addObject().put("type", "text").put("text", "Describe the image");
    json(post(b), 200);
    assertThat(upstream(up).toString()).contains(PNG);
  }

  static void pdf(Up up) throws Exception {
    ObjectNode b = body(up, null);
    ArrayNode content =
        ((ArrayNode) b.get("messages")).addObject().put("role", "user").putArray("content");
    ObjectNode doc = content.addObject().put("type", "document").put("title", "doc.pdf");
    doc.putObject("source")
        .put("type", "base64")
        .put("media_type", "application/pdf")
        .put("data", PDF);
    content.addObject().put("type", "text").put("text", "Summarise the document");
    json(post(b), 200);
    String sent = upstream(up).toString();
    assertThat(sent).contains(PDF);
    if (up == Up.anthropic) {
      assertThat(upstream(up).at("/messages/0/content/0/type").asText()).isEqualTo("document");
    }
  }

  static void stop(Up up) throws Exception {
    ObjectNode b = body(up, "Count to ten");
    b.putArray("stop_sequences").add("five");
    json(post(b), 200);
    JsonNode sent = upstream(up);
    JsonNode stops =
        switch (up) {
          case openai -> sent.path("stop");
          case anthropic -> sent.path("stop_sequences");
          case gemini -> sent.at("/generationConfig/stopSequences");
        };
    assertThat(stops.toString()).contains("five");
  }

  static void stopNamed(Up up) throws Exception {
    if (up == Up.gemini) {
      throw new NotApplicable(
          "Gemini reports a plain STOP without saying which stop sequence matched: the answer is"
              + " cut, and ends with end_turn and stop_sequence null");
    }
    ObjectNode b = body(up, "Stop early");
    b.putArray("stop_sequences").add("never-in-the-text").add("answer");
    JsonNode m = json(post(b), 200);
    assertThat(m.at("/content/0/text").asText()).isEqualTo("Simulated ");
    assertThat(m.path("stop_reason").asText()).isEqualTo("stop_sequence");
    assertThat(m.path("stop_sequence").asText()).isEqualTo("answer");
  }

  static void cache(Up up) throws Exception {
    if (up == Up.openai) {
      throw new NotApplicable(
          "OpenAI caches prompts by itself and takes no breakpoints: cache_control goes only to"
              + " upstreams that read it (Anthropic, OpenRouter-compatible profiles)");
    }
    if (up == Up.gemini) {
      throw new NotApplicable(
          "Gemini caches implicitly and takes no breakpoints: cache_control is not sent to it");
    }
    ObjectNode b = body(up, null);
    ObjectNode ephemeral = ApiJson.object().put("type", "ephemeral");
    b.putArray("system")
        .addObject()
        .put("type", "text")
        .put("text", "Long system")
        .set("cache_control", ephemeral);
    ArrayNode content =
        ((ArrayNode) b.get("messages")).addObject().put("role", "user").putArray("content");
    content.addObject().put("type", "text").put("text", "Hi").set("cache_control", ephemeral);
    ArrayNode tools = weatherTools();
    ((ObjectNode) tools.get(0)).set("cache_control", ephemeral);
    b.set("tools", tools);
    b.set("cache_control", ephemeral);
    json(post(b), 200);
    JsonNode sent = upstream(up);
    assertThat(sent.at("/system/0/cache_control/type").asText()).isEqualTo("ephemeral");
    assertThat(sent.at("/messages/0/content/0/cache_control/type").asText()).isEqualTo("ephemeral");
    assertThat(sent.at("/tools/0/cache_control/type").asText()).isEqualTo("ephemeral");
    assertThat(sent.at("/cache_control/type").asText()).isEqualTo("ephemeral");
  }

  static void user(Up up) throws Exception {
    if (up == Up.gemini) {
      throw new NotApplicable(
          "Gemini's API has no end-user field; the id is kept on the generation record");
    }
    ObjectNode b = body(up, "Hi");
    b.putObject("metadata").put("user_id", "user-42");
    json(post(b), 200);
    JsonNode sent = upstream(up);
    // The end user goes upstream hashed (the plugins' UserHash), as it does from chat.
    assertThat(up == Up.openai ? sent.path("user").asText() : sent.at("/metadata/user_id").asText())
        .startsWith("sb-user-")
        .doesNotContain("user-42");
  }

  static void structured(Up up) throws Exception {
    ObjectNode b = body(up, "Give me a city");
    ObjectNode schema =
        b.putObject("output_config")
            .putObject("format")
            .put("type", "json_schema")
            .putObject("schema");
    schema.put("type", "object");
    schema.putObject("properties").putObject("city").put("type", "string");
    schema.putArray("required").add("city");
    schema.put("additionalProperties", false);
    JsonNode m = json(post(b), 200);
    JsonNode answer = ApiJson.tree(block(m, "text").path("text").asText());
    assertThat(answer.path("city").isTextual()).isTrue();
  }

  static void fallbacks(Up up) throws Exception {
    Up other = up == Up.openai ? Up.anthropic : Up.openai;
    gw.simulator().addFault(up.provider, Fault.status(500));
    ObjectNode b = body(up, "Hello");
    b.putObject("provider").putArray("only").add(up.provider).add(other.provider);
    b.putArray("fallbacks").addObject().put("model", other.model);
    JsonNode m = json(post(b), 200);
    assertThat(m.path("model").asText()).isEqualTo(other.model);
    assertThat(block(m, "text").path("text").asText()).startsWith("Simulated answer to: Hello");
  }

  static void error400(Up up) throws Exception {
    gw.simulator().addFault(up.provider, Fault.status(400));
    JsonNode e = json(post(body(up, "Hello")), 400);
    assertThat(e.path("type").asText()).isEqualTo("error");
    assertThat(e.at("/error/type").asText()).isEqualTo("invalid_request_error");
    assertThat(e.at("/error/message").asText()).isNotBlank();
    assertThat(e.at("/error/error_type").asText()).isNotBlank();
  }

  static void overloaded(Up up) throws Exception {
    gw.simulator().addFault(up.provider, Fault.status(up == Up.anthropic ? 529 : 503));
    JsonNode e = json(post(body(up, "Hello")), 503);
    assertThat(e.at("/error/type").asText()).isEqualTo("overloaded_error");
  }

  static void errorInStream(Up up) throws Exception {
    gw.simulator().addFault(up.provider, Fault.errorEvent(2));
    ObjectNode b = body(up, "Stream a long answer please with many words in it");
    b.put("stream", true);
    HttpResponse<String> r = post(b);
    assertThat(r.statusCode()).isEqualTo(200);
    List<Sse> events = sse(r.body());
    Sse last = events.getLast();
    assertThat(last.event()).isEqualTo("error");
    assertThat(last.data().path("type").asText()).isEqualTo("error");
    assertThat(last.data().at("/error/type").asText()).isNotBlank();
    assertThat(events.stream().map(Sse::event)).doesNotContain("message_stop");
  }

  // ------------------------------------------------------------------------------- helpers

  /** A request for {@code up}'s model, pinned to its provider; {@code prompt} null: no turn yet. */
  static ObjectNode body(Up up, String prompt) {
    ObjectNode b = ApiJson.object();
    b.put("model", up.model);
    b.put("max_tokens", 1024);
    b.putObject("provider").putArray("only").add(up.provider);
    ArrayNode messages = b.putArray("messages");
    if (prompt != null) {
      messages.addObject().put("role", "user").put("content", prompt);
    }
    return b;
  }

  static ArrayNode weatherTools() {
    ArrayNode tools = ApiJson.nodes().arrayNode();
    ObjectNode tool = tools.addObject();
    tool.put("name", "get_weather");
    tool.put("description", "Current weather of a city");
    ObjectNode schema = tool.putObject("input_schema");
    schema.put("type", "object");
    ObjectNode props = schema.putObject("properties");
    props.putObject("city").put("type", "string");
    props.putObject("unit").put("type", "string").putArray("enum").add("c").add("f");
    schema.putArray("required").add("city").add("unit");
    return tools;
  }

  static HttpResponse<String> post(JsonNode body) throws IOException, InterruptedException {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(gw.base() + "/messages"))
            .timeout(Duration.ofSeconds(30))
            .header("x-api-key", TestGateway.KEY)
            .header("anthropic-version", "2023-06-01")
            .header("content-type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(ApiJson.string(body)))
            .build();
    return gw.http.send(request, HttpResponse.BodyHandlers.ofString());
  }

  static JsonNode json(HttpResponse<String> r, int status) throws IOException {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
    return ApiJson.tree(r.body());
  }

  static JsonNode upstream(Up up) throws IOException {
    return gw.simulator().lastRequest(up.provider).orElseThrow().json();
  }

  /** The first content block of {@code type}. */
  static JsonNode block(JsonNode message, String type) {
    for (JsonNode b : message.path("content")) {
      if (b.path("type").asText().equals(type)) {
        return b;
      }
    }
    throw new AssertionError("no " + type + " block in " + message);
  }

  record Sse(String event, JsonNode data) {}

  static List<Sse> sse(String body) throws IOException {
    List<Sse> out = new ArrayList<>();
    for (String frame : body.split("\n\n")) {
      String event = null;
      String data = null;
      for (String line : frame.split("\n")) {
        if (line.startsWith("event: ")) {
          event = line.substring(7);
        } else if (line.startsWith("data: ")) {
          data = line.substring(6);
        }
      }
      if (event != null && data != null) {
        out.add(new Sse(event, ApiJson.tree(data)));
      }
    }
    return out;
  }
}
