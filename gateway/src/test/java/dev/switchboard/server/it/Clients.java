package dev.switchboard.server.it;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.JsonValue;
import com.openai.models.FunctionDefinition;
import com.openai.models.FunctionParameters;
import com.openai.models.chat.completions.ChatCompletionToolMessageParam;
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

  /** The tool message answering the call {@code toolCallId} with {@code content}. */
  static ChatCompletionToolMessageParam toolResult(String toolCallId, String content) {
    return ChatCompletionToolMessageParam.builder().toolCallId(toolCallId).content(content).build();
  }
}
