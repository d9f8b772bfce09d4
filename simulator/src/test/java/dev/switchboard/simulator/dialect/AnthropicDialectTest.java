package dev.switchboard.simulator.dialect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.api.json.ApiJson;
import dev.switchboard.simulator.behavior.Ids;
import dev.switchboard.simulator.behavior.Plan;
import dev.switchboard.simulator.behavior.Planner;
import dev.switchboard.simulator.behavior.Prompt;
import dev.switchboard.simulator.behavior.ThinkingText;
import dev.switchboard.sse.SseEvent;
import dev.switchboard.sse.SseReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class AnthropicDialectTest {

  private final AnthropicDialect dialect = new AnthropicDialect(new Ids(1));
  private final Planner planner = new Planner(1);

  private Prompt parse(String body) throws DialectException {
    return dialect.parse(body.getBytes(StandardCharsets.UTF_8));
  }

  private static String request(String messages, String... members) {
    StringBuilder out =
        new StringBuilder("{\"model\":\"claude\",\"max_tokens\":4096,\"messages\":")
            .append(messages);
    for (String member : members) {
      out.append(',').append(member);
    }
    return out.append('}').toString();
  }

  private static final String HI = "[{\"role\":\"user\",\"content\":\"hi\"}]";
  private static final String THINKING =
      "\"thinking\":{\"type\":\"enabled\",\"budget_tokens\":1024}";

  @Test
  void readsSystemToolResultsToolsChoiceAndThinking() throws DialectException {
    Prompt prompt =
        parse(
            request(
                "[{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"Weather?\"}]},"
                    + "{\"role\":\"assistant\",\"content\":[{\"type\":\"tool_use\",\"id\":\"t1\","
                    + "\"name\":\"w\",\"input\":{\"city\":\"Paris\"}}]},"
                    + "{\"role\":\"user\",\"content\":[{\"type\":\"tool_result\",\"tool_use_id\":"
                    + "\"t1\",\"content\":[{\"type\":\"text\",\"text\":\"sunny\"}]}]}]",
                "\"system\":[{\"type\":\"text\",\"text\":\"Be brief\"}]",
                "\"tools\":[{\"name\":\"w\",\"input_schema\":{\"type\":\"object\"}},"
                    + "{\"type\":\"web_search_20250305\",\"name\":\"web_search\"}]",
                "\"tool_choice\":{\"type\":\"auto\",\"disable_parallel_tool_use\":true}",
                "\"stop_sequences\":[\"END\"]",
                "\"stream\":true",
                THINKING));

    assertThat(prompt.turns())
        .containsExactly(
            new Prompt.Turn(Prompt.Role.SYSTEM, "Be brief"),
            new Prompt.Turn(Prompt.Role.USER, "Weather?"),
            new Prompt.Turn(Prompt.Role.ASSISTANT, "{\"city\":\"Paris\"}"),
            new Prompt.Turn(Prompt.Role.TOOL, "sunny"));
    assertThat(prompt.tools()).extracting(Prompt.ToolSpec::name).containsExactly("w");
    assertThat(prompt.parallelToolCalls()).isFalse();
    assertThat(prompt.stop()).containsExactly("END");
    assertThat(prompt.stream()).isTrue();
    assertThat(prompt.reasoning()).isTrue();
    assertThat(prompt.maxTokens()).isEqualTo(4096);
  }

  @Test
  void refusesWhatAnthropicRefuses() {
    assertRejected("{\"model\":\"m\",\"messages\":" + HI + "}", "max_tokens: Field required");
    assertRejected(request("[]"), "messages");
    assertRejected(
        request("[{\"role\":\"system\",\"content\":\"x\"}]"),
        "Input should be 'user' or 'assistant'");
    assertRejected(
        request(HI, "\"thinking\":{\"type\":\"enabled\",\"budget_tokens\":512}"),
        "greater than or equal to 1024");
    assertRejected(
        "{\"model\":\"m\",\"max_tokens\":1024,\"messages\":" + HI + "," + THINKING + "}",
        "`max_tokens` must be greater than `thinking.budget_tokens`");
    assertRejected(request(HI, THINKING, "\"temperature\":0.5"), "`temperature` may only be set");
    assertRejected(request(HI, THINKING, "\"top_k\":5"), "top_k");
    assertRejected(
        request(
            HI,
            THINKING,
            "\"tools\":[{\"name\":\"w\",\"input_schema\":{\"type\":\"object\"}}]",
            "\"tool_choice\":{\"type\":\"any\"}"),
        "Thinking may not be enabled when tool_choice forces tool use");
    assertRejected(
        request(
            "[{\"role\":\"user\",\"content\":\"hi\"},{\"role\":\"assistant\",\"content\":["
                + "{\"type\":\"tool_use\",\"id\":\"t1\",\"name\":\"w\",\"input\":{}}]},"
                + "{\"role\":\"user\",\"content\":\"and?\"}]"),
        "`tool_use` ids were found without `tool_result` blocks immediately after: t1");
    assertRejected(
        request(
            "[{\"role\":\"user\",\"content\":\"hi\"},{\"role\":\"assistant\",\"content\":["
                + "{\"type\":\"thinking\",\"thinking\":\"t\",\"signature\":\"forged\"},"
                + "{\"type\":\"text\",\"text\":\"ok\"}]},{\"role\":\"user\",\"content\":\"go\"}]"),
        "Invalid `signature` in `thinking` block");
  }

  @Test
  void acceptsThinkingItSignedItself() throws DialectException {
    String thinking = "I will answer.";
    Prompt prompt =
        parse(
            request(
                "[{\"role\":\"user\",\"content\":\"hi\"},{\"role\":\"assistant\",\"content\":["
                    + "{\"type\":\"thinking\",\"thinking\":\""
                    + thinking
                    + "\",\"signature\":\""
                    + ThinkingText.signature(thinking)
                    + "\"},{\"type\":\"text\",\"text\":\"ok\"}]},"
                    + "{\"role\":\"user\",\"content\":\"go\"}]"));

    assertThat(prompt.turns()).hasSize(3);
  }

  @Test
  void rendersThinkingThenTextWithASignatureThatVerifies() throws Exception {
    Prompt prompt = parse(request(HI, THINKING));
    Plan plan = planner.plan(prompt);

    JsonNode body = ApiJson.tree(dialect.respond(prompt, plan).json());

    JsonNode thinking = body.at("/content/0");
    assertThat(thinking.path("type").asText()).isEqualTo("thinking");
    assertThat(
            ThinkingText.verify(
                thinking.path("thinking").asText(), thinking.path("signature").asText()))
        .isTrue();
    assertThat(body.at("/content/1/type").asText()).isEqualTo("text");
    assertThat(body.at("/usage/output_tokens").asInt())
        .isEqualTo(
            plan.completionTokens()
                + body.at("/usage/output_tokens_details/thinking_tokens").asInt());
  }

  @Test
  void streamsFramesWhoseEventsReassembleTheReply() throws Exception {
    Prompt prompt =
        parse(
            request(
                HI,
                "\"stream\":true",
                "\"tools\":[{\"name\":\"a\",\"input_schema\":{\"type\":\"object\",\"properties\":"
                    + "{\"x\":{\"type\":\"string\"}}}},{\"name\":\"b\",\"input_schema\":"
                    + "{\"type\":\"object\",\"properties\":{\"y\":{\"type\":\"integer\"}}}}]",
                "\"tool_choice\":{\"type\":\"any\"}"));
    Plan plan = planner.plan(prompt);
    Frames frames = dialect.respond(prompt, plan).frames();

    List<SseEvent> events = SseReader.parse(frames.text().toString());

    StringBuilder second = new StringBuilder();
    for (SseEvent event : events) {
      JsonNode data = ApiJson.tree(event.data());
      if (data.path("index").asInt(-1) == 1 && data.path("delta").has("partial_json")) {
        second.append(data.at("/delta/partial_json").asText());
      }
    }
    assertThat(ApiJson.tree(second.toString()).has("y")).isTrue();
    assertThat(events.getLast().event()).isEqualTo("message_stop");
    assertThat(frames.chunkCount()).isEqualTo(frames.size() - 1);
    assertThat(ApiJson.tree(events.get(events.size() - 2).data()).at("/delta/stop_reason").asText())
        .isEqualTo("tool_use");
  }

  @Test
  void aMatchedStopSequenceIsTheStopReasonWithTheSequenceWholeAndStreamed() throws Exception {
    String stops = "\"stop_sequences\":[\"zzz\",\"answer\"]";
    Prompt whole = parse(request(HI, stops));
    JsonNode body = ApiJson.tree(dialect.respond(whole, planner.plan(whole)).json());
    assertThat(body.at("/content/0/text").asText()).isEqualTo("Simulated ");
    assertThat(body.path("stop_reason").asText()).isEqualTo("stop_sequence");
    assertThat(body.path("stop_sequence").asText()).isEqualTo("answer");

    Prompt streamed = parse(request(HI, stops, "\"stream\":true"));
    List<SseEvent> events =
        SseReader.parse(
            dialect.respond(streamed, planner.plan(streamed)).frames().text().toString());
    JsonNode delta = ApiJson.tree(events.get(events.size() - 2).data()).path("delta");
    assertThat(delta.path("stop_reason").asText()).isEqualTo("stop_sequence");
    assertThat(delta.path("stop_sequence").asText()).isEqualTo("answer");

    Prompt cutShorter =
        parse(request(HI, stops, "\"max_tokens\":1").replace(",\"max_tokens\":4096", ""));
    JsonNode limited = ApiJson.tree(dialect.respond(cutShorter, planner.plan(cutShorter)).json());
    assertThat(limited.path("stop_reason").asText()).isEqualTo("max_tokens");
    assertThat(limited.path("stop_sequence").isNull()).isTrue();
  }

  @Test
  void rendersErrorsInAnthropicsEnvelope() throws IOException {
    JsonNode bad =
        ApiJson.tree(dialect.badRequestBody(new DialectException(400, "nope", null, null)));
    assertThat(bad.path("type").asText()).isEqualTo("error");
    assertThat(bad.at("/error/type").asText()).isEqualTo("invalid_request_error");
    assertThat(ApiJson.tree(dialect.errorBody(529)).at("/error/type").asText())
        .isEqualTo("overloaded_error");
    assertThat(ApiJson.tree(dialect.errorBody(418)).at("/error/message").asText())
        .isEqualTo("Simulated HTTP 418 error.");
    assertThat(ApiJson.tree(dialect.errorBody(402)).at("/error/type").asText())
        .isEqualTo("billing_error");
  }

  private void assertRejected(String body, String message) {
    assertThatThrownBy(() -> parse(body))
        .isInstanceOfSatisfying(DialectException.class, e -> assertThat(e.status()).isEqualTo(400))
        .hasMessageContaining(message);
  }
}
