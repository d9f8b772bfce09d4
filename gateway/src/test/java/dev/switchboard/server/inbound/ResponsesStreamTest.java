package dev.switchboard.server.inbound;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.api.json.ApiJson;
import dev.switchboard.core.model.StreamEvent;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A {@code /responses} stream's text deltas are written around the quoted text instead of through a
 * tree per token: the bytes must be the ones the mapper writes for the event's tree, at any
 * sequence number (one to three digits) and output position.
 */
class ResponsesStreamTest {

  // The quoting itself is the chat encoder's (JsonQuote, checked by OpenAiChunkEncoderFrameTest);
  // these texts check the frame around it: plain, escapes, non-ASCII and surrogates, a long one.
  private static final List<String> TEXTS =
      List.of(
          "Hi",
          "a \"quoted\" word,\ta tab and\na second line \\ \u0000",
          "日本語, é, 😀 and a lone \udc00 \u2028",
          "y".repeat(3000));

  @Test
  void textDeltaFramesAreTheMappersBytesForTheirTree() {
    for (String generationId : List.of("gen-1700000000-AbCdEfGhIjKl", "gen-\"odd\"-é", "plain")) {
      ResponsesStream stream =
          new ResponsesStream(new Stamp(generationId, "openai/gpt-4o", "OpenAI", 7, true));
      List<byte[]> frames = new ArrayList<>();
      // a function call first, so that the message is output 1, and enough deltas to pass sequence
      // numbers of one, two and three digits
      stream.event(new StreamEvent.ToolCallStarted(0, "call_1", "f"), frames::add);
      stream.event(new StreamEvent.ToolCallDelta(0, "{}"), frames::add);
      for (int round = 0; round < 30; round++) {
        for (String text : TEXTS) {
          frames.clear();
          stream.event(new StreamEvent.TextDelta(text), frames::add);
          byte[] frame = frames.getLast();
          JsonNode parsed = parse(frame);
          assertThat(parsed.path("type").asText()).isEqualTo("response.output_text.delta");
          ObjectNode tree =
              ApiJson.object()
                  .put("type", "response.output_text.delta")
                  .put("sequence_number", parsed.path("sequence_number").asInt())
                  .put("output_index", 1)
                  .put("item_id", "msg_" + OpenAiResponses.suffix(stampOf(generationId)))
                  .put("content_index", 0)
                  .put("delta", text);
          tree.putArray("logprobs");
          String expected = "data: " + new String(ApiJson.bytes(tree), StandardCharsets.UTF_8);
          assertThat(new String(frame, StandardCharsets.UTF_8))
              .as("%s / %s", generationId, text)
              .isEqualTo(expected + "\n\n");
        }
      }
    }
  }

  @Test
  void sequenceNumbersCountEveryEventFromZero() {
    ResponsesStream stream =
        new ResponsesStream(new Stamp("gen-1-abc", "openai/gpt-4o", "OpenAI", 7, true));
    List<byte[]> frames = new ArrayList<>();
    for (int i = 0; i < 120; i++) {
      stream.event(new StreamEvent.TextDelta("t" + i), frames::add);
    }
    for (int i = 0; i < frames.size(); i++) {
      assertThat(parse(frames.get(i)).path("sequence_number").asInt()).isEqualTo(i);
    }
    // created, in_progress, output_item.added, content_part.added, then the 120 deltas
    assertThat(frames).hasSize(124);
    assertThat(parse(frames.getLast()).path("delta").asText()).isEqualTo("t119");
  }

  private static Stamp stampOf(String generationId) {
    return new Stamp(generationId, "m", "P", 7, true);
  }

  /** One frame: {@code data: <json>} and a blank line. */
  private static JsonNode parse(byte[] frame) {
    String s = new String(frame, StandardCharsets.UTF_8);
    assertThat(s).startsWith("data: ").endsWith("\n\n");
    try {
      return ApiJson.tree(s.substring(6, s.length() - 2));
    } catch (Exception e) {
      throw new AssertionError(s, e);
    }
  }
}
