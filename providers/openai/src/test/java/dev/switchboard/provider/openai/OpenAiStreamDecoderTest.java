package dev.switchboard.provider.openai;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.core.error.FailureClass;
import dev.switchboard.core.model.FinishReason;
import dev.switchboard.core.model.StreamEvent;
import dev.switchboard.core.provider.StreamDecoder;
import dev.switchboard.sse.SseEvent;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class OpenAiStreamDecoderTest {

  private final StreamDecoder decoder =
      new OpenAiAdapter().newStreamDecoder(TestTargets.of("openai"));

  private List<StreamEvent> feed(String... data) {
    List<StreamEvent> out = new ArrayList<>();
    for (String d : data) {
      out.addAll(decoder.onEvent(SseEvent.data(d)));
    }
    return out;
  }

  private static String delta(String delta) {
    return "{\"id\":\"c\",\"model\":\"m\",\"choices\":[{\"index\":0,\"delta\":" + delta + "}]}";
  }

  private static String toolCall(String call) {
    return delta("{\"tool_calls\":[" + call + "]}");
  }

  @Test
  void startsOnceWithTheUpstreamIdAndModel() {
    List<StreamEvent> events = feed(delta("{\"content\":\"a\"}"), delta("{\"content\":\"b\"}"));

    assertThat(events)
        .containsExactly(
            new StreamEvent.Started("c", "m"),
            new StreamEvent.TextDelta("a"),
            new StreamEvent.TextDelta("b"));
  }

  @Test
  void endsAtDoneAndIgnoresAnythingAfterIt() {
    feed(delta("{\"content\":\"a\"}"));

    assertThat(decoder.onEvent(SseEvent.data("[DONE]"))).isEmpty();
    assertThat(decoder.finished()).isTrue();
    assertThat(feed(delta("{\"content\":\"late\"}"))).isEmpty();
    assertThat(decoder.onEnd()).isEmpty();
  }

  @Test
  void turnsMalformedJsonIntoABadResponseFailureInsteadOfThrowing() {
    List<StreamEvent> events = feed("{\"choices\":[{\"delta\":");

    assertThat(events).singleElement().isInstanceOf(StreamEvent.Failed.class);
    StreamEvent.Failed failed = (StreamEvent.Failed) events.get(0);
    assertThat(failed.error().kind()).isEqualTo(FailureClass.UPSTREAM_BAD_RESPONSE);
    assertThat(failed.error().httpStatus()).isEqualTo(502);
    assertThat(failed.error().provider()).isEqualTo("OpenAI");
    assertThat(decoder.finished()).isTrue();
  }

  @Test
  void reindexesToolCallsDenselyFromZeroWhateverTheVendorBase() {
    List<StreamEvent> events =
        feed(
            toolCall(
                "{\"index\":1,\"id\":\"a\",\"type\":\"function\",\"function\":{\"name\":\"f\",\"arguments\":\"\"}}"),
            toolCall("{\"index\":1,\"function\":{\"arguments\":\"{}\"}}"),
            toolCall(
                "{\"index\":3,\"id\":\"b\",\"function\":{\"name\":\"g\",\"arguments\":\"[\"}}"));

    assertThat(events)
        .filteredOn(e -> !(e instanceof StreamEvent.Started))
        .containsExactly(
            new StreamEvent.ToolCallStarted(0, "a", "f"),
            new StreamEvent.ToolCallDelta(0, "{}"),
            new StreamEvent.ToolCallStarted(1, "b", "g"),
            new StreamEvent.ToolCallDelta(1, "["));
  }

  @Test
  void splitsAWholeToolCallInOneChunkIntoStartAndOneFragment() {
    List<StreamEvent> events =
        feed(
            toolCall(
                "{\"id\":\"x1\",\"function\":{\"name\":\"w\",\"arguments\":\"{\\\"a\\\":1}\"},\"index\":0,\"type\":\"function\"}"));

    assertThat(events)
        .endsWith(
            new StreamEvent.ToolCallStarted(0, "x1", "w"),
            new StreamEvent.ToolCallDelta(0, "{\"a\":1}"));
  }

  @Test
  void startsANewToolCallWhenAKnownIndexArrivesWithANewId() {
    List<StreamEvent> events =
        feed(
            toolCall(
                "{\"index\":0,\"id\":\"a\",\"function\":{\"name\":\"f\",\"arguments\":\"1\"}}"),
            toolCall(
                "{\"index\":0,\"id\":\"b\",\"function\":{\"name\":\"g\",\"arguments\":\"2\"}}"));

    assertThat(events)
        .contains(
            new StreamEvent.ToolCallStarted(1, "b", "g"), new StreamEvent.ToolCallDelta(1, "2"));
  }

  @Test
  void givesAToolCallWithoutIdASyntheticOne() {
    List<StreamEvent> events = feed(toolCall("{\"index\":0,\"function\":{\"name\":\"f\"}}"));

    assertThat(events).contains(new StreamEvent.ToolCallStarted(0, "call_0", "f"));
  }

  @Test
  void emitsFinishedOnceEvenWhenTheUsageChunkRepeatsTheFinishReason() {
    List<StreamEvent> events =
        feed(
            "{\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\",\"native_finish_reason\":\"end_turn\"}]}",
            "{\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}],"
                + "\"usage\":{\"prompt_tokens\":1,\"completion_tokens\":2,\"total_tokens\":3}}");

    assertThat(events)
        .filteredOn(StreamEvent.Finished.class::isInstance)
        .containsExactly(new StreamEvent.Finished(FinishReason.STOP, "end_turn"));
    assertThat(events).filteredOn(StreamEvent.UsageReported.class::isInstance).hasSize(1);
  }

  @Test
  void followsOnlyChoiceZero() {
    List<StreamEvent> events =
        feed(
            "{\"choices\":[{\"index\":1,\"delta\":{\"content\":\"other\"}}]}",
            "{\"choices\":[{\"index\":0,\"delta\":{\"content\":\"mine\"}}]}");

    assertThat(events)
        .filteredOn(StreamEvent.TextDelta.class::isInstance)
        .containsExactly(new StreamEvent.TextDelta("mine"));
  }

  @Test
  void readsDeepSeekStyleReasoningContent() {
    assertThat(feed(delta("{\"reasoning_content\":\"think\"}")))
        .contains(new StreamEvent.ReasoningDelta("think", null));
  }

  @Test
  void turnsAnErrorEventIntoAClassifiedFailure() {
    List<StreamEvent> events =
        decoder.onEvent(
            SseEvent.named(
                "error",
                "{\"error\":{\"message\":\"overloaded\",\"type\":\"server_error\",\"status_code\":503}}"));

    StreamEvent.Failed failed = (StreamEvent.Failed) events.get(0);
    assertThat(failed.error().kind()).isEqualTo(FailureClass.UPSTREAM_OVERLOADED);
    assertThat(failed.error().httpStatus()).isEqualTo(503);
    assertThat(decoder.finished()).isTrue();
  }

  @Test
  void reportsUsageBeforeTheFailureOfAnErrorChunkThatCarriesBoth() {
    List<StreamEvent> events =
        feed(
            "{\"id\":\"g\",\"error\":{\"code\":429,\"message\":\"slow down\"},"
                + "\"choices\":[{\"index\":0,\"delta\":{\"content\":\"\"}}],"
                + "\"usage\":{\"prompt_tokens\":5,\"completion_tokens\":1,\"total_tokens\":6}}");

    assertThat(events.get(1)).isInstanceOf(StreamEvent.UsageReported.class);
    StreamEvent.Failed failed = (StreamEvent.Failed) events.get(2);
    assertThat(failed.error().kind()).isEqualTo(FailureClass.UPSTREAM_RATE_LIMITED);
    assertThat(failed.error().raw()).isEqualTo("{\"code\":429,\"message\":\"slow down\"}");
  }

  @Test
  void failsAStreamThatClosesBeforeAnyFinish() {
    feed(delta("{\"content\":\"half\"}"));

    List<StreamEvent> end = decoder.onEnd();

    assertThat(end).singleElement().isInstanceOf(StreamEvent.Failed.class);
    assertThat(((StreamEvent.Failed) end.get(0)).error().kind())
        .isEqualTo(FailureClass.UPSTREAM_TRANSIENT);
  }

  @Test
  void acceptsAStreamThatFinishedWithoutDone() {
    feed("{\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"length\"}]}");

    assertThat(decoder.onEnd()).isEmpty();
  }

  @Test
  void ignoresKeepAlivesAndEmptyData() {
    assertThat(decoder.onEvent(new SseEvent(null, "", null, null))).isEmpty();
    assertThat(decoder.onEvent(new SseEvent(null, null, null, 1000L))).isEmpty();
  }

  @Test
  void readsGroqUsageFromXGroqWhenTheTopLevelHasNone() {
    List<StreamEvent> events =
        feed(
            "{\"choices\":[],\"x_groq\":{\"usage\":{\"prompt_tokens\":4,\"completion_tokens\":6,\"total_tokens\":10}}}");

    assertThat(events).filteredOn(StreamEvent.UsageReported.class::isInstance).hasSize(1);
  }

  @Test
  void aStopStringNamedInStopReasonEndsTheAnswerWithItAndATokenIdDoesNot() {
    List<StreamEvent> named =
        feed(
            "{\"id\":\"c\",\"model\":\"m\",\"choices\":[{\"index\":0,\"delta\":{},"
                + "\"finish_reason\":\"stop\",\"stop_reason\":\"END\"}]}");
    assertThat(named).contains(new StreamEvent.Finished(FinishReason.STOP, "stop", "END"));

    List<StreamEvent> tokenId =
        new OpenAiAdapter()
            .newStreamDecoder(TestTargets.of("vllm"))
            .onEvent(
                SseEvent.data(
                    "{\"id\":\"c\",\"model\":\"m\",\"choices\":[{\"index\":0,\"delta\":{},"
                        + "\"finish_reason\":\"stop\",\"stop_reason\":128009}]}"));
    assertThat(tokenId).contains(new StreamEvent.Finished(FinishReason.STOP, "stop", null));
  }
}
