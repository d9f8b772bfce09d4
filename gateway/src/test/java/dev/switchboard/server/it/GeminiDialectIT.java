package dev.switchboard.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.openai.client.OpenAIClient;
import com.openai.core.JsonValue;
import com.openai.core.http.StreamResponse;
import com.openai.models.ReasoningEffort;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionMessageFunctionToolCall;
import dev.switchboard.api.json.ApiJson;
import dev.switchboard.simulator.RecordedRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code google/gemini-3-flash-preview} in demo mode goes to the simulator's Gemini dialect: the
 * official OpenAI Java client, unchanged but for base URL and key, streams text, completes a tool
 * round trip and gets reasoning when it asks; what the simulator received is a Gemini body.
 */
class GeminiDialectIT {

  private static final String MODEL = "google/gemini-3-flash-preview";
  private static final String PROVIDER = "google-ai-studio";
  private static final JsonValue ONLY_AI_STUDIO = JsonValue.from(Map.of("only", List.of(PROVIDER)));

  @RegisterExtension static final TestGateway gw = TestGateway.perClass();
  static OpenAIClient client;

  @BeforeAll
  static void start() {
    client = Clients.openAi(gw);
  }

  private static ChatCompletionCreateParams.Builder params(String prompt) {
    return ChatCompletionCreateParams.builder()
        .model(MODEL)
        .addUserMessage(prompt)
        .putAdditionalBodyProperty("provider", ONLY_AI_STUDIO);
  }

  private static RecordedRequest lastRequest() {
    return gw.simulator().lastRequest(PROVIDER).orElseThrow();
  }

  private static JsonNode body(RecordedRequest request) throws Exception {
    return ApiJson.tree(request.body());
  }

  @Test
  void streamsTextFromTheGeminiDialect() throws Exception {
    List<ChatCompletionChunk> chunks =
        Clients.streamChunks(client, params("Stream a short answer").build());
    StringBuilder text = new StringBuilder();
    for (ChatCompletionChunk chunk : chunks) {
      for (var choice : chunk.choices()) {
        choice.delta().content().ifPresent(text::append);
      }
    }
    assertThat(text.toString()).startsWith("Simulated answer to: Stream a short answer");
    assertThat(chunks).extracting(ChatCompletionChunk::model).containsOnly(MODEL);
    ChatCompletionChunk last = chunks.getLast();
    assertThat(last.choices()).isEmpty();
    var usage = last.usage().orElseThrow();
    assertThat(usage.totalTokens()).isEqualTo(usage.promptTokens() + usage.completionTokens());
    assertThat(chunks.get(chunks.size() - 2).choices().getFirst().finishReason())
        .hasValueSatisfying(r -> assertThat(r.asString()).isEqualTo("stop"));

    RecordedRequest sent = lastRequest();
    assertThat(sent.path())
        .isEqualTo(
            "/p/google-ai-studio/v1/models/gemini-3-flash-preview:streamGenerateContent?alt=sse");
    JsonNode body = body(sent);
    assertThat(body.at("/contents/0/role").asText()).isEqualTo("user");
    assertThat(body.at("/contents/0/parts/0/text").asText()).isEqualTo("Stream a short answer");
    assertThat(body.has("messages")).isFalse();
    assertThat(body.has("model")).isFalse();
    assertThat(body.has("stream")).isFalse();
  }

  @Test
  void completesAToolRoundTrip() throws Exception {
    ChatCompletionCreateParams first =
        params("What is the weather in Paris?").addFunctionTool(Clients.WEATHER).build();
    ChatCompletion call = client.chat().completions().create(first);
    var message = call.choices().getFirst().message();
    assertThat(call.choices().getFirst().finishReason().asString()).isEqualTo("tool_calls");
    ChatCompletionMessageFunctionToolCall toolCall =
        message.toolCalls().orElseThrow().getFirst().asFunction();
    assertThat(toolCall.id()).matches("call_[0-9A-Za-z]{24}");
    assertThat(toolCall.function().name()).isEqualTo("get_weather");
    JsonNode args = ApiJson.tree(toolCall.function().arguments());
    assertThat(args.get("city").isTextual()).isTrue();
    assertThat(args.get("unit").asText()).isIn("c", "f");
    JsonNode tools = body(lastRequest()).at("/tools/0/functionDeclarations/0");
    assertThat(tools.path("name").asText()).isEqualTo("get_weather");
    assertThat(tools.at("/parametersJsonSchema/required").toString())
        .isEqualTo("[\"city\",\"unit\"]");

    ChatCompletion answer =
        client
            .chat()
            .completions()
            .create(
                Clients.withToolResult(
                    first, message, toolCall.id(), "{\"temperature\":21,\"sky\":\"sunny\"}"));
    assertThat(answer.choices().getFirst().message().content().orElseThrow()).contains("sunny");
    assertThat(answer.choices().getFirst().finishReason().asString()).isEqualTo("stop");

    JsonNode sent = body(lastRequest());
    JsonNode model = sent.at("/contents/1");
    assertThat(model.path("role").asText()).isEqualTo("model");
    assertThat(model.at("/parts/0/functionCall/name").asText()).isEqualTo("get_weather");
    // The real signature when the client sent reasoning_details back, else Google's placeholder:
    // either way Gemini 3 (and the simulator) accept the replayed call.
    assertThat(model.at("/parts/0/thoughtSignature").asText()).isNotEmpty();
    JsonNode result = sent.at("/contents/2/parts/0/functionResponse");
    assertThat(result.path("name").asText()).isEqualTo("get_weather");
    assertThat(result.at("/response/sky").asText()).isEqualTo("sunny");
  }

