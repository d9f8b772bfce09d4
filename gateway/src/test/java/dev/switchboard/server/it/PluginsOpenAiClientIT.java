package dev.switchboard.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.openai.client.OpenAIClient;
import com.openai.core.JsonValue;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionMessage;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Server tools and web search through the official OpenAI Java client, unchanged. */
class PluginsOpenAiClientIT {

  @RegisterExtension static final TestGateway gw = TestGateway.perClass();
  static OpenAIClient client;

  @BeforeAll
  static void start() {
    client = Clients.openAi(gw);
  }

  @Test
  void serverToolsRunInTheGatewayAndTheClientSeesTheAnswer() {
    ChatCompletion c =
        client
            .chat()
            .completions()
            .create(
                ChatCompletionCreateParams.builder()
                    .model("openai/gpt-5.2")
                    .addUserMessage("project loom")
                    .putAdditionalBodyProperty(
                        "tools",
                        JsonValue.from(
                            List.of(
                                Map.of("type", "openrouter:web_search"),
                                Map.of("type", "openrouter:datetime"))))
                    .build());
    ChatCompletionMessage message = c.choices().getFirst().message();
    assertThat(message.toolCalls().orElse(List.of())).isEmpty();
    assertThat(message.content()).get().asString().contains("search.sim/project-loom/1");
    var citations = message.annotations().orElseThrow();
    assertThat(citations).hasSize(5);
    assertThat(citations.getFirst().urlCitation().url())
        .isEqualTo("https://search.sim/project-loom/1");
    var details = c.usage().orElseThrow()._additionalProperties().get("server_tool_use_details");
    assertThat(details.toString()).contains("web_search_requests=1");
  }

  @Test
  void webPluginGivesUrlCitations() {
    ChatCompletion c =
        client
            .chat()
            .completions()
            .create(
                ChatCompletionCreateParams.builder()
                    .model("anthropic/claude-sonnet-4:online")
                    .addUserMessage("virtual threads")
                    .putAdditionalBodyProperty(
                        "plugins", JsonValue.from(List.of(Map.of("id", "web", "max_results", 3))))
                    .build());
    var citations = c.choices().getFirst().message().annotations().orElseThrow();
    assertThat(citations).hasSize(3);
    assertThat(citations.get(2).urlCitation().title()).isEqualTo("Result 3 for virtual threads");
    assertThat(c.usage().orElseThrow()._additionalProperties()).containsKey("cost");
  }
}
