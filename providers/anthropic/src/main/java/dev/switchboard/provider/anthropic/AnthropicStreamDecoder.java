package dev.switchboard.provider.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.switchboard.api.json.ApiJson;
import dev.switchboard.core.error.GatewayError;
import dev.switchboard.core.error.UpstreamBodies;
import dev.switchboard.core.model.StreamEvent;
import dev.switchboard.core.provider.StreamDecoder;
import dev.switchboard.core.provider.Target;
import dev.switchboard.provider.anthropic.AnthropicWire.Content;
import dev.switchboard.provider.anthropic.AnthropicWire.Delta;
import dev.switchboard.provider.anthropic.AnthropicWire.StreamMessage;
import dev.switchboard.provider.anthropic.AnthropicWire.WireUsage;
import dev.switchboard.sse.SseEvent;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The per-request state machine over an Anthropic {@code /v1/messages} stream. Created per request;
 * not thread-safe.
 *
 * <ul>
 *   <li>The event type is the SSE {@code event:} name, else the JSON {@code type}.
 *   <li>Blocks are tracked by their block index. A client {@code tool_use} block gets the next
 *       dense tool index from 0 (a block index is not a tool index: text and thinking blocks take
 *       block indices too); its id and name come once in {@code ToolCallStarted}, its {@code
 *       input_json_delta} fragments follow as {@code ToolCallDelta}s (empty fragments skipped).
 *   <li>Thinking deltas become {@code ReasoningDelta}s with a {@code reasoning.text} detail; the
 *       {@code signature_delta} a detail with the signature; a {@code redacted_thinking} block a
 *       {@code reasoning.encrypted} detail. Details carry the dense reasoning-block index.
 *   <li>The structured-output tool's input fragments become text. Server tool blocks and their
 *       results are not shown.
 *   <li>{@code message_delta} gives {@code Finished} (once) and then {@code UsageReported}, its
 *       cumulative counts merged over {@code message_start}'s.
 *   <li>An event type this decoder does not know becomes {@code Unknown} (no client output).
 *   <li>{@code event: error} becomes {@code Failed}; malformed JSON becomes {@code
 *       Failed(UPSTREAM_BAD_RESPONSE)}, never an exception; anything after {@code message_stop} or
 *       a failure is ignored. A stream that closes before its stop reason is {@code
 *       Failed(UPSTREAM_TRANSIENT)}.
 * </ul>
 */
final class AnthropicStreamDecoder implements StreamDecoder {

  /** What a content block is, for its deltas. */
  private enum Kind {
    TEXT,
    THINKING,
    TOOL,
    JSON_OUTPUT,
    IGNORED
  }

  private record Block(Kind kind, int index) {}

  private final Target target;
  private final Map<Integer, Block> blocks = new HashMap<>();
  private int nextTool;
  private int nextReasoning;
  private WireUsage usage = WireUsage.NONE;
  private boolean finishSeen;
  private boolean done;
  private boolean failed;

  AnthropicStreamDecoder(Target target) {
    this.target = target;
  }

  @Override
  public List<StreamEvent> onEvent(SseEvent event) {
    if (done || failed) {
      return List.of();
    }
    String data = event.data();
    if (data == null || data.isBlank()) {
      return List.of();
    }
    JsonNode root = UpstreamBodies.jsonObject(data);
    if (root == null) {
      return fail(UpstreamBodies.badResponse(target.providerName(), data));
    }
    String type = event.event() != null ? event.event() : AnthropicWire.text(root, "type");
    return switch (StreamMessage.parse(type, root)) {
      case StreamMessage.MessageStart start -> {
        usage = usage.merge(start.usage());
        yield List.of(new StreamEvent.Started(start.id(), start.model()));
      }
      case StreamMessage.ContentBlockStart start -> blockStart(start.index(), start.block());
      case StreamMessage.ContentBlockDelta delta -> blockDelta(delta.index(), delta.delta());
      case StreamMessage.ContentBlockStop stop -> List.of();
      case StreamMessage.MessageDelta delta -> messageDelta(delta);
      case StreamMessage.MessageStop stop -> {
        done = true;
        yield List.of();
      }
      case StreamMessage.Ping ping -> List.of();
      case StreamMessage.Error error ->
          fail(AnthropicErrors.classifyInStream(error.root(), data, target));
      case StreamMessage.Unknown unknown -> List.of(new StreamEvent.Unknown(type, root));
    };
  }