  @Test
  void returnsReasoningWhenAskedAndTheSignatureComesBackUnchanged() throws Exception {
    ChatCompletion completion =
        client
            .chat()
            .completions()
            .create(
                params("Why is the sky blue?")
                    .reasoningEffort(ReasoningEffort.HIGH)
                    .addFunctionTool(Clients.WEATHER)
                    .toolChoice(
                        com.openai.models.chat.completions.ChatCompletionToolChoiceOption.Auto.NONE)
                    .build());
    var message = completion.choices().getFirst().message();
    Map<String, JsonValue> extra = message._additionalProperties();
    assertThat(extra.get("reasoning").convert(String.class)).startsWith("Simulated reasoning.");
    JsonNode details = ApiJson.tree(ApiJson.string(extra.get("reasoning_details")));
    assertThat(details.at("/0/type").asText()).isEqualTo("reasoning.text");
    assertThat(details.at("/0/format").asText()).isEqualTo("google-gemini-v1");
    assertThat(details.at("/1/type").asText()).isEqualTo("reasoning.encrypted");
    String signature = details.at("/1/data").asText();
    assertThat(signature).startsWith("Sim");
    var usage = completion.usage().orElseThrow();
    assertThat(usage.completionTokensDetails().orElseThrow().reasoningTokens().orElseThrow())
        .isPositive();

    JsonNode thinking = body(lastRequest()).at("/generationConfig/thinkingConfig");
    assertThat(thinking.toString())
        .isEqualTo("{\"includeThoughts\":true,\"thinkingLevel\":\"high\"}");

    // A raw client that echoes reasoning_details gets the signature back to Gemini unchanged.
    String next =
        "{\"model\":\""
            + MODEL
            + "\",\"provider\":{\"only\":[\""
            + PROVIDER
            + "\"]},\"messages\":[{\"role\":\"user\",\"content\":\"Why is the sky blue?\"},"
            + "{\"role\":\"assistant\",\"content\":"
            + ApiJson.string(message.content().orElse(""))
            + ",\"reasoning_details\":"
            + details
            + "},{\"role\":\"user\",\"content\":\"Shorter, please.\"}]}";
    HttpResponse<String> response = gw.chat(next);
    assertThat(response.statusCode()).isEqualTo(200);
    JsonNode replayed = body(lastRequest()).at("/contents/1/parts/0");
    assertThat(replayed.path("thoughtSignature").asText()).isEqualTo(signature);
    assertThat(body(lastRequest()).toString()).doesNotContain("Simulated reasoning.");
  }

  @Test
  void streamsReasoningDeltasBeforeTheAnswer() {
    List<String> reasoning = new ArrayList<>();
    StringBuilder text = new StringBuilder();
    try (StreamResponse<ChatCompletionChunk> stream =
        client
            .chat()
            .completions()
            .createStreaming(
                params("Think, then answer").reasoningEffort(ReasoningEffort.LOW).build())) {
      stream.stream()
          .flatMap(chunk -> chunk.choices().stream())
          .forEach(
              choice -> {
                JsonValue r = choice.delta()._additionalProperties().get("reasoning");
                String piece = r == null ? null : r.convert(String.class);
                if (piece != null) {
                  assertThat(text).isEmpty();
                  reasoning.add(piece);
                }
                choice.delta().content().ifPresent(text::append);
              });
    }
    assertThat(String.join("", reasoning)).startsWith("Simulated reasoning.");
    assertThat(text.toString()).startsWith("Simulated answer to: Think, then answer");
  }
}
