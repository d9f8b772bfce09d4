package dev.switchboard.server.inbound;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.api.json.ApiJson;
import dev.switchboard.core.error.FailureClass;
import dev.switchboard.core.error.GatewayError;
import dev.switchboard.core.model.FinishReason;
import dev.switchboard.core.model.StreamEvent;
import dev.switchboard.core.model.Usage;
import dev.switchboard.server.metering.Cost;
import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The wire of a {@code /messages} stream, byte for byte: the event order Anthropic's SDKs expect
 * (message_start, blocks opened, filled and closed one at a time, message_delta with usage,
 * message_stop), for text, thinking with its signature, tool calls, another vendor's reasoning
 * details and an in-band error.
 */
class MessagesStreamTest {

  private static final Stamp STAMP =
      new Stamp("gen-1-abc", "anthropic/claude-sonnet-4", "Anthropic", 1_700_000_000L, true);
  private static final Usage USAGE = new Usage(20, 9, 0, 5, 3, false);
  private static final Cost COST =
      new Cost(new BigDecimal("0.0001"), new BigDecimal("0.0002"), new BigDecimal("0.0003"));

  private static String run(Stamp stamp, List<StreamEvent> events, boolean finish) {
    MessagesStream stream = new MessagesStream(stamp);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (StreamEvent e : events) {
      stream.event(e, out::writeBytes);
    }
    if (finish) {
      stream.finish(USAGE, COST, null, out::writeBytes);
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  private static ObjectNode detail(String json) throws Exception {
    return (ObjectNode) ApiJson.tree(json);
  }

  @Test
  void thinkingTextAndToolCallInAnthropicsOrder() throws Exception {
    String wire =
        run(
            STAMP,
            List.of(
                new StreamEvent.Started("msg_up", "claude-sonnet-4"),
                new StreamEvent.ReasoningDelta(
                    "Let me think.",
                    detail(
                        "{\"type\":\"reasoning.text\",\"text\":\"Let me think.\","
                            + "\"format\":\"anthropic-claude-v1\",\"index\":0}")),
                new StreamEvent.ReasoningDelta(
                    null,
                    detail(
                        "{\"type\":\"reasoning.text\",\"signature\":\"sig-1\","
                            + "\"format\":\"anthropic-claude-v1\",\"index\":0}")),
                new StreamEvent.TextDelta("Hi"),
                new StreamEvent.TextDelta(" there"),
                new StreamEvent.ToolCallStarted(0, "toolu_1", "get_weather"),
                new StreamEvent.ToolCallDelta(0, "{\"city\":"),
                new StreamEvent.ToolCallDelta(0, "\"Paris\"}"),
                new StreamEvent.Finished(FinishReason.TOOL_CALLS, "tool_use"),
                new StreamEvent.UsageReported(USAGE)),
            true);
    assertThat(wire)
        .isEqualTo(
            """
            event: message_start
            data: {"type":"message_start","message":{"id":"gen-1-abc","type":"message","role":"assistant","model":"anthropic/claude-sonnet-4","provider":"Anthropic","content":[],"stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":0,"output_tokens":0,"cache_creation_input_tokens":0,"cache_read_input_tokens":0}}}

            event: content_block_start
            data: {"type":"content_block_start","index":0,"content_block":{"type":"thinking","thinking":"","signature":""}}

            event: content_block_delta
            data: {"type":"content_block_delta","index":0,"delta":{"type":"thinking_delta","thinking":"Let me think."}}

            event: content_block_delta
            data: {"type":"content_block_delta","index":0,"delta":{"type":"signature_delta","signature":"sig-1"}}

            event: content_block_stop
            data: {"type":"content_block_stop","index":0}

            event: content_block_start
            data: {"type":"content_block_start","index":1,"content_block":{"type":"text","text":""}}

            event: content_block_delta
            data: {"type":"content_block_delta","index":1,"delta":{"type":"text_delta","text":"Hi"}}

            event: content_block_delta
            data: {"type":"content_block_delta","index":1,"delta":{"type":"text_delta","text":" there"}}

            event: content_block_stop
            data: {"type":"content_block_stop","index":1}

            event: content_block_start
            data: {"type":"content_block_start","index":2,"content_block":{"type":"tool_use","id":"toolu_1","name":"get_weather","input":{}}}

            event: content_block_delta
            data: {"type":"content_block_delta","index":2,"delta":{"type":"input_json_delta","partial_json":"{\\"city\\":"}}

            event: content_block_delta
            data: {"type":"content_block_delta","index":2,"delta":{"type":"input_json_delta","partial_json":"\\"Paris\\"}"}}

            event: content_block_stop
            data: {"type":"content_block_stop","index":2}

            event: message_delta
            data: {"type":"message_delta","delta":{"stop_reason":"tool_use","stop_sequence":null},"usage":{"input_tokens":12,"output_tokens":9,"cache_creation_input_tokens":3,"cache_read_input_tokens":5,"cost":0.0003}}

            event: message_stop
            data: {"type":"message_stop"}

            """);
  }

  @Test
  void anEmptyAnswerStillStartsAndStops() {
    List<String> types = types(run(STAMP, List.of(new StreamEvent.Started("x", "y")), true));
    assertThat(types).containsExactly("message_start", "message_delta", "message_stop");
  }

  @Test
  void startedAloneSendsNothingSoTheStreamIsNotCommitted() {
    assertThat(run(STAMP, List.of(new StreamEvent.Started("x", "y")), false)).isEmpty();
  }

  @Test
  void anotherVendorsDetailsRideInTheSignatureAndComeBackUnchanged() throws Exception {
    ObjectNode summary =
        detail(
            "{\"type\":\"reasoning.text\",\"text\":\"Plan\",\"format\":\"google-gemini-v1\","
                + "\"index\":0}");
    ObjectNode signature =
        detail(
            "{\"type\":\"reasoning.encrypted\",\"data\":\"g-sig\",\"id\":\"call_1\","
                + "\"format\":\"google-gemini-v1\",\"index\":1}");
    String wire =
        run(
            STAMP,
            List.of(
                new StreamEvent.ReasoningDelta("Plan", summary),
                new StreamEvent.ReasoningDelta(null, signature),
                new StreamEvent.TextDelta("Answer"),
                new StreamEvent.Finished(FinishReason.STOP, "STOP")),
            true);
    List<JsonNode> data = data(wire);
    JsonNode sig = data.get(3).path("delta");
    assertThat(sig.path("type").asText()).isEqualTo("signature_delta");
    String token = sig.path("signature").asText();
    assertThat(token).startsWith(ThinkingBlocks.PREFIX);

    ThinkingBlocks.Reader back = new ThinkingBlocks.Reader();
    back.thinking("Plan", token);
    assertThat(back.details()).containsExactly(summary, signature);
    assertThat(data.getLast().path("type").asText()).isEqualTo("message_stop");
    assertThat(data.get(data.size() - 2).at("/delta/stop_reason").asText()).isEqualTo("end_turn");
  }

  @Test
  void aForeignSignatureWithoutThinkingIsARedactedBlock() throws Exception {
    ObjectNode signature =
        detail(
            "{\"type\":\"reasoning.encrypted\",\"data\":\"g-sig\",\"format\":\"google-gemini-v1\","
                + "\"index\":0}");
    List<JsonNode> data =
        data(
            run(
                STAMP,
                List.of(
                    new StreamEvent.TextDelta("A"),
                    new StreamEvent.ReasoningDelta(null, signature)),
                false));
    JsonNode block = data.get(4).path("content_block");
    assertThat(block.path("type").asText()).isEqualTo("redacted_thinking");
    ThinkingBlocks.Reader back = new ThinkingBlocks.Reader();
    back.redacted(block.path("data").asText());
    assertThat(back.details()).containsExactly(signature);
  }

  @Test
  void excludedReasoningIsNotShown() throws Exception {
    Stamp hidden = new Stamp("gen-1", "m", "P", 1L, false);
    List<String> types =
        types(
            run(
                hidden,
                List.of(
                    new StreamEvent.ReasoningDelta("secret", null), new StreamEvent.TextDelta("A")),
                false));
    assertThat(types)
        .containsExactly("message_start", "content_block_start", "content_block_delta");
  }

  @Test
  void anErrorAfterOutputIsOneErrorEvent() {
    MessagesStream stream = new MessagesStream(STAMP);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    stream.event(new StreamEvent.TextDelta("A"), out::writeBytes);
    stream.error(
        GatewayError.of(FailureClass.UPSTREAM_TRANSIENT, 502, "upstream cut"), out::writeBytes);
    List<JsonNode> data = data(out.toString(StandardCharsets.UTF_8));
    JsonNode last = data.getLast();
    assertThat(last.path("type").asText()).isEqualTo("error");
    assertThat(last.at("/error/type").asText()).isEqualTo("api_error");
    assertThat(last.at("/error/message").asText()).isEqualTo("upstream cut");
    assertThat(last.at("/error/error_type").asText()).isEqualTo("provider_unavailable");
  }

  private static List<String> types(String wire) {
    List<String> types = new ArrayList<>();
    for (String line : wire.split("\n")) {
      if (line.startsWith("event: ")) {
        types.add(line.substring(7));
      }
    }
    return types;
  }

  private static List<JsonNode> data(String wire) {
    List<JsonNode> out = new ArrayList<>();
    for (String line : wire.split("\n")) {
      if (line.startsWith("data: ")) {
        try {
          out.add(ApiJson.tree(line.substring(6)));
        } catch (java.io.IOException e) {
          throw new AssertionError(e);
        }
      }
    }
    return out;
  }
}
