package dev.switchboard.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.core.JsonValue;
import com.anthropic.core.http.StreamResponse;
import com.anthropic.errors.AnthropicServiceException;
import com.anthropic.errors.BadRequestException;
import com.anthropic.errors.NotFoundException;
import com.anthropic.errors.RateLimitException;
import com.anthropic.errors.UnauthorizedException;
import com.anthropic.helpers.MessageAccumulator;
import com.anthropic.models.messages.ContentBlockParam;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.RawMessageStreamEvent;
import com.anthropic.models.messages.StopReason;
import com.anthropic.models.messages.ThinkingBlock;
import com.anthropic.models.messages.ThinkingBlockParam;
import com.anthropic.models.messages.Tool;
import com.anthropic.models.messages.ToolResultBlockParam;
import com.anthropic.models.messages.ToolUseBlock;
import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.api.json.ApiJson;
import dev.switchboard.simulator.Fault;
import dev.switchboard.simulator.RecordedRequest;
import java.math.BigDecimal;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@code POST /messages} driven by the official Anthropic Java SDK against the demo gateway, over a
 * model of each upstream dialect (OpenAI, Anthropic, Gemini): create, stream, a two-round tool
 * loop, thinking with its signature sent back, and errors; each answer recorded and billed like a
 * chat completion, with {@code api_type: messages}.
 */
class MessagesApiIT {

  /** One model of each upstream dialect, pinned to one provider so its requests can be read. */
  enum Upstream {
    OPENAI("openai/gpt-5.2", "openai"),
    ANTHROPIC("anthropic/claude-sonnet-4", "anthropic"),
    GEMINI("google/gemini-3-flash-preview", "google-ai-studio");

    final String model;
    final String provider;

    Upstream(String model, String provider) {
      this.model = model;
      this.provider = provider;
    }

    MessageCreateParams.Builder params() {
      return MessageCreateParams.builder()
          .model(model)
          .maxTokens(1024)
          .putAdditionalBodyProperty("provider", JsonValue.from(Map.of("only", List.of(provider))));
    }
  }

  @RegisterExtension static final TestGateway gw = TestGateway.perClass();
  static AnthropicClient client;

  @BeforeAll
  static void start() {
    client = client(TestGateway.KEY);
    warmUp();
  }

  /**
   * One request before the tests: the first admission loads the prompt tokenizer on the event loop
   * (seconds on a loaded machine), which would make the first test's upstream time out.
   */
  static void warmUp() {
    try {
      client.messages().create(Upstream.OPENAI.params().addUserMessage("warm up").build());
    } catch (RuntimeException e) {
      // only the side effect matters
    }
  }

  /** The SDK as a user configures it for OpenRouter: the base without {@code /v1}, the key. */
  static AnthropicClient client(String key) {
    String base = gw.base();
    return AnthropicOkHttpClient.builder()
        .baseUrl(base.substring(0, base.length() - "/v1".length()))
        .apiKey(key)
        .maxRetries(0)
        .build();
  }

  private static final Tool WEATHER =
      Tool.builder()
          .name("get_weather")
          .description("Current weather of a city")
          .inputSchema(
              Tool.InputSchema.builder()
                  .properties(
                      JsonValue.from(
                          Map.of(
                              "city", Map.of("type", "string"),
                              "unit", Map.of("type", "string", "enum", List.of("c", "f")))))
                  .putAdditionalProperty("required", JsonValue.from(List.of("city", "unit")))
                  .build())
          .build();

  private static String text(Message m) {
    StringBuilder out = new StringBuilder();
    m.content().forEach(b -> b.text().ifPresent(t -> out.append(t.text())));
    return out.toString();
  }

  private static RecordedRequest upstream(Upstream u) {
    return gw.simulator().lastRequest(u.provider).orElseThrow();
  }

  private static BigDecimal keyUsage() throws Exception {
    HttpResponse<String> r = gw.get("/key", TestGateway.KEY);
    return ApiJson.tree(r.body()).path("data").path("usage").decimalValue();
  }

