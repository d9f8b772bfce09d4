package dev.switchboard.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.openai.client.OpenAIClient;
import com.openai.core.JsonValue;
import com.openai.core.http.StreamResponse;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionAssistantMessageParam;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionMessage;
import com.openai.models.chat.completions.ChatCompletionMessageFunctionToolCall;
import dev.switchboard.api.json.ApiJson;
import dev.switchboard.simulator.RecordedRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code anthropic/claude-sonnet-4} in demo mode goes through the Anthropic adapter to the
 * simulator's Anthropic dialect, driven by the official OpenAI Java client: streamed text, a tool
 * round trip, reasoning (with its signature sent back on the next turn), and what the upstream
 * received is a valid Messages request.
 */
class AnthropicDialectIT {

  private static final String MODEL = "anthropic/claude-sonnet-4";

  @RegisterExtension static final TestGateway gw = TestGateway.perClass();
  static OpenAIClient client;

  @BeforeAll
  static void start() {
    client = Clients.openAi(gw);
  }

  private static final JsonValue HIGH_EFFORT = JsonValue.from(Map.of("effort", "high"));

  /**
   * A request for the model, pinned to the {@code anthropic} provider: the default order is
   * price-weighted, and Bedrock and Vertex serve the same model (also in Anthropic's dialect in
   * demo mode), so without the pin the upstream request could land on either.
   */
  private static ChatCompletionCreateParams.Builder params() {
    return ChatCompletionCreateParams.builder()
        .model(MODEL)
        .putAdditionalBodyProperty(
            "provider", JsonValue.from(Map.of("only", List.of("anthropic"))));
  }

  private static RecordedRequest lastUpstreamRequest() {
    return gw.simulator().lastRequest("anthropic").orElseThrow();
  }

  @Test
  void streamsTextFromTheAnthropicDialect() {
    List<ChatCompletionChunk> chunks =
        Clients.streamChunks(
            client,
            params().addSystemMessage("Be brief.").addUserMessage("Stream a short answer").build());
    StringBuilder text = new StringBuilder();
    chunks.forEach(ch -> ch.choices().forEach(c -> c.delta().content().ifPresent(text::append)));
    assertThat(text.toString()).startsWith("Simulated answer to: Stream a short answer");
    assertThat(chunks.getLast().choices()).isEmpty();
    assertThat(chunks.getLast().usage().orElseThrow().promptTokens()).isPositive();
    assertThat(chunks.getFirst()._additionalProperties().get("provider"))
        .isEqualTo(JsonValue.from("Anthropic"));

    RecordedRequest sent = lastUpstreamRequest();
    assertThat(sent.path()).isEqualTo("/p/anthropic/v1/messages");
    assertThat(sent.header("anthropic-version")).isEqualTo("2023-06-01");
    JsonNode body = sent.json();
    assertThat(body.path("stream").asBoolean()).isTrue();
    assertThat(body.at("/system/0/text").asText()).isEqualTo("Be brief.");
    assertThat(body.at("/messages/0/role").asText()).isEqualTo("user");
  }

  @Test
  void completesAToolRoundTrip() throws Exception {
    ChatCompletionCreateParams first =
        params()
            .addUserMessage("What is the weather in Paris?")
            .addFunctionTool(Clients.WEATHER)
            .build();
    ChatCompletion call = client.chat().completions().create(first);
    assertThat(call.choices().getFirst().finishReason().asString()).isEqualTo("tool_calls");
    ChatCompletionMessage message = call.choices().getFirst().message();
    ChatCompletionMessageFunctionToolCall toolCall =
        message.toolCalls().orElseThrow().getFirst().asFunction();
    assertThat(toolCall.id()).startsWith("toolu_");
    assertThat(ApiJson.tree(toolCall.function().arguments()).get("unit").asText()).isIn("c", "f");

    ChatCompletion answer =
        client
            .chat()
            .completions()
            .create(
                Clients.withToolResult(
                    first, message, toolCall.id(), "{\"temperature\":21,\"sky\":\"sunny\"}"));

    assertThat(answer.choices().getFirst().message().content().orElseThrow()).contains("sunny");
    assertThat(answer.choices().getFirst().finishReason().asString()).isEqualTo("stop");
    JsonNode body = lastUpstreamRequest().json();
    assertThat(body.at("/messages/1/content/0/type").asText()).isEqualTo("tool_use");
    assertThat(body.at("/messages/2/content/0/type").asText()).isEqualTo("tool_result");
    assertThat(body.at("/messages/2/content/0/tool_use_id").asText()).isEqualTo(toolCall.id());
  }

