package dev.switchboard.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.openai.client.OpenAIClient;
import com.openai.core.http.StreamResponse;
import com.openai.errors.BadRequestException;
import com.openai.models.completions.Completion;
import com.openai.models.completions.CompletionCreateParams;
import dev.switchboard.api.json.ApiJson;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The legacy {@code POST /completions} driven by the official OpenAI Java client over a chat model
 * of each upstream dialect: the prompt goes up as a user message and comes back as {@code
 * choices[].text}.
 */
class CompletionsIT {

  @RegisterExtension static final TestGateway gw = TestGateway.perClass();
  static OpenAIClient client;

  @BeforeAll
  static void start() {
    client = Clients.openAi(gw);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"openai/gpt-5.2", "anthropic/claude-sonnet-4", "google/gemini-3-flash-preview"})
  void promptBecomesATextCompletion(String model) throws Exception {
    Completion c =
        client
            .completions()
            .create(
                CompletionCreateParams.builder()
                    .model(CompletionCreateParams.Model.of(model))
                    .prompt("Once upon a time")
                    .maxTokens(100)
                    .build());
    assertThat(c._object_()).isEqualTo(com.openai.core.JsonValue.from("text_completion"));
    assertThat(c.model()).isEqualTo(model);
    assertThat(c.choices()).hasSize(1);
    assertThat(c.choices().getFirst().text()).contains("Once upon a time");
    assertThat(c.choices().getFirst().finishReason())
        .isEqualTo(com.openai.models.completions.CompletionChoice.FinishReason.STOP);
    var usage = c.usage().orElseThrow();
    assertThat(usage.totalTokens()).isEqualTo(usage.promptTokens() + usage.completionTokens());

    HttpResponse<String> record = gw.get("/generation?id=" + c.id(), TestGateway.KEY);
    JsonNode data = ApiJson.tree(record.body()).path("data");
    assertThat(data.path("api_type").asText()).isEqualTo("completions");
    assertThat(data.path("tokens_completion").asLong()).isEqualTo(usage.completionTokens());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"openai/gpt-5.2", "anthropic/claude-sonnet-4", "google/gemini-3-flash-preview"})
  void streamDeliversTextDeltasThenUsage(String model) {
    List<Completion> chunks = new ArrayList<>();
    try (StreamResponse<Completion> stream =
        client
            .completions()
            .createStreaming(
                CompletionCreateParams.builder()
                    .model(CompletionCreateParams.Model.of(model))
                    .prompt("Stream a short answer")
                    .build())) {
      stream.stream().forEach(chunks::add);
    }
    StringBuilder text = new StringBuilder();
    chunks.forEach(ch -> ch.choices().forEach(choice -> text.append(choice.text())));
    assertThat(text.toString()).startsWith("Simulated answer to: Stream a short answer");
    assertThat(chunks.getLast().choices()).isEmpty();
    assertThat(chunks.getLast().usage()).isPresent();
  }

  @Test
  void whatAPromptCannotCarryIsRefusedByName() throws Exception {
    assertThatThrownBy(
            () ->
                client
                    .completions()
                    .create(
                        CompletionCreateParams.builder()
                            .model(CompletionCreateParams.Model.of("openai/gpt-5.2"))
                            .prompt("hi")
                            .echo(true)
                            .build()))
        .isInstanceOf(BadRequestException.class)
        .hasMessageContaining("echo");
    HttpResponse<String> res =
        gw.post(
            "/completions",
            "{\"model\":\"openai/gpt-5.2\",\"prompt\":[1,2,3]}",
            TestGateway.KEY,
            "application/json");
    assertThat(res.statusCode()).isEqualTo(400);
    assertThat(res.body()).contains("token ids");
    res =
        gw.post(
            "/completions",
            "{\"model\":\"openai/gpt-5.2\",\"prompt\":\"hi\",\"suffix\":\"end\"}",
            TestGateway.KEY,
            "application/json");
    assertThat(res.statusCode()).isEqualTo(400);
    assertThat(res.body()).contains("suffix");
  }
}
