package dev.switchboard.sse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SseReaderTest {

  private final List<SseEvent> events = new ArrayList<>();
  private final List<String> comments = new ArrayList<>();
  private final SseReader reader =
      SseReader.builder().onEvent(events::add).onComment(comments::add).build();

  @Test
  void dispatchesAnEventOnlyAtABlankLine() {
    reader.feed("data: hello\n");
    assertThat(events).isEmpty();

    reader.feed("\n");

    assertThat(events).containsExactly(SseEvent.data("hello"));
  }

  @Test
  void joinsSeveralDataLinesWithNewlines() {
    reader.feed("data: one\ndata: two\ndata:three\n\n");

    assertThat(events).extracting(SseEvent::data).containsExactly("one\ntwo\nthree");
  }

  @Test
  void stripsExactlyOneSpaceAfterTheColon() {
    reader.feed("data:no-space\n\ndata: one-space\n\ndata:  two-spaces\n\n");

    assertThat(events)
        .extracting(SseEvent::data)
        .containsExactly("no-space", "one-space", " two-spaces");
  }

  @Test
  void acceptsLfCrlfAndLoneCrLineEndings() {
    reader.feed("data: lf\n\ndata: crlf\r\n\r\ndata: cr\r\rdata: a\rdata: b\r\n\n");

    assertThat(events).extracting(SseEvent::data).containsExactly("lf", "crlf", "cr", "a\nb");
  }

  @Test
  void treatsCrAndLfSplitAcrossFeedsAsOneLineBreak() {
    reader.feed("data: a\r");
    reader.feed("\ndata: b\r");
    reader.feed("\n\r");
    reader.feed("\n");

    assertThat(events).extracting(SseEvent::data).containsExactly("a\nb");
  }

  @Test
  void decodesUtf8SequencesSplitAcrossFeeds() {
    byte[] bytes = "data: h\u00e9llo \u20ac \uD83D\uDE00\n\n".getBytes(StandardCharsets.UTF_8);

    for (byte b : bytes) {
      reader.feed(new byte[] {b});
    }

    assertThat(events).extracting(SseEvent::data).containsExactly("h\u00e9llo \u20ac \uD83D\uDE00");
  }

  @Test
  void joinsSurrogatePairsSplitAcrossCharFeeds() {
    reader.feed("data: \uD83D");
    reader.feed("\uDE00\n\n");

    assertThat(events).extracting(SseEvent::data).containsExactly("\uD83D\uDE00");
  }

  @Test
  void skipsOneLeadingByteOrderMarkEvenWhenSplit() {
    byte[] bytes = "\uFEFFdata: x\n\n".getBytes(StandardCharsets.UTF_8);
    reader.feed(bytes, 0, 1);
    reader.feed(bytes, 1, 1);
    reader.feed(bytes, 2, bytes.length - 2);

    assertThat(events).extracting(SseEvent::data).containsExactly("x");
  }

  @Test
  void keepsAByteOrderMarkThatIsNotAtTheStart() {
    reader.feed("data: a\uFEFF\n\n\uFEFFdata: b\n\n");

    assertThat(events).extracting(SseEvent::data).containsExactly("a\uFEFF");
  }

  @Test
  void readsBytesThatOnlyLookLikeTheStartOfAByteOrderMark() {
    reader.feed(new byte[] {(byte) 0xEF});
    reader.feed(new byte[] {'x', '\n', 'd', 'a', 't', 'a', ':', 'y', '\n', '\n'});

    assertThat(events).extracting(SseEvent::data).containsExactly("y");
  }

  @Test
  void passesCommentsToTheCommentListenerWithoutDispatching() {
    reader.feed(": OPENROUTER PROCESSING\n\n:no-space\n\n:\n\ndata: x\n\n");

    assertThat(comments).containsExactly("OPENROUTER PROCESSING", "no-space", "");
    assertThat(events).extracting(SseEvent::data).containsExactly("x");
  }

  @Test
  void skipsCommentsWhenNoCommentListenerIsSet() {
    List<SseEvent> seen = new ArrayList<>();
    SseReader plain = SseReader.create(seen::add);

    plain.feed(": keep-alive\n\ndata: x\n: inside an event\ndata: y\n\n");

    assertThat(seen).extracting(SseEvent::data).containsExactly("x\ny");
  }

  @Test
  void namesEventsAndDefaultsTheTypeToMessage() {
    reader.feed("event: error\ndata: {}\n\ndata: plain\n\nevent:\ndata: empty-name\n\n");

    assertThat(events).extracting(SseEvent::event).containsExactly("error", null, null);
    assertThat(events).extracting(SseEvent::type).containsExactly("error", "message", "message");
  }

  @Test
  void keepsTheLastEventIdAcrossEventsUntilChangedOrCleared() {
    reader.feed("id: 1\ndata: a\n\ndata: b\n\nid: 2\ndata: c\n\nid\ndata: d\n\n");

    assertThat(events).extracting(SseEvent::id).containsExactly("1", "1", "2", null);
  }

  @Test
  void ignoresAnIdContainingNul() {
    reader.feed("id: 7\ndata: a\n\nid: x\u0000y\ndata: b\n\n");

    assertThat(events).extracting(SseEvent::id).containsExactly("7", "7");
  }

  @Test
  void takesRetryOnlyWhenItIsAllDigitsAndOnlyForItsEvent() {
    reader.feed("retry: 1500\ndata: a\n\nretry: 15x\ndata: b\n\nretry: -1\ndata: c\n\n");

    assertThat(events).extracting(SseEvent::retry).containsExactly(1500L, null, null);
    assertThat(reader.retry()).isEqualTo(1500L);
  }

  @Test
  void ignoresUnknownAndWronglyCasedFields() {
    reader.feed("foo: bar\nData: no\nEVENT: no\ndata: yes\n\n");

    assertThat(events).containsExactly(SseEvent.data("yes"));
  }

  @Test
  void treatsAFieldWithoutAColonAsEmptyValue() {
    // The spec's own example: "data\n\ndata\ndata\n\ndata:" gives "", "\n", and a discarded last.
    reader.feed("data\n\ndata\ndata\n\ndata:");

    assertThat(events).extracting(SseEvent::data).containsExactly("", "\n");
  }

  @Test
  void doesNotDispatchABlockWithoutDataAndForgetsItsEventName() {
    reader.feed("event: ping\n\ndata: after\n\n");

    assertThat(events).containsExactly(SseEvent.data("after"));
  }

  @Test
  void dispatchesATrailingEventWithoutBlankLineOnlyOnFinish() {
    reader.feed("data: first\n\nevent: last\ndata: partial");
    assertThat(events).hasSize(1);

    reader.finish();

    assertThat(events).containsExactly(SseEvent.data("first"), SseEvent.named("last", "partial"));
  }

  @Test
  void finishResetsTheReaderForANewStream() {
    reader.feed("id: 9\ndata: a\n\n");
    reader.finish();

    reader.feed("\uFEFFdata: b\n\n");

    assertThat(events).extracting(SseEvent::id).containsExactly("9", null);
    assertThat(events).extracting(SseEvent::data).containsExactly("a", "b");
  }

  @Test
  void recognisesTheDoneSentinel() {
    reader.feed("data: {\"a\":1}\n\ndata: [DONE]\n\n");

    assertThat(events).extracting(SseEvent::isDone).containsExactly(false, true);
  }

  @Test
  void readsFromHeapAndDirectByteBuffersAndArraySlices() {
    byte[] bytes = "xxdata: a\n\ndata: b\n\nyy".getBytes(StandardCharsets.UTF_8);
    reader.feed(bytes, 2, 10);
    ByteBuffer direct = ByteBuffer.allocateDirect(10);
    direct.put(bytes, 12, 10).flip();
    reader.feed(direct);

    assertThat(events).extracting(SseEvent::data).containsExactly("a", "b");
    assertThat(direct.hasRemaining()).isFalse();
  }

  @Test
  void readsALongLineSpreadOverManyFeeds() {
    String big = "x".repeat(100_000);
    String stream = "data: " + big + "\n\n";
    for (int i = 0; i < stream.length(); i += 7) {
      reader.feed(stream.substring(i, Math.min(stream.length(), i + 7)));
    }

    assertThat(events).extracting(SseEvent::data).containsExactly(big);
  }

  @Test
  void rejectsAnEventLargerThanTheLimitAndThenRefusesInput() {
    SseReader small = SseReader.builder().onEvent(events::add).maxEventBytes(64).build();
    small.feed("data: " + "a".repeat(40) + "\n");

    assertThatThrownBy(() -> small.feed("data: " + "b".repeat(40) + "\n"))
        .isInstanceOf(SseException.class)
        .hasMessageContaining("maximum size of 64 bytes");
    assertThatThrownBy(() -> small.feed("\n")).isInstanceOf(IllegalStateException.class);
    assertThat(events).isEmpty();
  }

  @Test
  void rejectsAnEndlessLineWithoutLineBreaks() {
    SseReader small = SseReader.builder().onEvent(events::add).maxEventBytes(1000).build();

    assertThatThrownBy(
            () -> {
              for (int i = 0; i < 100; i++) {
                small.feed("y".repeat(100));
              }
            })
        .isInstanceOf(SseException.class);
  }

  @Test
  void allowsManyEventsWhoseTotalExceedsTheLimit() {
    SseReader small = SseReader.builder().onEvent(events::add).maxEventBytes(32).build();
    for (int i = 0; i < 1000; i++) {
      small.feed("data: event number " + i + "\n\n");
    }

    assertThat(events).hasSize(1000);
  }

  @Test
  void parsesAWholeStreamInOneCall() {
    assertThat(SseReader.parse("event: a\ndata: 1\n\ndata: 2"))
        .containsExactly(SseEvent.named("a", "1"), SseEvent.data("2"));
  }
}
