package dev.switchboard.provider.anthropic;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.api.json.ApiJson;
import dev.switchboard.core.error.FailureClass;
import dev.switchboard.core.model.FinishReason;
import dev.switchboard.core.model.LlmResponse;
import dev.switchboard.core.model.StreamEvent;
import dev.switchboard.core.model.Usage;
import dev.switchboard.core.provider.StreamDecoder;
import dev.switchboard.core.provider.UpstreamResponse;
import dev.switchboard.sse.SseEvent;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AnthropicStreamDecoderTest {

  private final StreamDecoder decoder =
      new AnthropicAdapter().newStreamDecoder(TestTargets.sonnet45());

  private List<StreamEvent> feed(String... dataLines) {
    List<StreamEvent> out = new ArrayList<>();
    for (String data : dataLines) {
      out.addAll(decoder.onEvent(SseEvent.data(data)));
    }
    return out;
  }

  private static String start(int input, int cacheRead, int cacheWrite) {
    return "{\"type\":\"message_start\",\"message\":{\"id\":\"msg_1\",\"model\":\"claude\","
        + "\"usage\":{\"input_tokens\":"
        + input
        + ",\"cache_read_input_tokens\":"
        + cacheRead
        + ",\"cache_creation_input_tokens\":"
        + cacheWrite
        + ",\"output_tokens\":1}}}";
  }

  private static String blockStart(int index, String block) {
    return "{\"type\":\"content_block_start\",\"index\":"
        + index
        + ",\"content_block\":"
        + block
        + "}";
  }

  private static String delta(int index, String delta) {
    return "{\"type\":\"content_block_delta\",\"index\":" + index + ",\"delta\":" + delta + "}";
  }

  private static String tool(String id, String name) {
    return "{\"type\":\"tool_use\",\"id\":\"" + id + "\",\"name\":\"" + name + "\",\"input\":{}}";
  }

  private static String json(String fragment) {
    return "{\"type\":\"input_json_delta\",\"partial_json\":\"" + fragment + "\"}";
  }

  @Test
  void keepsDenseToolIndicesWhenTextAndThinkingBlocksComeFirst() {
    List<StreamEvent> events =
        feed(
            start(10, 0, 0),
            blockStart(0, "{\"type\":\"thinking\",\"thinking\":\"\",\"signature\":\"\"}"),
            delta(0, "{\"type\":\"thinking_delta\",\"thinking\":\"hmm\"}"),
            delta(0, "{\"type\":\"signature_delta\",\"signature\":\"sig\"}"),
            blockStart(1, "{\"type\":\"text\",\"text\":\"\"}"),
            delta(1, "{\"type\":\"text_delta\",\"text\":\"Calling.\"}"),
            blockStart(2, tool("toolu_a", "a")),
            blockStart(3, tool("toolu_b", "b")),
            delta(3, json("{\\\"y\\\":")),
            delta(2, json("{\\\"x\\\":1}")),
            delta(3, json("2}")));

    assertThat(events)
        .filteredOn(e -> e instanceof StreamEvent.ToolCallStarted)
        .containsExactly(
            new StreamEvent.ToolCallStarted(0, "toolu_a", "a"),
            new StreamEvent.ToolCallStarted(1, "toolu_b", "b"));
    assertThat(events)
        .filteredOn(e -> e instanceof StreamEvent.ToolCallDelta)
        .containsExactly(
            new StreamEvent.ToolCallDelta(1, "{\"y\":"),
            new StreamEvent.ToolCallDelta(0, "{\"x\":1}"),
            new StreamEvent.ToolCallDelta(1, "2}"));
  }

  @Test
  void reportsUsageWithCacheTokensInsideThePromptAndThinkingTokensWhenGiven() {
    List<StreamEvent> events =
        feed(
            start(5, 100, 20),
            "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\"},"
                + "\"usage\":{\"output_tokens\":42,\"output_tokens_details\":"
                + "{\"thinking_tokens\":30}}}",
            "{\"type\":\"message_stop\"}");

    assertThat(events)
        .contains(
            new StreamEvent.Finished(FinishReason.STOP, "end_turn"),
            new StreamEvent.UsageReported(new Usage(125, 42, 30, 100, 20, false)));
    assertThat(decoder.finished()).isTrue();
  }

  @Test
  void turnsTheStructuredOutputToolIntoTextAndAToolUseStopIntoAStop() {
    List<StreamEvent> events =
        feed(
            start(5, 0, 0),
            blockStart(0, tool("toolu_j", AnthropicRequestMapper.JSON_TOOL)),
            delta(0, json("")),
            delta(0, json("{\\\"a\\\":1}")),
            "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"tool_use\"},"
                + "\"usage\":{\"output_tokens\":3}}");

    assertThat(events)
        .containsSubsequence(
            new StreamEvent.TextDelta("{\"a\":1}"),
            new StreamEvent.Finished(FinishReason.STOP, "tool_use"));
    assertThat(events).noneMatch(e -> e instanceof StreamEvent.ToolCallStarted);
  }

  @Test
  void ignoresServerToolInputAndPassesUnknownEventsAsUnknown() throws Exception {
    List<StreamEvent> events =
        feed(
            start(5, 0, 0),
            blockStart(
                0, "{\"type\":\"server_tool_use\",\"id\":\"srv\",\"name\":\"web\",\"input\":{}}"),
            delta(0, json("{\\\"q\\\":1}")),
            "{\"type\":\"some_future_event\"}",
            delta(0, "{\"type\":\"citations_delta\",\"citation\":{}}"));

    assertThat(events)
        .containsExactly(
            new StreamEvent.Started("msg_1", "claude"),
            new StreamEvent.Unknown(
                "some_future_event", ApiJson.tree("{\"type\":\"some_future_event\"}")));
  }

  @Test
  void anErrorEventFailsTheStreamAndNothingAfterItCounts() {
    List<StreamEvent> events = new ArrayList<>(feed(start(5, 0, 0)));
    events.addAll(
        decoder.onEvent(
            SseEvent.named(
                "error",
                "{\"type\":\"error\",\"error\":{\"type\":\"rate_limit_error\",\"message\":\"x\"}}")));
    events.addAll(feed(blockStart(0, "{\"type\":\"text\",\"text\":\"late\"}")));

    assertThat(events).hasSize(2);
    StreamEvent.Failed failed = (StreamEvent.Failed) events.get(1);
    assertThat(failed.error().kind()).isEqualTo(FailureClass.UPSTREAM_RATE_LIMITED);
    assertThat(failed.error().httpStatus()).isEqualTo(429);
    assertThat(decoder.finished()).isTrue();
    assertThat(decoder.onEnd()).isEmpty();
  }

  @Test
  void malformedJsonIsABadResponseNotAnException() {
    List<StreamEvent> events = feed(start(5, 0, 0), "{\"type\":\"content_block_delta\",\"ind");

    assertThat(events.getLast())
        .isInstanceOfSatisfying(
            StreamEvent.Failed.class,
            f -> assertThat(f.error().kind()).isEqualTo(FailureClass.UPSTREAM_BAD_RESPONSE));
  }

  @Test
  void aStreamCutBeforeItsStopReasonFails() {
    feed(start(5, 0, 0), blockStart(0, "{\"type\":\"text\",\"text\":\"\"}"));

    List<StreamEvent> end = decoder.onEnd();

    assertThat(end).singleElement().isInstanceOf(StreamEvent.Failed.class);
    assertThat(((StreamEvent.Failed) end.getFirst()).error().kind())
        .isEqualTo(FailureClass.UPSTREAM_TRANSIENT);
  }

  @Test
  void aStreamThatEndsAfterItsStopReasonWithoutMessageStopIsComplete() {
    feed(
        start(5, 0, 0),
        "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"max_tokens\"},"
            + "\"usage\":{\"output_tokens\":3}}");

    assertThat(decoder.onEnd()).isEmpty();
  }

  @Test
  void redactedThinkingBecomesAnEncryptedDetailWithItsOwnReasoningIndex() {
    List<StreamEvent> events =
        feed(
            start(5, 0, 0),
            blockStart(0, "{\"type\":\"redacted_thinking\",\"data\":\"abc\"}"),
            blockStart(1, "{\"type\":\"thinking\",\"thinking\":\"\",\"signature\":\"\"}"),
            delta(1, "{\"type\":\"thinking_delta\",\"thinking\":\"t\"}"));

    StreamEvent.ReasoningDelta redacted = (StreamEvent.ReasoningDelta) events.get(1);
    StreamEvent.ReasoningDelta thinking = (StreamEvent.ReasoningDelta) events.get(2);
    assertThat(redacted.text()).isNull();
    assertThat(redacted.detail().path("type").asText()).isEqualTo("reasoning.encrypted");
    assertThat(redacted.detail().path("index").asInt()).isZero();
    assertThat(thinking.detail().path("index").asInt()).isEqualTo(1);
  }

  @Test
  void usesTheJsonTypeWhenTheEventLineIsMissing() {
    assertThat(feed("{\"type\": \"ping\"}")).isEmpty();
    assertThat(feed(start(1, 0, 0))).singleElement().isInstanceOf(StreamEvent.Started.class);
  }

  @Test
  void aStopSequenceEndIsNamedAndOnlyThen() {
    List<StreamEvent> events =
        feed(
            start(5, 0, 0),
            "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"stop_sequence\","
                + "\"stop_sequence\":\"END\"},\"usage\":{\"output_tokens\":3}}");
    assertThat(events)
        .contains(new StreamEvent.Finished(FinishReason.STOP, "stop_sequence", "END"));

    LlmResponse whole =
        new AnthropicAdapter()
            .decode(
                new UpstreamResponse(
                    200,
                    Map.of(),
                    ("{\"id\":\"msg_1\",\"type\":\"message\",\"role\":\"assistant\","
                            + "\"model\":\"claude\",\"content\":[{\"type\":\"text\",\"text\":\"a\"}],"
                            + "\"stop_reason\":\"stop_sequence\",\"stop_sequence\":\"END\","
                            + "\"usage\":{\"input_tokens\":1,\"output_tokens\":1}}")
                        .getBytes(StandardCharsets.UTF_8)),
                TestTargets.sonnet45());
    assertThat(whole.stopSequence()).isEqualTo("END");
    assertThat(whole.finishReason()).isEqualTo(FinishReason.STOP);
  }
}
