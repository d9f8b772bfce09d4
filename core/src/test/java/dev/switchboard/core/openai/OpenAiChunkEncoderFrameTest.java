package dev.switchboard.core.openai;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.api.chat.ChatCompletionChunk;
import dev.switchboard.api.json.ApiJson;
import dev.switchboard.core.model.FinishReason;
import dev.switchboard.core.model.StreamEvent;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link OpenAiChunkEncoder#frame} writes byte for byte what the chunk records and the mapper
 * write, for every text the generator can meet, and steps aside where it does not apply.
 */
class OpenAiChunkEncoderFrameTest {

  private static final byte[] LEAD = "data: ".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] TRAIL = "\n\n".getBytes(StandardCharsets.US_ASCII);

  private static final List<String> TEXTS =
      List.of(
          "Hi",
          " API gateway",
          "quote \" backslash \\ slash / tab \t newline \n return \r",
          "controls \u0000\u0001\u001f\u007f and \b\f",
          "é ü 日本語 😀 \u2028\u2029",
          "😀",
          "lone \ud800 and \udfff surrogates, a pair at the end 😀",
          "<script>&amp;</script>",
          "\u0001switchboard-mark\u0001",
          "x".repeat(5000));

  @Test
  void textAndFinishFramesAreTheMappersBytes() {
    for (String[] stamp :
        new String[][] {
          {"gen-1700000000-AbCdEfGhIjKlMnOpQrSt", "openai/gpt-4o", "OpenAI"},
          {"gen-2", "vendor/model \"quoted\" é", null},
          {"gen-3", null, "Provider"}
        }) {
      OpenAiChunkEncoder fast = new OpenAiChunkEncoder(stamp[0], stamp[1], stamp[2], 7, true);
      OpenAiChunkEncoder slow = new OpenAiChunkEncoder(stamp[0], stamp[1], stamp[2], 7, true);
      for (String text : TEXTS) {
        StreamEvent event = new StreamEvent.TextDelta(text);
        assertSame(fast.frame(event, LEAD, TRAIL), slow.encode(event), stamp[2], text);
      }
      for (StreamEvent event :
          List.<StreamEvent>of(
              new StreamEvent.Finished(FinishReason.STOP, "stop", null),
              new StreamEvent.Finished(FinishReason.LENGTH, "max_tokens", null),
              new StreamEvent.Finished(FinishReason.TOOL_CALLS, null, null),
              new StreamEvent.Finished(null, "weird \"reason\"", null),
              new StreamEvent.Finished(FinishReason.CONTENT_FILTER, "content_filter", null))) {
        assertSame(fast.frame(event, LEAD, TRAIL), slow.encode(event), stamp[2], event.toString());
      }
    }
  }

  @Test
  void otherEventsEmptyTextsAndPendingLogprobsTakeTheGeneralPath() {
    OpenAiChunkEncoder encoder = new OpenAiChunkEncoder("gen-1", "m", "P", 7, true);

    assertThat(encoder.frame(new StreamEvent.TextDelta(""), LEAD, TRAIL)).isNull();
    assertThat(encoder.frame(new StreamEvent.RefusalDelta("no"), LEAD, TRAIL)).isNull();
    assertThat(encoder.frame(new StreamEvent.ReasoningDelta("r", null), LEAD, TRAIL)).isNull();
    assertThat(encoder.frame(new StreamEvent.ToolCallStarted(0, "id", "f"), LEAD, TRAIL)).isNull();
    assertThat(encoder.frame(new StreamEvent.Started("u", "m"), LEAD, TRAIL)).isNull();

    encoder.encode(new StreamEvent.Logprobs(ApiJson.object().putArray("content").addObject()));
    assertThat(encoder.frame(new StreamEvent.TextDelta("with logprobs"), LEAD, TRAIL)).isNull();
    assertThat(ApiJson.string(encoder.encode(new StreamEvent.TextDelta("x")).getFirst()))
        .contains("\"logprobs\":{");
    assertThat(encoder.frame(new StreamEvent.TextDelta("after"), LEAD, TRAIL)).isNotNull();
  }

  @Test
  void aStampHoldingTheCuttingMarkTakesTheGeneralPath() {
    for (String provider :
        List.of("\u0001switchboard-mark\u0001", "P\"\u0001switchboard-mark\u0001")) {
      OpenAiChunkEncoder encoder = new OpenAiChunkEncoder("gen-1", "m", provider, 7, true);

      assertThat(encoder.frame(new StreamEvent.TextDelta("x"), LEAD, TRAIL)).isNull();
      assertThat(
              encoder.frame(new StreamEvent.Finished(FinishReason.STOP, "stop", null), LEAD, TRAIL))
          .isNull();
    }
  }

  private static void assertSame(
      byte[] framed, List<ChatCompletionChunk> chunks, String stamp, String what) {
    assertThat(chunks).hasSize(1);
    ByteArrayOutputStream expected = new ByteArrayOutputStream();
    expected.writeBytes(LEAD);
    expected.writeBytes(ApiJson.bytes(chunks.getFirst()));
    expected.writeBytes(TRAIL);
    assertThat(framed).as(stamp + " / " + what).isNotNull();
    assertThat(new String(framed, StandardCharsets.UTF_8))
        .as(stamp + " / " + what)
        .isEqualTo(expected.toString(StandardCharsets.UTF_8));
    assertThat(framed).as(stamp + " / " + what).isEqualTo(expected.toByteArray());
  }
}
