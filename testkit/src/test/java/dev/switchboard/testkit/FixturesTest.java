package dev.switchboard.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.sse.SseEvent;
import java.util.List;
import org.junit.jupiter.api.Test;

class FixturesTest {

  @Test
  void parsesDataEventAndCommentLinesPerTheSseRules() {
    List<SseEvent> events =
        Fixtures.parseSse(
            ": OPENROUTER PROCESSING\n\n"
                + "data: {\"a\":1}\n\n"
                + "event: error\ndata: {\"error\":{}}\n\n"
                + "id: 7\nretry: 3000\ndata:first\ndata: second\n\n"
                + "data: [DONE]\n\n");

    assertThat(events)
        .containsExactly(
            SseEvent.data("{\"a\":1}"),
            SseEvent.named("error", "{\"error\":{}}"),
            new SseEvent(null, "first\nsecond", "7", 3000L),
            // the last event id persists until the stream sets another (WHATWG SSE)
            new SseEvent(null, "[DONE]", "7", null));
  }

  @Test
  void dispatchesATrailingEventWithoutABlankLineAndHandlesCrLf() {
    assertThat(Fixtures.parseSse("data: a\r\n\r\ndata: b"))
        .containsExactly(SseEvent.data("a"), SseEvent.data("b"));
  }

  @Test
  void readsTheRecorderFormatOnePayloadPerLine() {
    assertThat(Fixtures.chunkLines("{\"a\":1}\n{\"b\":2}\n\n"))
        .containsExactly(SseEvent.data("{\"a\":1}"), SseEvent.data("{\"b\":2}"));
  }

  @Test
  void loadsAResourceByExtension() {
    assertThat(Fixtures.sseEvents("sample.sse")).hasSize(2);
    assertThat(Fixtures.sseEvents("sample.chunks.txt")).hasSize(3);
    assertThat(Fixtures.exists("missing.sse")).isFalse();
  }
}