  private List<StreamEvent> blockStart(int blockIndex, Content content) {
    List<StreamEvent> out = new ArrayList<>(2);
    switch (content) {
      case Content.Text text -> {
        blocks.put(blockIndex, new Block(Kind.TEXT, -1));
        if (!text.text().isEmpty()) {
          out.add(new StreamEvent.TextDelta(text.text()));
        }
      }
      case Content.Thinking thinking -> {
        int index = nextReasoning++;
        blocks.put(blockIndex, new Block(Kind.THINKING, index));
        if (!thinking.thinking().isEmpty() || !thinking.signature().isEmpty()) {
          out.add(
              new StreamEvent.ReasoningDelta(
                  thinking.thinking().isEmpty() ? null : thinking.thinking(),
                  AnthropicResponseMapper.textDetail(
                      thinking.thinking(), thinking.signature(), index)));
        }
      }
      case Content.RedactedThinking redacted -> {
        int index = nextReasoning++;
        blocks.put(blockIndex, new Block(Kind.IGNORED, index));
        out.add(
            new StreamEvent.ReasoningDelta(
                null, AnthropicResponseMapper.encryptedDetail(redacted.data(), index)));
      }
      case Content.ToolUse call -> {
        if (AnthropicRequestMapper.JSON_TOOL.equals(call.name())) {
          blocks.put(blockIndex, new Block(Kind.JSON_OUTPUT, -1));
          wholeInput(call.input(), out, -1);
        } else {
          int index = nextTool++;
          blocks.put(blockIndex, new Block(Kind.TOOL, index));
          out.add(
              new StreamEvent.ToolCallStarted(
                  index,
                  call.id() != null ? call.id() : "toolu_" + index,
                  call.name() != null ? call.name() : ""));
          wholeInput(call.input(), out, index);
        }
      }
      case Content.Other other -> blocks.put(blockIndex, new Block(Kind.IGNORED, -1));
    }
    return out;
  }

  /** Anthropic opens a tool block with {@code input:{}}; a relay may put the whole input there. */
  private static void wholeInput(JsonNode input, List<StreamEvent> out, int toolIndex) {
    if (input == null || !input.isObject() || input.isEmpty()) {
      return;
    }
    String json = ApiJson.string(input);
    out.add(
        toolIndex < 0
            ? new StreamEvent.TextDelta(json)
            : new StreamEvent.ToolCallDelta(toolIndex, json));
  }

  private List<StreamEvent> blockDelta(int blockIndex, Delta delta) {
    Block block = blocks.get(blockIndex);
    if (block == null) {
      block = new Block(Kind.TEXT, -1); // a delta for a block that never started: text at most
    }
    return switch (delta) {
      case Delta.Text text ->
          block.kind() == Kind.TEXT && !text.text().isEmpty()
              ? List.of(new StreamEvent.TextDelta(text.text()))
              : List.of();
      case Delta.Thinking thinking ->
          block.kind() == Kind.THINKING && !thinking.thinking().isEmpty()
              ? List.of(
                  new StreamEvent.ReasoningDelta(
                      thinking.thinking(),
                      AnthropicResponseMapper.textDetail(thinking.thinking(), null, block.index())))
              : List.of();
      case Delta.Signature signature ->
          block.kind() == Kind.THINKING && !signature.signature().isEmpty()
              ? List.of(
                  new StreamEvent.ReasoningDelta(
                      null,
                      AnthropicResponseMapper.textDetail(
                          null, signature.signature(), block.index())))
              : List.of();
      case Delta.InputJson json -> inputJson(block, json.partialJson());
      case Delta.Citation c -> citation(c.citation());
      case Delta.Other other -> List.of();
    };
  }

  /** A cited web search result: one {@code url_citation} annotation (no indexes in a stream). */
  private static List<StreamEvent> citation(JsonNode citation) {
    ArrayNode one = ApiJson.nodes().arrayNode();
    AnthropicResponseMapper.citations(ApiJson.nodes().arrayNode().add(citation), -1, -1, one);
    for (JsonNode a : one) {
      ((com.fasterxml.jackson.databind.node.ObjectNode) a.get("url_citation"))
          .remove(List.of("start_index", "end_index"));
    }
    return one.isEmpty() ? List.of() : List.of(new StreamEvent.Annotations(one));
  }

  private static List<StreamEvent> inputJson(Block block, String fragment) {
    if (fragment.isEmpty()) {
      return List.of();
    }
    return switch (block.kind()) {
      case TOOL -> List.of(new StreamEvent.ToolCallDelta(block.index(), fragment));
      case JSON_OUTPUT -> List.of(new StreamEvent.TextDelta(fragment));
      case TEXT, THINKING, IGNORED -> List.of();
    };
  }

  private List<StreamEvent> messageDelta(StreamMessage.MessageDelta delta) {
    List<StreamEvent> out = new ArrayList<>(2);
    if (delta.stopReason() != null && !finishSeen) {
      finishSeen = true;
      out.add(
          new StreamEvent.Finished(
              AnthropicResponseMapper.finishReason(delta.stopReason(), nextTool > 0),
              delta.stopReason()));
    }
    if (delta.usage() != null) {
      usage = usage.merge(delta.usage());
      out.add(new StreamEvent.UsageReported(AnthropicResponseMapper.usage(usage)));
    }
    return out;
  }

  private List<StreamEvent> fail(GatewayError error) {
    failed = true;
    return List.of(new StreamEvent.Failed(error));
  }

  /**
   * A stream that ended after its stop reason is complete even without {@code message_stop}; one
   * that ended before it was cut.
   */
  @Override
  public List<StreamEvent> onEnd() {
    if (done || failed || finishSeen) {
      return List.of();
    }
    failed = true;
    return List.of(StreamDecoder.truncated(target));
  }

  /** True after {@code message_stop} or a failure: nothing more will be decoded. */
  @Override
  public boolean finished() {
    return done || failed;
  }
}