  @Test
  void returnsReasoningWhenAskedAndTheUpstreamGetsAValidThinkingBudget() {
    ChatCompletion c =
        client
            .chat()
            .completions()
            .create(
                params()
                    .addUserMessage("Think about the number 42")
                    .putAdditionalBodyProperty("reasoning", HIGH_EFFORT)
                    .build());

    Map<String, JsonValue> extra = c.choices().getFirst().message()._additionalProperties();
    assertThat(String.valueOf(extra.get("reasoning").asString().orElseThrow()))
        .startsWith("Simulated reasoning.");
    JsonNode details = ApiJson.toTree(extra.get("reasoning_details"));
    assertThat(details.get(0).path("format").asText()).isEqualTo("anthropic-claude-v1");
    assertThat(details.get(0).path("signature").asText()).isNotBlank();
    assertThat(c.usage().orElseThrow().completionTokensDetails().orElseThrow().reasoningTokens())
        .hasValueSatisfying(n -> assertThat(n).isPositive());

    JsonNode body = lastUpstreamRequest().json();
    assertThat(body.path("model").asText()).isEqualTo("claude-sonnet-4-20250514");
    assertThat(body.path("max_tokens").asInt()).isEqualTo(64000);
    assertThat(body.at("/thinking/type").asText()).isEqualTo("enabled");
    assertThat(body.at("/thinking/budget_tokens").asInt()).isEqualTo(51200);
    assertThat(body.has("reasoning")).isFalse();
    assertThat(body.at("/messages/0/content/0/text").asText())
        .isEqualTo("Think about the number 42");
  }

  @Test
  void streamsReasoningBeforeTheAnswer() {
    List<String> order = new ArrayList<>();
    try (StreamResponse<ChatCompletionChunk> stream =
        client
            .chat()
            .completions()
            .createStreaming(
                params()
                    .addUserMessage("Think, then answer")
                    .putAdditionalBodyProperty("reasoning", HIGH_EFFORT)
                    .build())) {
      stream.stream()
          .flatMap(ch -> ch.choices().stream())
          .forEach(
              choice -> {
                if (choice.delta()._additionalProperties().containsKey("reasoning")) {
                  order.add("reasoning");
                }
                choice
                    .delta()
                    .content()
                    .filter(t -> !t.isEmpty())
                    .ifPresent(t -> order.add("text"));
              });
    }
    assertThat(order).contains("reasoning", "text");
    assertThat(order.indexOf("reasoning")).isLessThan(order.indexOf("text"));
  }

  @Test
  void sendsThinkingBackWithItsSignatureOnTheNextTurn() throws Exception {
    ChatCompletionCreateParams first =
        params()
            .addUserMessage("What is the weather in Oslo?")
            .addFunctionTool(Clients.WEATHER)
            .putAdditionalBodyProperty("reasoning", HIGH_EFFORT)
            .build();
    ChatCompletionMessage message =
        client.chat().completions().create(first).choices().getFirst().message();
    ChatCompletionMessageFunctionToolCall toolCall =
        message.toolCalls().orElseThrow().getFirst().asFunction();
    JsonValue details = message._additionalProperties().get("reasoning_details");
    assertThat(details).isNotNull();
    ChatCompletionAssistantMessageParam assistant =
        message.toParam().toBuilder().putAdditionalProperty("reasoning_details", details).build();

    ChatCompletion answer =
        client
            .chat()
            .completions()
            .create(
                first.toBuilder()
                    .addMessage(assistant)
                    .addMessage(Clients.toolResult(toolCall.id(), "cold and clear"))
                    .build());

    assertThat(answer.choices().getFirst().message().content().orElseThrow())
        .contains("cold and clear");
    JsonNode thinking = lastUpstreamRequest().json().at("/messages/1/content/0");
    assertThat(thinking.path("type").asText()).isEqualTo("thinking");
    assertThat(thinking.path("signature").asText())
        .isEqualTo(ApiJson.toTree(details).get(0).path("signature").asText());
  }
}
