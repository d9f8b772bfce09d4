package dev.switchboard.provider.gemini;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.core.error.FailureClass;
import dev.switchboard.core.model.FinishReason;
import dev.switchboard.core.model.StreamEvent;
import dev.switchboard.sse.SseEvent;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class GeminiStreamDecoderTest {

  private static List<StreamEvent> decode(boolean end, String... payloads) {
    GeminiStreamDecoder decoder = new GeminiStreamDecoder(TestTargets.flash3());
    List<StreamEvent> out = new ArrayList<>();
    for (String payload : payloads) {
      out.addAll(decoder.onEvent(SseEvent.data(payload)));
    }
    if (end) {
      out.addAll(decoder.onEnd());
    }
    return out;
  }

  private static String text(String text, String finish) {
    return "{\"candidates\":[{\"content\":{\"parts\":[{\"text\":\""
        + text
        + "\"}],\"role\":\"model\"}"
        + (finish == null ? "" : ",\"finishReason\":\"" + finish + "\"")
        + "}],\"usageMetadata\":{\"promptTokenCount\":3,\"candidatesTokenCount\":1,"
        + "\"totalTokenCount\":4},\"responseId\":\"r1\",\"modelVersion\":\"gemini-x\"}";
  }

  @Test
  void aStreamThatEndsWithoutAFinishReasonFailsAfterReportingTheUsageSoFar() {
    List<StreamEvent> events = decode(true, text("Hel", null));
    assertThat(events.get(events.size() - 2)).isInstanceOf(StreamEvent.UsageReported.class);
    StreamEvent.Failed failed = (StreamEvent.Failed) events.getLast();
    assertThat(failed.error().kind()).isEqualTo(FailureClass.UPSTREAM_TRANSIENT);
    assertThat(failed.error().providerCode()).isEqualTo("stream_truncated");
  }

  @Test
  void malformedJsonFailsAsABadResponseAndNothingAfterItIsDecoded() {
    GeminiStreamDecoder decoder = new GeminiStreamDecoder(TestTargets.flash3());
    assertThat(decoder.onEvent(SseEvent.data(text("a", null)))).hasSize(2);
    List<StreamEvent> bad = decoder.onEvent(SseEvent.data("{\"candidates\": [{\"content"));
    assertThat(((StreamEvent.Failed) bad.getFirst()).error().kind())
        .isEqualTo(FailureClass.UPSTREAM_BAD_RESPONSE);
    assertThat(decoder.finished()).isTrue();
    assertThat(decoder.onEvent(SseEvent.data(text("b", "STOP")))).isEmpty();
    assertThat(decoder.onEnd()).isEmpty();
  }

  @Test
  void anErrorObjectInsideTheStreamIsClassifiedByItsCode() {
    List<StreamEvent> events =
        decode(
            false,
            text("a", null),
            "{\"error\":{\"code\":503,\"message\":\"The model is overloaded.\",\"status\":\"UNAVAILABLE\"}}");
    assertThat(events.get(events.size() - 2)).isInstanceOf(StreamEvent.UsageReported.class);
    StreamEvent.Failed failed = (StreamEvent.Failed) events.getLast();
    assertThat(failed.error().kind()).isEqualTo(FailureClass.UPSTREAM_OVERLOADED);
    assertThat(failed.error().httpStatus()).isEqualTo(503);
    assertThat(failed.error().providerCode()).isEqualTo("UNAVAILABLE");
  }

  @Test
  void usageIsReportedOnceAtTheEndWithTheLastCounts() {
    List<StreamEvent> events =
        decode(
            true,
            text("a", null),
            text("b", "STOP").replace("\"promptTokenCount\":3", "\"promptTokenCount\":5"));
    assertThat(events.stream().filter(e -> e instanceof StreamEvent.UsageReported).toList())
        .singleElement()
        .satisfies(
            u -> assertThat(((StreamEvent.UsageReported) u).usage().promptTokens()).isEqualTo(5));
    assertThat(events.getLast()).isInstanceOf(StreamEvent.UsageReported.class);
  }

  @Test
  void finishReasonsMapToOpenAiTerms() {
    assertThat(GeminiStreamDecoder.finishReason("STOP", false)).isEqualTo(FinishReason.STOP);
    assertThat(GeminiStreamDecoder.finishReason("STOP", true)).isEqualTo(FinishReason.TOOL_CALLS);
    assertThat(GeminiStreamDecoder.finishReason("MAX_TOKENS", true)).isEqualTo(FinishReason.LENGTH);
    for (String filtered :
        List.of(
            "SAFETY", "RECITATION", "BLOCKLIST", "PROHIBITED_CONTENT", "SPII", "IMAGE_SAFETY")) {
      assertThat(GeminiStreamDecoder.finishReason(filtered, false))
          .isEqualTo(FinishReason.CONTENT_FILTER);
    }
    assertThat(GeminiStreamDecoder.finishReason("MALFORMED_FUNCTION_CALL", false))
        .isEqualTo(FinishReason.ERROR);
    assertThat(GeminiStreamDecoder.finishReason("OTHER", false)).isEqualTo(FinishReason.STOP);
  }

  @Test
  void parallelCallsInOneChunkGetDenseIndicesAndDistinctStableIds() {
    String chunk =
        "{\"candidates\":[{\"content\":{\"parts\":["
            + "{\"functionCall\":{\"name\":\"a\",\"args\":{\"x\":1}},\"thoughtSignature\":\"sig\"},"
            + "{\"functionCall\":{\"name\":\"a\",\"args\":{\"x\":2}}},"
            + "{\"functionCall\":{\"id\":\"own-id\",\"name\":\"b\"}}]},\"finishReason\":\"STOP\"}],"
            + "\"responseId\":\"r9\"}";
    List<StreamEvent> first = decode(true, chunk);
    List<StreamEvent> again = decode(true, chunk);
    assertThat(first).isEqualTo(again);
    List<StreamEvent.ToolCallStarted> starts =
        first.stream()
            .filter(e -> e instanceof StreamEvent.ToolCallStarted)
            .map(e -> (StreamEvent.ToolCallStarted) e)
            .toList();
    assertThat(starts).extracting(StreamEvent.ToolCallStarted::index).containsExactly(0, 1, 2);
    assertThat(starts.get(0).id()).matches("call_[0-9A-Za-z]{24}").isNotEqualTo(starts.get(1).id());
    assertThat(starts.get(2).id()).isEqualTo("own-id");
    StreamEvent.ReasoningDelta signature =
        (StreamEvent.ReasoningDelta)
            first.stream()
                .filter(e -> e instanceof StreamEvent.ReasoningDelta)
                .findFirst()
                .orElseThrow();
    assertThat(signature.detail().get("id").asText()).isEqualTo(starts.get(0).id());
    assertThat(first.stream().filter(e -> e instanceof StreamEvent.ToolCallDelta).toList())
        .extracting(e -> ((StreamEvent.ToolCallDelta) e).argumentsFragment())
        .containsExactly("{\"x\":1}", "{\"x\":2}", "{}");
  }

  @Test
  void streamedArgumentsAtNestedPathsAreAssembled() {
    String open =
        "{\"candidates\":[{\"content\":{\"parts\":[{\"functionCall\":{\"name\":\"f\",\"willContinue\":true}}]}}],\"responseId\":\"r\"}";
    String partial =
        "{\"candidates\":[{\"content\":{\"parts\":[{\"functionCall\":{\"partialArgs\":["
            + "{\"jsonPath\":\"$.where.city\",\"stringValue\":\"Ber\",\"willContinue\":true},"
            + "{\"jsonPath\":\"$.where.city\",\"stringValue\":\"lin\"},"
            + "{\"jsonPath\":\"$.days[1]\",\"numberValue\":3},"
            + "{\"jsonPath\":\"$['metric']\",\"boolValue\":true},"
            + "{\"jsonPath\":\"$.note\",\"nullValue\":null}],\"willContinue\":true}}]}}]}";
    String close =
        "{\"candidates\":[{\"content\":{\"parts\":[{\"functionCall\":{}}]},\"finishReason\":\"STOP\"}]}";
    List<StreamEvent> events = decode(true, open, partial, close);
    assertThat(events)
        .filteredOn(e -> e instanceof StreamEvent.ToolCallDelta)
        .singleElement()
        .extracting(e -> ((StreamEvent.ToolCallDelta) e).argumentsFragment())
        .isEqualTo(
            "{\"where\":{\"city\":\"Berlin\"},\"days\":[null,3],\"metric\":true,\"note\":null}");
  }
}
