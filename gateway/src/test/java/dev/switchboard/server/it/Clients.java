package dev.switchboard.server.it;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.JsonValue;
import com.openai.core.http.StreamResponse;
import com.openai.models.FunctionDefinition;
import com.openai.models.FunctionParameters;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionMessage;
import com.openai.models.chat.completions.ChatCompletionToolMessageParam;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What the ITs that drive the gateway with the official OpenAI Java client share: the client,
 * unchanged but for base URL and key, and the weather tool of their tool round trips.
 */
final class Clients {

  /** {@code get_weather(city, unit)}, both required, the unit {@code c} or {@code f}. */
  static final FunctionDefinition WEATHER =
      FunctionDefinition.builder()
          .name("get_weather")
          .description("Current weather of a city")
          .parameters(
              FunctionParameters.builder()
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

  private Clients() {}

  /** The official client against {@code gw} with the demo key. */
  static OpenAIClient openAi(TestGateway gw) {
    return openAi(gw, TestGateway.KEY);
  }

  /** The official client against {@code gw} with {@code key}; no retries, so failures show. */
  static OpenAIClient openAi(TestGateway gw, String key) {
    return OpenAIOkHttpClient.builder().baseUrl(gw.base()).apiKey(key).maxRetries(0).build();
  }

  /**
   * The second turn of a tool round trip: {@code first} followed by the assistant's message that
   * called the tool and the tool's {@code result}.
   */
  static ChatCompletionCreateParams withToolResult(
      ChatCompletionCreateParams first,
      ChatCompletionMessage assistant,
      String toolCallId,
      String result) {
    return first.toBuilder()
        .addMessage(assistant)
        .addMessage(toolResult(toolCallId, result))
        .build();
  }

  /** Every chunk of a streamed completion, the stream closed. */
  static List<ChatCompletionChunk> streamChunks(
      OpenAIClient client, ChatCompletionCreateParams params) {
    List<ChatCompletionChunk> chunks = new ArrayList<>();
    try (StreamResponse<ChatCompletionChunk> stream =
        client.chat().completions().createStreaming(params)) {
      stream.stream().forEach(chunks::add);
    }
    return chunks;
  }

  /** The tool message answering the call {@code toolCallId} with {@code content}. */
  static ChatCompletionToolMessageParam toolResult(String toolCallId, String content) {
    return ChatCompletionToolMessageParam.builder().toolCallId(toolCallId).content(content).build();
  }
}
