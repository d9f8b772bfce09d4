package dev.switchboard.sse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SseWriterTest {

  @Test
  void framesJsonAsOneDataLineAndABlankLine() {
    assertThat(text(SseWriter.data("{\"a\":1}"))).isEqualTo("data: {\"a\":1}\n\n");
  }

  @Test
  void framesANamedEvent() {
    assertThat(text(SseWriter.event("error", "{\"error\":{}}")))
        .isEqualTo("event: error\ndata: {\"error\":{}}\n\n");
  }

  @Test
  void splitsMultiLineDataIntoSeveralDataLines() {
    assertThat(text(SseWriter.data("one\ntwo\r\nthree\rfour\n")))
        .isEqualTo("data: one\ndata: two\ndata: three\ndata: four\ndata:\n\n");
  }

  @Test
  void framesCommentsAndTheDoneSentinel() {
    assertThat(text(SseWriter.comment("OPENROUTER PROCESSING")))
        .isEqualTo(": OPENROUTER PROCESSING\n\n");
    assertThat(text(SseWriter.comment("a\nb"))).isEqualTo(": a\n: b\n\n");
    assertThat(text(SseWriter.done())).isEqualTo("data: [DONE]\n\n");
  }

  @Test
  void writesIdAndRetryBeforeData() {
    assertThat(text(SseWriter.encode(new SseEvent("update", "x", "42", 3000L))))
        .isEqualTo("event: update\nid: 42\nretry: 3000\ndata: x\n\n");
  }

  @Test
  void rejectsLineBreaksInEventNamesAndIds() {
    assertThatThrownBy(() -> SseWriter.event("a\nb", "x"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> SseWriter.encode(new SseEvent(null, "x", "1\r", null)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void encodesNonAsciiDataAsUtf8() {
    assertThat(SseWriter.data("\u20ac")).hasSize("data: ".length() + 3 + 2);
  }

  @Test
  void appendsAWholeStreamIntoOneBuilder() {
    StringBuilder out = new StringBuilder();
    SseWriter.appendComment(out, "OPENROUTER PROCESSING");
    SseWriter.appendData(out, "{}");
    SseWriter.appendEvent(out, SseEvent.named("error", "{\"error\":1}"));
    SseWriter.appendDone(out);

    assertThat(out.toString())
        .isEqualTo(
            ": OPENROUTER PROCESSING\n\ndata: {}\n\nevent: error\ndata: {\"error\":1}\n\n"
                + "data: [DONE]\n\n");
  }

  @Test
  void roundTripsRandomEventsThroughTheReader() {
    Random random = new Random(20240926L);
    List<SseEvent> written = new ArrayList<>();
    ByteArrayOutputStream stream = new ByteArrayOutputStream();
    List<String> comments = new ArrayList<>();
    for (int i = 0; i < 500; i++) {
      if (random.nextInt(5) == 0) {
        String comment = "keep-alive " + i;
        comments.add(comment);
        stream.writeBytes(SseWriter.comment(comment));
      }
      SseEvent event =
          new SseEvent(
              random.nextBoolean() ? null : "kind" + random.nextInt(4),
              randomData(random),
              "id-" + i,
              random.nextInt(4) == 0 ? (long) random.nextInt(10_000) : null);
      written.add(event);
      stream.writeBytes(SseWriter.encode(event));
    }
    stream.writeBytes(SseWriter.done());
    // The last id persists onto the sentinel, as the spec says.
    written.add(new SseEvent(null, "[DONE]", written.getLast().id(), null));

    List<SseEvent> read = new ArrayList<>();
    List<String> readComments = new ArrayList<>();
    SseReader reader = SseReader.builder().onEvent(read::add).onComment(readComments::add).build();
    byte[] bytes = stream.toByteArray();
    for (int at = 0; at < bytes.length; ) {
      int n = Math.min(bytes.length - at, 1 + random.nextInt(64));
      reader.feed(bytes, at, n);
      at += n;
    }
    reader.finish();

    assertThat(read).isEqualTo(written);
    assertThat(readComments).isEqualTo(comments);
  }

  private static String randomData(Random random) {
    String[] pieces = {"{\"a\":1}", "", " leading", "h\u00e9llo", "\uD83D\uDE00", "x:y", "[DONE]x"};
    StringBuilder data = new StringBuilder();
    int lines = 1 + random.nextInt(3);
    for (int i = 0; i < lines; i++) {
      if (i > 0) {
        data.append('\n');
      }
      data.append(pieces[random.nextInt(pieces.length)]);
    }
    return data.toString();
  }

  private static String text(byte[] bytes) {
    return new String(bytes, StandardCharsets.UTF_8);
  }
}