  @ParameterizedTest
  @EnumSource(Upstream.class)
  void createsAMessageRecordedAndBilledLikeChat(Upstream u) throws Exception {
    BigDecimal before = keyUsage();
    Message m =
        client.messages().create(u.params().system("Be brief.").addUserMessage("Hello").build());

    assertThat(text(m)).startsWith("Simulated answer to: Hello");
    assertThat(m.model().asString()).isEqualTo(u.model);
    assertThat(m.stopReason()).contains(StopReason.END_TURN);
    assertThat(m.usage().inputTokens()).isPositive();
    assertThat(m.usage().outputTokens()).isPositive();
    assertThat(m.id()).startsWith("gen-");

    JsonNode record =
        ApiJson.tree(gw.get("/generation?id=" + m.id(), TestGateway.KEY).body()).path("data");
    assertThat(record.path("api_type").asText()).isEqualTo("messages");
    assertThat(record.path("model").asText()).isEqualTo(u.model);
    assertThat(record.path("streamed").asBoolean()).isFalse();
    assertThat(record.path("tokens_completion").asLong()).isEqualTo(m.usage().outputTokens());
    BigDecimal cost = record.path("total_cost").decimalValue();
    assertThat(cost).isPositive();
    assertThat(m.usage()._additionalProperties().get("cost").convert(BigDecimal.class))
        .isEqualByComparingTo(cost);
    assertThat(keyUsage().subtract(before)).isEqualByComparingTo(cost);
  }

  @ParameterizedTest
  @EnumSource(Upstream.class)
  void streamsNamedEventsInAnthropicsOrder(Upstream u) throws Exception {
    MessageAccumulator acc = MessageAccumulator.create();
    List<String> types = new ArrayList<>();
    try (StreamResponse<RawMessageStreamEvent> stream =
        client
            .messages()
            .createStreaming(u.params().addUserMessage("Stream a short answer").build())) {
      stream.stream()
          .forEach(
              e -> {
                acc.accumulate(e);
                types.add(type(e));
              });
    }
    Message m = acc.message();
    assertThat(text(m)).startsWith("Simulated answer to: Stream a short answer");
    assertThat(types.getFirst()).isEqualTo("message_start");
    assertThat(types.get(1)).isEqualTo("content_block_start");
    assertThat(types.subList(types.size() - 3, types.size()))
        .containsExactly("content_block_stop", "message_delta", "message_stop");
    assertThat(m.stopReason()).contains(StopReason.END_TURN);
    assertThat(m.usage().outputTokens()).isPositive();

    JsonNode record =
        ApiJson.tree(gw.get("/generation?id=" + m.id(), TestGateway.KEY).body()).path("data");
    assertThat(record.path("api_type").asText()).isEqualTo("messages");
    assertThat(record.path("streamed").asBoolean()).isTrue();
    assertThat(record.path("total_cost").decimalValue()).isPositive();
  }

  /**
   * A stop sequence that ends the answer is named, whole and streamed, wherever the upstream says
   * which one matched: Anthropic's {@code stop_sequence}, and an OpenAI-dialect server's {@code
   * stop_reason} string (vLLM's field, which the simulator sends). Gemini reports a plain stop, so
   * that answer ends with {@code end_turn} and no sequence (the text is cut all the same).
   */
  @ParameterizedTest
  @EnumSource(Upstream.class)
  void aMatchedStopSequenceIsNamedWhereTheUpstreamSaysWhichOne(Upstream u) throws Exception {
    MessageCreateParams params =
        u.params()
            .stopSequences(List.of("never-in-the-text", "answer"))
            .addUserMessage("Stop early")
            .build();
    Message whole = client.messages().create(params);
    MessageAccumulator acc = MessageAccumulator.create();
    try (StreamResponse<RawMessageStreamEvent> stream = client.messages().createStreaming(params)) {
      stream.stream().forEach(acc::accumulate);
    }
    Message streamed = acc.message();

    for (Message m : List.of(whole, streamed)) {
      assertThat(text(m)).isEqualTo("Simulated ");
      if (u == Upstream.GEMINI) {
        assertThat(m.stopReason()).contains(StopReason.END_TURN);
        assertThat(m.stopSequence()).isEmpty();
      } else {
        assertThat(m.stopReason()).contains(StopReason.STOP_SEQUENCE);
        assertThat(m.stopSequence()).contains("answer");
      }
    }
    Message unmatched =
        client
            .messages()
            .create(u.params().stopSequences(List.of("zzz")).addUserMessage("Stop early").build());
    assertThat(unmatched.stopReason()).contains(StopReason.END_TURN);
    assertThat(unmatched.stopSequence()).isEmpty();
  }

  private static String type(RawMessageStreamEvent e) {
    if (e.isMessageStart()) {
      return "message_start";
    }
    if (e.isContentBlockStart()) {
      return "content_block_start";
    }
    if (e.isContentBlockDelta()) {
      return "content_block_delta";
    }
    if (e.isContentBlockStop()) {
      return "content_block_stop";
    }
    if (e.isMessageDelta()) {
      return "message_delta";
    }
    return e.isMessageStop() ? "message_stop" : "other";
  }

