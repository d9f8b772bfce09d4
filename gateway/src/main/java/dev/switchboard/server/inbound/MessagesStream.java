package dev.switchboard.server.inbound;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.api.json.ApiJson;
import dev.switchboard.core.error.GatewayError;
import dev.switchboard.core.model.FinishReason;
import dev.switchboard.core.model.StreamEvent;
import dev.switchboard.core.model.Usage;
import dev.switchboard.server.metering.Cost;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * One streamed answer as Anthropic's named events: {@code message_start} before the first block;
 * then blocks one at a time, each {@code content_block_start}, its deltas ({@code text_delta},
 * {@code thinking_delta}, {@code signature_delta}, {@code input_json_delta}) and {@code
 * content_block_stop}; at the end {@code message_delta} (stop reason, usage with its cost) and
 * {@code message_stop}. A block closes when output of another kind begins, so interleaved reasoning
 * and tool calls come out in the order the upstream produced them. Reasoning details of other
 * vendors ride in the thinking block's signature or in a {@code redacted_thinking} block ({@link
 * ThinkingBlocks}). An error after the first output is one {@code error} event. Stateful, one per
 * stream, confined to its event loop.
 */
final class MessagesStream implements InboundDialect.StreamEncoder {

  private static final byte[] EVENT = "event: ".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] DATA = "\ndata: ".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] END = "\n\n".getBytes(StandardCharsets.US_ASCII);

  private enum Open {
    NONE,
    TEXT,
    THINKING,
    TOOL
  }

  private final Stamp stamp;
  private boolean started;
  private Open open = Open.NONE;
  private int nextBlock;
  private int openTool = -1;
  private JsonNode thinkingIndex;
  private final Map<Integer, Integer> toolBlocks = new HashMap<>();
  private final List<JsonNode> foreignDetails = new ArrayList<>();
  private boolean toolCalls;
  private FinishReason reason;
  private String nativeReason;
  private String stopSequence;
  private Usage usage;

  MessagesStream(Stamp stamp) {
    this.stamp = stamp;
  }

  @Override
  public void event(StreamEvent event, Consumer<byte[]> out) {
    switch (event) {
      case StreamEvent.TextDelta t -> text(t.text(), out);
      case StreamEvent.RefusalDelta r -> text(r.text(), out);
      case StreamEvent.ReasoningDelta r -> reasoning(r, out);
      case StreamEvent.ToolCallStarted t -> {
        start(out);
        close(out);
        toolCalls = true;
        ObjectNode block = ApiJson.object();
        block.put("type", "tool_use");
        block.put("id", t.id());
        block.put("name", t.name());
        block.putObject("input");
        toolBlocks.put(t.index(), nextBlock);
        openTool = t.index();
        open(Open.TOOL, block, out);
      }
      case StreamEvent.ToolCallDelta d -> {
        if (d.argumentsFragment() == null || d.argumentsFragment().isEmpty()) {
          return;
        }
        Integer block = toolBlocks.get(d.index());
        if (block == null || open != Open.TOOL || openTool != d.index()) {
          return; // a fragment for a call that never started or has closed: no block to carry it
        }
        ObjectNode delta = ApiJson.object();
        delta.put("type", "input_json_delta");
        delta.put("partial_json", d.argumentsFragment());
        delta(delta, out);
      }
      case StreamEvent.Finished f -> {
        reason = f.reason();
        nativeReason = f.nativeReason();
        stopSequence = MessagesWire.stopSequence(f.stopSequence(), stamp);
      }
      case StreamEvent.UsageReported u -> usage = u.usage();
      case StreamEvent.Started s -> {}
      case StreamEvent.Annotations a -> {}
      case StreamEvent.Logprobs l -> {}
      case StreamEvent.Failed f -> {}
      case StreamEvent.Unknown u -> {}
    }
  }

  @Override
  public void finish(Usage usage, Cost cost, JsonNode routingMetadata, Consumer<byte[]> out) {
    start(out);
    close(out);
    ObjectNode delta = ApiJson.object();
    delta.put("type", "message_delta");
    ObjectNode d = delta.putObject("delta");
    d.put("stop_reason", MessagesWire.stopReason(reason, nativeReason, toolCalls, stopSequence));
    d.put("stop_sequence", stopSequence);
    delta.set("usage", MessagesWire.usage(usage, cost));
    if (routingMetadata != null) {
      delta.set("openrouter_metadata", routingMetadata);
    }
    frame("message_delta", delta, out);
    ObjectNode stop = ApiJson.object();
    stop.put("type", "message_stop");
    frame("message_stop", stop, out);
  }

  @Override
  public void error(GatewayError error, Consumer<byte[]> out) {
    frame("error", MessagesWire.error(error, null), out);
  }

  private void text(String text, Consumer<byte[]> out) {
    if (text == null || text.isEmpty()) {
      return;
    }
    start(out);
    if (open != Open.TEXT) {
      close(out);
      ObjectNode block = ApiJson.object();
      block.put("type", "text");
      block.put("text", "");
      open(Open.TEXT, block, out);
    }
    ObjectNode delta = ApiJson.object();
    delta.put("type", "text_delta");
    delta.put("text", text);
    delta(delta, out);
  }

  private void reasoning(StreamEvent.ReasoningDelta r, Consumer<byte[]> out) {
    if (!stamp.includeReasoning()) {
      return;
    }
    JsonNode detail = r.detail();
    boolean hasText = r.text() != null && !r.text().isEmpty();
    if (detail != null && !ThinkingBlocks.anthropic(detail)) {
      // Another vendor's detail: kept for the signature of the thinking block it belongs to, or
      // a redacted_thinking block of its own when there is no thinking text to attach it to.
      if (!hasText && open != Open.THINKING) {
        start(out);
        close(out);
        ObjectNode block =
            new ThinkingBlocks.Block(
                    true, null, null, ThinkingBlocks.wrap(ThinkingBlocks.merged(List.of(detail))))
                .json();
        open(Open.NONE, block, out);
        stop(out);
        return;
      }
      thinkingText(r.text(), out);
      foreignDetails.add(detail);
      return;
    }
    if (detail != null && "reasoning.encrypted".equals(text(detail, "type"))) {
      start(out);
      close(out);
      open(Open.NONE, new ThinkingBlocks.Block(true, null, null, text(detail, "data")).json(), out);
      stop(out);
      return;
    }
    JsonNode index = detail == null ? null : detail.get("index");
    if (open == Open.THINKING
        && index != null
        && thinkingIndex != null
        && !index.equals(thinkingIndex)) {
      close(out); // the next thinking block of an interleaved answer
    }
    thinkingText(r.text(), out);
    if (index != null) {
      thinkingIndex = index;
    }
    String signature = detail == null ? null : text(detail, "signature");
    if (signature != null && !signature.isEmpty()) {
      if (open != Open.THINKING) {
        thinkingText("", out);
      }
      ObjectNode delta = ApiJson.object();
      delta.put("type", "signature_delta");
      delta.put("signature", signature);
      delta(delta, out);
    }
  }

  /** Opens a thinking block when none is open and sends {@code text} in it (when not empty). */
  private void thinkingText(String text, Consumer<byte[]> out) {
    start(out);
    if (open != Open.THINKING) {
      close(out);
      ObjectNode block = ApiJson.object();
      block.put("type", "thinking");
      block.put("thinking", "");
      block.put("signature", "");
      open(Open.THINKING, block, out);
    }
    if (text != null && !text.isEmpty()) {
      ObjectNode delta = ApiJson.object();
      delta.put("type", "thinking_delta");
      delta.put("thinking", text);
      delta(delta, out);
    }
  }

  /** {@code message_start}, once, before anything else. */
  private void start(Consumer<byte[]> out) {
    if (started) {
      return;
    }
    started = true;
    ObjectNode message = MessagesWire.head(stamp);
    message.putArray("content");
    message.putNull("stop_reason");
    message.putNull("stop_sequence");
    message.set("usage", MessagesWire.usage(usage == null ? Usage.ZERO : usage, null));
    ObjectNode event = ApiJson.object();
    event.put("type", "message_start");
    event.set("message", message);
    frame("message_start", event, out);
  }

  private void open(Open kind, ObjectNode block, Consumer<byte[]> out) {
    ObjectNode event = ApiJson.object();
    event.put("type", "content_block_start");
    event.put("index", nextBlock);
    event.set("content_block", block);
    frame("content_block_start", event, out);
    open = kind;
  }

  private void delta(ObjectNode delta, Consumer<byte[]> out) {
    ObjectNode event = ApiJson.object();
    event.put("type", "content_block_delta");
    event.put("index", nextBlock);
    event.set("delta", delta);
    frame("content_block_delta", event, out);
  }

  /** Closes the open block, if any; a thinking block first gets its carried details. */
  private void close(Consumer<byte[]> out) {
    if (open == Open.NONE) {
      return;
    }
    if (open == Open.THINKING && !foreignDetails.isEmpty()) {
      ObjectNode delta = ApiJson.object();
      delta.put("type", "signature_delta");
      delta.put("signature", ThinkingBlocks.wrap(ThinkingBlocks.merged(foreignDetails)));
      delta(delta, out);
      foreignDetails.clear();
    }
    stop(out);
  }

  private void stop(Consumer<byte[]> out) {
    ObjectNode event = ApiJson.object();
    event.put("type", "content_block_stop");
    event.put("index", nextBlock);
    frame("content_block_stop", event, out);
    nextBlock++;
    open = Open.NONE;
    openTool = -1;
    thinkingIndex = null;
  }

  private static void frame(String type, ObjectNode json, Consumer<byte[]> out) {
    out.accept(EVENT);
    out.accept(type.getBytes(StandardCharsets.US_ASCII));
    out.accept(DATA);
    out.accept(ApiJson.bytes(json));
    out.accept(END);
  }

  private static String text(JsonNode node, String field) {
    JsonNode v = node.get(field);
    return v != null && v.isTextual() ? v.textValue() : null;
  }
}
