package dev.switchboard.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.openai.client.OpenAIClient;
import com.openai.core.JsonValue;
import com.openai.core.http.StreamResponse;
import com.openai.errors.BadRequestException;
import com.openai.errors.InternalServerException;
import com.openai.errors.NotFoundException;
import com.openai.errors.PermissionDeniedException;
import com.openai.errors.RateLimitException;
import com.openai.errors.UnauthorizedException;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionMessageFunctionToolCall;
import dev.switchboard.api.json.ApiJson;
import dev.switchboard.simulator.Fault;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The official OpenAI Java client, unchanged but for base URL and key, against the gateway. */
class OpenAiClientIT {

  @RegisterExtension static final TestGateway gw = TestGateway.perClass();
  static OpenAIClient client;

  @BeforeAll
  static void start() {
    client = Clients.openAi(gw);
  }

  static OpenAIClient client(String key) {
    return Clients.openAi(gw, key);
  }

  @Test
  void chatCompletionWorksWithOnlyBaseUrlAndKeyChanged() {
    ChatCompletion c =
        client
            .chat()
            .completions()
            .create(
                ChatCompletionCreateParams.builder()
                    .model("openai/gpt-5.2")
                    .addUserMessage("Say hello to the gateway")
                    .build());
    assertThat(c.id()).matches("gen-\\d{10}-[A-Za-z0-9]{20}");
    assertThat(c.model()).isEqualTo("openai/gpt-5.2");
    assertThat(c.choices()).hasSize(1);
    assertThat(c.choices().getFirst().message().content()).get().asString().contains("hello");
    var usage = c.usage().orElseThrow();
    assertThat(usage.totalTokens()).isEqualTo(usage.promptTokens() + usage.completionTokens());
    assertThat(c._additionalProperties().get("provider"))
        .isIn(JsonValue.from("OpenAI"), JsonValue.from("Azure"));
  }

  @Test
  void streamDeliversTextThenOneUsageChunk() {
    List<ChatCompletionChunk> chunks =
        Clients.streamChunks(
            client,
            ChatCompletionCreateParams.builder()
                .model("deepseek/deepseek-chat-v3-0324")
                .addUserMessage("Stream a short answer")
                .build());
    StringBuilder text = new StringBuilder();
    for (ChatCompletionChunk ch : chunks) {
      for (var choice : ch.choices()) {
        choice.delta().content().ifPresent(text::append);
      }
    }
    assertThat(text.toString()).startsWith("Simulated answer to: Stream a short answer");
    assertThat(chunks).extracting(ChatCompletionChunk::id).containsOnly(chunks.getFirst().id());
    ChatCompletionChunk last = chunks.getLast();
    assertThat(last.choices()).isEmpty();
    assertThat(last.usage()).isPresent();
    assertThat(chunks.subList(0, chunks.size() - 1)).allMatch(ch -> ch.usage().isEmpty());
  }

  @Test
  void toolRoundTripCallsTheToolThenAnswersWithItsResult() throws Exception {
    ChatCompletionCreateParams first =
        ChatCompletionCreateParams.builder()
            .model("anthropic/claude-sonnet-4")
            .addUserMessage("What is the weather in Paris?")
            .addFunctionTool(Clients.WEATHER)
            .build();
    ChatCompletion call = client.chat().completions().create(first);
    var message = call.choices().getFirst().message();
    assertThat(call.choices().getFirst().finishReason().asString()).isEqualTo("tool_calls");
    ChatCompletionMessageFunctionToolCall toolCall =
        message.toolCalls().orElseThrow().getFirst().asFunction();
    assertThat(toolCall.function().name()).isEqualTo("get_weather");
    JsonNode args = ApiJson.tree(toolCall.function().arguments());
    assertThat(args.get("city").isTextual()).isTrue();
    assertThat(args.get("unit").asText()).isIn("c", "f");

    ChatCompletion answer =
        client
            .chat()
            .completions()
            .create(
                Clients.withToolResult(
                    first, message, toolCall.id(), "{\"temperature\":21,\"sky\":\"sunny\"}"));
    assertThat(answer.choices().getFirst().message().content().orElseThrow()).contains("sunny");
    assertThat(answer.choices().getFirst().finishReason().asString()).isEqualTo("stop");
  }

  @Test
  void streamedToolCallArrivesAsOneIdOneNameAndArgumentFragments() throws Exception {
    StringBuilder args = new StringBuilder();
    List<String> ids = new ArrayList<>();
    List<String> names = new ArrayList<>();
    try (StreamResponse<ChatCompletionChunk> stream =
        client
            .chat()
            .completions()
            .createStreaming(
                ChatCompletionCreateParams.builder()
                    .model("google/gemini-3-flash-preview")
                    .addUserMessage("Weather in Oslo?")
                    .addFunctionTool(Clients.WEATHER)
                    .build())) {
      stream.stream()
          .flatMap(ch -> ch.choices().stream())
          .flatMap(choice -> choice.delta().toolCalls().orElse(List.of()).stream())
          .forEach(
              tc -> {
                assertThat(tc.index()).isZero();
                tc.id().ifPresent(ids::add);
                tc.function().flatMap(f -> f.name()).ifPresent(names::add);
                tc.function().flatMap(f -> f.arguments()).ifPresent(args::append);
              });
    }
    assertThat(ids).hasSize(1);
    assertThat(names).containsExactly("get_weather");
    assertThat(ApiJson.tree(args.toString()).get("city").isTextual()).isTrue();
  }

  private static ChatCompletionCreateParams simple(String model) {
    return ChatCompletionCreateParams.builder().model(model).addUserMessage("hi").build();
  }

  @Test
  void unknownModelIsABadRequest() {
    assertThatThrownBy(() -> client.chat().completions().create(simple("acme/nope")))
        .isInstanceOf(BadRequestException.class)
        .hasMessageContaining("acme/nope is not a valid model ID");
  }

  @Test
  void unknownKeyIsUnauthorized() {
    assertThatThrownBy(
            () -> client("sk-sb-v1-unknown").chat().completions().create(simple("openai/gpt-5.2")))
        .isInstanceOf(UnauthorizedException.class);
  }

  @Test
  void managementKeyCannotCallInference() {
    assertThatThrownBy(
            () ->
                client(TestGateway.MASTER_KEY)
                    .chat()
                    .completions()
                    .create(simple("openai/gpt-5.2")))
        .isInstanceOf(PermissionDeniedException.class);
  }

  @Test
  void upstreamModelNotFoundOnEveryEndpointIsNotFound() {
    gw.simulator().addFault("xiaomi", new Fault.Status(404, null, Map.of(), 0));
    assertThatThrownBy(
            () -> client.chat().completions().create(simple("xiaomi/mimo-v2-flash:free")))
        .isInstanceOf(NotFoundException.class)
        .hasMessageContaining("Provider returned error");
  }

  @Test
  void upstreamRateLimitOnEveryEndpointIsRateLimited() {
    gw.simulator().addFault("mistral", new Fault.Status(429, null, Map.of(), 0));
    assertThatThrownBy(
            () -> client.chat().completions().create(simple("mistralai/devstral-2-2512:free")))
        .isInstanceOf(RateLimitException.class);
  }

  @Test
  void upstreamServerErrorOnEveryEndpointIsAServerError() {
    gw.simulator().addFault("nvidia", new Fault.Status(500, null, Map.of(), 0));
    assertThatThrownBy(
            () -> client.chat().completions().create(simple("nvidia/nemotron-3-nano:free")))
        .isInstanceOf(InternalServerException.class);
  }
}