  @ParameterizedTest
  @EnumSource(Upstream.class)
  void runsATwoRoundToolLoop(Upstream u) {
    MessageCreateParams first =
        u.params().addUserMessage("What is the weather in Paris?").addTool(WEATHER).build();
    Message call = client.messages().create(first);
    assertThat(call.stopReason()).contains(StopReason.TOOL_USE);
    ToolUseBlock use =
        call.content().stream().flatMap(b -> b.toolUse().stream()).findFirst().orElseThrow();
    assertThat(use.name()).isEqualTo("get_weather");
    assertThat(use._input().convert(Map.class)).containsKey("city");

    Message answer =
        client
            .messages()
            .create(
                first.toBuilder()
                    .addMessage(call)
                    .addUserMessageOfContentBlockParams(
                        List.of(
                            ContentBlockParam.ofToolResult(
                                ToolResultBlockParam.builder()
                                    .toolUseId(use.id())
                                    .content("{\"temperature\":21,\"sky\":\"sunny\"}")
                                    .build())))
                    .build());
    assertThat(text(answer)).contains("sunny");
    assertThat(answer.stopReason()).contains(StopReason.END_TURN);
  }

  @ParameterizedTest
  @EnumSource(Upstream.class)
  void streamsAToolCallAsInputJsonDeltas(Upstream u) {
    MessageAccumulator acc = MessageAccumulator.create();
    List<RawMessageStreamEvent> events = new ArrayList<>();
    try (StreamResponse<RawMessageStreamEvent> stream =
        client
            .messages()
            .createStreaming(
                u.params()
                    .addUserMessage("What is the weather in Paris?")
                    .addTool(WEATHER)
                    .build())) {
      stream.stream()
          .forEach(
              e -> {
                acc.accumulate(e);
                events.add(e);
              });
    }
    Message m = acc.message();
    assertThat(m.stopReason()).contains(StopReason.TOOL_USE);
    ToolUseBlock use =
        m.content().stream().flatMap(b -> b.toolUse().stream()).findFirst().orElseThrow();
    assertThat(use._input().convert(Map.class)).containsKey("city");
    assertThat(events)
        .anySatisfy(
            e ->
                assertThat(e.contentBlockDelta().map(d -> d.delta().isInputJson()).orElse(false))
                    .isTrue());
  }

  @Test
  void thinkingFromAnthropicKeepsItsSignatureBothWays() {
    Upstream u = Upstream.ANTHROPIC;
    MessageCreateParams first =
        u.params()
            .maxTokens(4096)
            .enabledThinking(2048)
            .addUserMessage("Think, then answer")
            .build();
    Message m = client.messages().create(first);
    ThinkingBlock thinking =
        m.content().stream().flatMap(b -> b.thinking().stream()).findFirst().orElseThrow();
    assertThat(thinking.thinking()).isNotBlank();
    assertThat(thinking.signature()).isNotBlank().doesNotStartWith("sbrd1.");
    JsonNode sent = upstream(u).json();
    assertThat(sent.at("/thinking/type").asText()).isEqualTo("enabled");
    assertThat(sent.at("/thinking/budget_tokens").asInt()).isEqualTo(2048);

    // The simulator, like Anthropic, refuses a thinking block whose signature it did not give.
    Message second =
        client
            .messages()
            .create(first.toBuilder().addMessage(m).addUserMessage("And then?").build());
    assertThat(text(second)).startsWith("Simulated answer to: And then?");
    JsonNode back = upstream(u).json().at("/messages/1/content/0");
    assertThat(back.path("type").asText()).isEqualTo("thinking");
    assertThat(back.path("signature").asText()).isEqualTo(thinking.signature());
    assertThat(back.path("thinking").asText()).isEqualTo(thinking.thinking());
  }

