package dev.switchboard.simulator.dialect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.api.json.ApiJson;
import dev.switchboard.simulator.behavior.Ids;
import dev.switchboard.simulator.behavior.Planner;
import dev.switchboard.simulator.behavior.Prompt;
import dev.switchboard.sse.SseReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class OpenAiDialectTest {

  private final OpenAiDialect dialect = new OpenAiDialect(new Ids(1));

  @Test
  void readsMessagesToolsAndOptions() throws DialectException {
    Prompt prompt =
        parse(
            "{\"model\":\"m\",\"stream\":true,\"stream_options\":{\"include_usage\":true},"
                + "\"max_tokens\":9,\"max_completion_tokens\":7,\"stop\":\"END\","
                + "\"parallel_tool_calls\":false,\"tool_choice\":{\"type\":\"function\","
                + "\"function\":{\"name\":\"t\"}},\"tools\":[{\"type\":\"function\",\"function\":"
                + "{\"name\":\"t\",\"parameters\":{\"type\":\"object\"}}}],\"messages\":["
                + "{\"role\":\"developer\",\"content\":\"Be brief\"},"
                + "{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"a\"},"
                + "{\"type\":\"image_url\",\"image_url\":{\"url\":\"x\"}},{\"type\":\"text\","
                + "\"text\":\"b\"}]}]}");

    assertThat(prompt.turns())
        .containsExactly(
            new Prompt.Turn(Prompt.Role.SYSTEM, "Be brief"),
            new Prompt.Turn(Prompt.Role.USER, "a b"));
    assertThat(prompt.maxTokens()).isEqualTo(7);
    assertThat(prompt.stop()).containsExactly("END");
    assertThat(prompt.toolChoice()).isEqualTo(new Prompt.ToolChoice.Named("t"));
    assertThat(prompt.parallelToolCalls()).isFalse();
    assertThat(prompt.stream()).isTrue();
    assertThat(prompt.includeUsage()).isTrue();
  }

  @Test
  void rejectsInvalidRequestsWithOpenAiParamsAndCodes() {
    assertRejected("{\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}", null, null);
    assertRejected("{\"model\":\"m\",\"messages\":[]}", "messages", "missing_required_parameter");
    assertRejected(
        "{\"model\":\"m\",\"messages\":[{\"role\":\"robot\",\"content\":\"x\"}]}",
        "messages[0].role",
        "invalid_value");
    assertRejected(
        "{\"model\":\"m\",\"max_tokens\":0,\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}",
        "max_tokens",
        "integer_below_min_value");
    assertRejected(
        "{\"model\":\"m\",\"tool_choice\":{\"type\":\"function\",\"function\":{\"name\":\"z\"}},"
            + "\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}",
        "tool_choice",
        "invalid_value");
    assertRejected("[1,2", null, null);
  }

  @Test
  void rendersErrorBodiesInOpenAiShape() throws IOException {
    var body =
        ApiJson.tree(dialect.badRequestBody(new DialectException(400, "bad", "messages", "c")));

    assertThat(body.at("/error/message").asText()).isEqualTo("bad");
    assertThat(body.at("/error/type").asText()).isEqualTo("invalid_request_error");
    assertThat(ApiJson.tree(dialect.errorBody(401)).at("/error/code").asText())
        .isEqualTo("invalid_api_key");
    assertThat(ApiJson.tree(dialect.errorBody(418)).at("/error/message").asText())
        .isEqualTo("Simulated HTTP 418 error.");
  }

  @Test
  void rendersAStreamWhoseFramesParseBackIntoChunks() throws DialectException {
    Prompt prompt =
        parse(
            "{\"model\":\"m\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}");
    Dialect.Response response = dialect.respond(prompt, new Planner(1).plan(prompt));

    Frames frames = response.frames();
    var events = SseReader.parse(frames.text().toString().getBytes(StandardCharsets.UTF_8));

    assertThat(events).hasSize(frames.size());
    assertThat(frames.chunkCount()).isEqualTo(frames.size() - 1);
    assertThat(events.getLast().isDone()).isTrue();
    assertThat(frames.paced(0)).isFalse();
    assertThat(frames.paced(1)).isTrue();
    assertThat(frames.frame(1)).startsWith("data: {\"id\":\"chatcmpl-").endsWith("}\n\n");
  }

  @Test
  void aMatchedStopStringIsNamedAsVllmDoesAndOnlyThen() throws Exception {
    String body =
        "{\"model\":\"m\",\"stop\":[\"zzz\",\"answer\"],\"messages\":[{\"role\":\"user\","
            + "\"content\":\"Hi\"}]%s}";
    Prompt whole = parse(body.formatted(""));
    var json = ApiJson.tree(dialect.respond(whole, new Planner(1).plan(whole)).json());
    assertThat(json.at("/choices/0/message/content").asText()).isEqualTo("Simulated ");
    assertThat(json.at("/choices/0/finish_reason").asText()).isEqualTo("stop");
    assertThat(json.at("/choices/0/stop_reason").asText()).isEqualTo("answer");

    Prompt streamed = parse(body.formatted(",\"stream\":true"));
    var events =
        SseReader.parse(
            dialect
                .respond(streamed, new Planner(1).plan(streamed))
                .frames()
                .text()
                .toString()
                .getBytes(StandardCharsets.UTF_8));
    var last = ApiJson.tree(events.get(events.size() - 2).data());
    assertThat(last.at("/choices/0/stop_reason").asText()).isEqualTo("answer");

    Prompt unmatched = parse(body.formatted("").replace("answer", "zzz2"));
    assertThat(
            ApiJson.tree(dialect.respond(unmatched, new Planner(1).plan(unmatched)).json())
                .at("/choices/0")
                .has("stop_reason"))
        .isFalse();
  }

  private Prompt parse(String json) throws DialectException {
    return dialect.parse(json.getBytes(StandardCharsets.UTF_8));
  }

  private void assertRejected(String json, String param, String code) {
    assertThatThrownBy(() -> parse(json))
        .isInstanceOfSatisfying(
            DialectException.class,
            e -> {
              assertThat(e.status()).isEqualTo(400);
              assertThat(e.param()).isEqualTo(param);
              assertThat(e.code()).isEqualTo(code);
            });
  }
}