  @Test
  void thinkingFromAnthropicStreamsThinkingAndSignatureDeltas() {
    Upstream u = Upstream.ANTHROPIC;
    MessageAccumulator acc = MessageAccumulator.create();
    List<RawMessageStreamEvent> events = new ArrayList<>();
    try (StreamResponse<RawMessageStreamEvent> stream =
        client
            .messages()
            .createStreaming(
                u.params().maxTokens(4096).enabledThinking(2048).addUserMessage("Think").build())) {
      stream.stream()
          .forEach(
              e -> {
                acc.accumulate(e);
                events.add(e);
              });
    }
    assertThat(events)
        .anySatisfy(
            e ->
                assertThat(e.contentBlockDelta().map(d -> d.delta().isThinking()).orElse(false))
                    .isTrue());
    assertThat(events)
        .anySatisfy(
            e ->
                assertThat(e.contentBlockDelta().map(d -> d.delta().isSignature()).orElse(false))
                    .isTrue());
    ThinkingBlock thinking =
        acc.message().content().stream()
            .flatMap(b -> b.thinking().stream())
            .findFirst()
            .orElseThrow();
    // Sent back, the streamed signature is accepted by the (verifying) upstream.
    Message second =
        client
            .messages()
            .create(
                u.params()
                    .maxTokens(4096)
                    .enabledThinking(2048)
                    .addUserMessage("Think")
                    .addMessage(acc.message())
                    .addUserMessage("Again")
                    .build());
    assertThat(text(second)).startsWith("Simulated answer to: Again");
    assertThat(upstream(u).json().at("/messages/1/content/0/signature").asText())
        .isEqualTo(thinking.signature());
  }

  @Test
  void geminiThoughtSignaturesComeBackThroughAToolLoop() {
    Upstream u = Upstream.GEMINI;
    MessageCreateParams first =
        u.params()
            .maxTokens(4096)
            .enabledThinking(2048)
            .addUserMessage("What is the weather in Paris?")
            .addTool(WEATHER)
            .build();
    Message call = client.messages().create(first);
    assertThat(call.content()).anySatisfy(b -> assertThat(b.isThinking()).isTrue());
    // Gemini's signature has no Anthropic block: it travels in an opaque token.
    assertThat(call.content())
        .anySatisfy(
            b -> {
              String token =
                  b.thinking()
                      .map(ThinkingBlock::signature)
                      .or(() -> b.redactedThinking().map(r -> r.data()))
                      .orElse("");
              assertThat(token).startsWith("sbrd1.");
            });
    ToolUseBlock use =
        call.content().stream().flatMap(b -> b.toolUse().stream()).findFirst().orElseThrow();
    // Gemini 3 (and the simulator) refuse a replayed call without the signature it was given.
    Message answer =
        client
            .messages()
            .create(
                first.toBuilder()
                    .addMessage(call)
                    .addUserMessageOfContentBlockParams(
                        List.of(
                            ContentBlockParam.ofToolResult(
                                ToolResultBlockParam.builder()
                                    .toolUseId(use.id())
                                    .content("{\"temperature\":21,\"sky\":\"sunny\"}")
                                    .build())))
                    .build());
    assertThat(text(answer)).contains("sunny");
    JsonNode modelTurn = upstream(u).json().at("/contents/1/parts");
    assertThat(modelTurn.findValuesAsText("thoughtSignature")).isNotEmpty();
  }

  @Test
  void thinkingOverAnOpenAiDialectModelAsksForReasoningAndTakesThinkingBlocksBack() {
    Upstream u = Upstream.OPENAI;
    Message m =
        client
            .messages()
            .create(
                u.params()
                    .maxTokens(4096)
                    .enabledThinking(2048)
                    .addUserMessage("Think")
                    .addAssistantMessageOfContentBlockParams(
                        List.of(
                            ContentBlockParam.ofThinking(
                                ThinkingBlockParam.builder()
                                    .thinking("earlier thoughts")
                                    .signature("sig-from-elsewhere")
                                    .build()),
                            ContentBlockParam.ofText(
                                com.anthropic.models.messages.TextBlockParam.builder()
                                    .text("Earlier answer")
                                    .build())))
                    .addUserMessage("Again")
                    .build());
    assertThat(text(m)).startsWith("Simulated answer to: Again");
    JsonNode sent = upstream(u).json();
    // 2048 of 4096 output tokens: half the limit, a medium effort for an effort-only upstream.
    assertThat(sent.path("reasoning_effort").asText()).isEqualTo("medium");
    assertThat(sent.at("/messages/1/role").asText()).isEqualTo("assistant");
  }

  @ParameterizedTest
  @EnumSource(Upstream.class)
  void anUpstreamErrorIsAnAnthropicErrorWithItsStatus(Upstream u) {
    gw.simulator().addFault(u.provider, Fault.status(400));
    assertThatThrownBy(() -> client.messages().create(u.params().addUserMessage("Hi").build()))
        .isInstanceOfSatisfying(
            BadRequestException.class,
            e -> {
              assertThat(e.statusCode()).isEqualTo(400);
              Map<?, ?> inner = errorOf(e);
              assertThat(inner.get("type")).isEqualTo("invalid_request_error");
              assertThat(inner.get("message")).asString().isNotBlank();
              assertThat(inner.get("error_type")).asString().isNotBlank();
              assertThat(e.body().convert(Map.class).get("type")).isEqualTo("error");
            });
  }

  @Test
  void gatewayErrorsUseAnthropicsTypes() {
    assertThatThrownBy(
            () ->
                client
                    .messages()
                    .create(
                        MessageCreateParams.builder()
                            .model("nobody/no-such-model")
                            .maxTokens(10)
                            .addUserMessage("Hi")
                            .build()))
        .isInstanceOfSatisfying(
            BadRequestException.class,
            e -> assertThat(errorOf(e).get("type")).isEqualTo("invalid_request_error"));
    assertThatThrownBy(
            () ->
                client
                    .messages()
                    .create(
                        MessageCreateParams.builder()
                            .model(Upstream.OPENAI.model)
                            .maxTokens(10)
                            .addUserMessage("Hi")
                            .putAdditionalBodyProperty(
                                "provider", JsonValue.from(Map.of("only", List.of("xiaomi"))))
                            .build()))
        .isInstanceOfSatisfying(
            NotFoundException.class,
            e -> assertThat(errorOf(e).get("type")).isEqualTo("not_found_error"));
    assertThatThrownBy(
            () ->
                client("sk-sb-v1-unknown")
                    .messages()
                    .create(Upstream.OPENAI.params().addUserMessage("Hi").build()))
        .isInstanceOfSatisfying(
            UnauthorizedException.class,
            e -> assertThat(errorOf(e).get("type")).isEqualTo("authentication_error"));
  }

  @Test
  void unsupportedFieldsAreRefusedByName() {
    assertThatThrownBy(
            () ->
                client
                    .messages()
                    .create(
                        Upstream.OPENAI
                            .params()
                            .addUserMessage("Hi")
                            .putAdditionalBodyProperty("container", JsonValue.from("c-1"))
                            .build()))
        .isInstanceOfSatisfying(
            BadRequestException.class,
            e -> assertThat(messageOf(e)).contains("\"container\" is not supported"));
    assertThatThrownBy(
            () ->
                client
                    .messages()
                    .create(
                        Upstream.OPENAI
                            .params()
                            .addUserMessage("Hi")
                            .putAdditionalBodyProperty(
                                "models", JsonValue.from(List.of("openai/gpt-5.2")))
                            .putAdditionalBodyProperty(
                                "fallbacks",
                                JsonValue.from(List.of(Map.of("model", "openai/gpt-5.2"))))
                            .build()))
        .isInstanceOfSatisfying(
            BadRequestException.class,
            e -> assertThat(messageOf(e)).contains("\"fallbacks\" and \"models\""));
  }

  private static String messageOf(AnthropicServiceException e) {
    return String.valueOf(errorOf(e).get("message"));
  }

  /** The {@code error} object of an Anthropic error envelope. */
  private static Map<?, ?> errorOf(AnthropicServiceException e) {
    return (Map<?, ?>) e.body().convert(Map.class).get("error");
  }

  @Test
  void aKeysRateLimitAndTheRoutingTraceApplyAsOnChat() throws Exception {
    JsonNode created =
        ApiJson.tree(
            gw.send(
                    "POST",
                    "/keys",
                    "{\"name\":\"messages rated\",\"requests_per_minute\":1}",
                    TestGateway.MASTER_KEY)
                .body());
    AnthropicClient rated = client(created.path("key").asText());
    Message m =
        rated
            .messages()
            .create(
                Upstream.ANTHROPIC
                    .params()
                    .addUserMessage("Hi")
                    .putAdditionalHeader("X-OpenRouter-Metadata", "enabled")
                    .build());
    Map<?, ?> trace = m._additionalProperties().get("openrouter_metadata").convert(Map.class);
    assertThat(trace.get("requested")).isEqualTo(Upstream.ANTHROPIC.model);
    assertThat(trace.get("attempt")).isEqualTo(1);

    assertThatThrownBy(
            () -> rated.messages().create(Upstream.ANTHROPIC.params().addUserMessage("Hi").build()))
        .isInstanceOfSatisfying(
            RateLimitException.class,
            e -> {
              assertThat(errorOf(e).get("type")).isEqualTo("rate_limit_error");
              assertThat(e.headers().values("retry-after")).isNotEmpty();
            });
  }
}
