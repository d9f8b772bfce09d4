package dev.switchboard.server.inbound;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.api.json.ApiJson;
import dev.switchboard.core.error.GatewayError;
import dev.switchboard.core.model.FinishReason;
import dev.switchboard.core.model.StreamEvent;
import dev.switchboard.core.model.Usage;
import dev.switchboard.core.openai.JsonQuote;
import dev.switchboard.server.metering.Cost;
import dev.switchboard.sse.SseWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * One streamed answer as Responses API events: {@code response.created} and {@code
 * response.in_progress} with the first output (so that the keep-alive, not a created event, holds
 * the connection while no attempt has committed and a fallback is still possible); then per output
 * item {@code response.output_item.added}, its parts and deltas ({@code
 * response.reasoning_summary_text.delta}, {@code response.output_text.delta}, {@code
 * response.refusal.delta}, {@code response.function_call_arguments.delta}), their {@code .done}
 * events and {@code response.output_item.done} when the next item starts or the answer ends; last
 * {@code response.completed} (or {@code response.incomplete} when the answer was cut by the output
 * limit or a filter) with the whole response and its usage, or {@code response.failed}. Every event
 * carries a {@code sequence_number} from 0. Stateful; not thread-safe.
 */
final class ResponsesStream implements InboundDialect.StreamEncoder {

  private static final byte[] DATA = "data: ".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] END = "\n\n".getBytes(StandardCharsets.US_ASCII);
  // A text delta's frame around its numbers, item id and quoted text (see textDelta)
  private static final byte[] TEXT_DELTA_HEAD =
      ascii("data: {\"type\":\"response.output_text.delta\",\"sequence_number\":");
  private static final byte[] OUTPUT_INDEX = ascii(",\"output_index\":");
  private static final byte[] ITEM_ID = ascii(",\"item_id\":");
  private static final byte[] CONTENT_INDEX = ascii(",\"content_index\":");
  private static final byte[] DELTA = ascii(",\"delta\":");
  private static final byte[] TEXT_DELTA_TAIL = ascii(",\"logprobs\":[]}\n\n");

  private final Stamp stamp;
  private final String suffix;
  private final ArrayNode output = ApiJson.mapper().createArrayNode();
  private final Map<Integer, Call> calls = new HashMap<>();
  private final List<Call> openCalls = new ArrayList<>();
  private int sequence;
  private boolean started;
  private FinishReason finish;

  // the reasoning item and the message item being streamed, or -1
  private int reasoningIndex = -1;
  private final StringBuilder reasoning = new StringBuilder();
  private ArrayNode details;
  private int messageIndex = -1;
  private final StringBuilder text = new StringBuilder();
  private final StringBuilder refusal = new StringBuilder();
  private JsonNode annotations;
  private int textPart = -1;
  private int refusalPart = -1;
  // `,"item_id":"msg_<suffix>","content_index":`, made at the stream's first text delta
  private byte[] textDeltaItem;

  ResponsesStream(Stamp stamp) {
    this.stamp = stamp;
    this.suffix = OpenAiResponses.suffix(stamp);
  }

  @Override
  public void event(StreamEvent event, Consumer<byte[]> out) {
    switch (event) {
      case StreamEvent.TextDelta d -> {
        if (d.text().isEmpty()) {
          return;
        }
        start(out);
        openText(out);
        text.append(d.text());
        out.accept(textDelta(d.text()));
      }
      case StreamEvent.RefusalDelta d -> {
        start(out);
        openMessage(out);
        if (refusalPart < 0) {
          refusalPart = textPart < 0 ? 0 : textPart + 1;
          ObjectNode e = event("response.content_part.added", messageIndex);
          e.put("item_id", "msg_" + suffix).put("content_index", refusalPart);
          e.putObject("part").put("type", "refusal").put("refusal", "");
          send(e, out);
        }
        refusal.append(d.text());
        ObjectNode e = event("response.refusal.delta", messageIndex);
        e.put("item_id", "msg_" + suffix).put("content_index", refusalPart).put("delta", d.text());
        send(e, out);
      }
      case StreamEvent.ReasoningDelta d -> {
        if (!stamp.includeReasoning()) {
          return;
        }
        boolean hasText = d.text() != null && !d.text().isEmpty();
        if (!hasText && d.detail() == null) {
          return;
        }
        start(out);
        if (reasoningIndex < 0) {
          closeAll(out);
          reasoningIndex = output.size();
          output.add(OpenAiResponses.reasoningItem(suffix, null, null));
          ObjectNode added = event("response.output_item.added", reasoningIndex);
          added.set("item", output.get(reasoningIndex));
          send(added, out);
          ObjectNode part = event("response.reasoning_summary_part.added", reasoningIndex);
          part.put("item_id", "rs_" + suffix).put("summary_index", 0);
          part.putObject("part").put("type", "summary_text").put("text", "");
          send(part, out);
        }
        if (d.detail() != null) {
          if (details == null) {
            details = ApiJson.mapper().createArrayNode();
          }
          details.add(d.detail());
        }
        if (hasText) {
          reasoning.append(d.text());
          ObjectNode e = event("response.reasoning_summary_text.delta", reasoningIndex);
          e.put("item_id", "rs_" + suffix).put("summary_index", 0).put("delta", d.text());
          send(e, out);
        }
      }
      case StreamEvent.ToolCallStarted s -> {
        start(out);
        closeReasoning(out);
        closeMessage(out);
        Call c = new Call(output.size(), s.index(), s.id(), s.name());
        calls.put(s.index(), c);
        openCalls.add(c);
        output.add(OpenAiResponses.functionCall(suffix, s.index(), s.id(), s.name(), "", false));
        ObjectNode added = event("response.output_item.added", c.outputIndex);
        added.set("item", output.get(c.outputIndex));
        send(added, out);
      }
      case StreamEvent.ToolCallDelta d -> {
        Call c = calls.get(d.index());
        if (c == null || d.argumentsFragment().isEmpty()) {
          return;
        }
        c.arguments.append(d.argumentsFragment());
        ObjectNode e = event("response.function_call_arguments.delta", c.outputIndex);
        e.put("item_id", c.itemId(suffix)).put("delta", d.argumentsFragment());
        send(e, out);
      }
      case StreamEvent.Annotations a -> annotations = a.annotations();
      case StreamEvent.Finished f -> finish = f.reason();
      case StreamEvent.Started s -> {}
      case StreamEvent.Logprobs l -> {}
      case StreamEvent.UsageReported u -> {}
      case StreamEvent.Failed f -> {}
      case StreamEvent.Unknown u -> {}
    }
  }

  @Override
  public void finish(Usage usage, Cost cost, JsonNode routingMetadata, Consumer<byte[]> out) {
    start(out);
    closeAll(out);
    ObjectNode response = OpenAiResponses.response(stamp, finish, output);
    response.set("usage", OpenAiResponses.usage(usage, cost));
    if (routingMetadata != null) {
      response.set("openrouter_metadata", routingMetadata);
    }
    String type =
        "incomplete".equals(response.path("status").asText())
            ? "response.incomplete"
            : "response.completed";
    ObjectNode e = ApiJson.object().put("type", type).put("sequence_number", sequence++);
    e.set("response", response);
    send(e, out);
    out.accept(SseWriter.done());
  }

  @Override
  public void error(GatewayError error, Consumer<byte[]> out) {
    start(out);
    ObjectNode response = OpenAiResponses.response(stamp, null, output);
    response.put("status", "failed");
    response.set("error", OpenAiResponses.failure(error));
    response.put("error_type", error.kind().errorType());
    ObjectNode e =
        ApiJson.object().put("type", "response.failed").put("sequence_number", sequence++);
    e.set("response", response);
    send(e, out);
  }

  // ---- items -----------------------------------------------------------------------------

  private void start(Consumer<byte[]> out) {
    if (started) {
      return;
    }
    started = true;
    for (String type : new String[] {"response.created", "response.in_progress"}) {
      ObjectNode e = ApiJson.object().put("type", type).put("sequence_number", sequence++);
      e.set("response", OpenAiResponses.response(stamp, null, null));
      send(e, out);
    }
  }

  private void openMessage(Consumer<byte[]> out) {
    if (messageIndex >= 0) {
      return;
    }
    closeAll(out);
    messageIndex = output.size();
    output.add(OpenAiResponses.messageItem(suffix, null, null, null, false));
    ObjectNode added = event("response.output_item.added", messageIndex);
    added.set("item", output.get(messageIndex));
    send(added, out);
  }

  private void openText(Consumer<byte[]> out) {
    openMessage(out);
    if (textPart >= 0) {
      return;
    }
    textPart = refusalPart < 0 ? 0 : refusalPart + 1;
    ObjectNode e = event("response.content_part.added", messageIndex);
    e.put("item_id", "msg_" + suffix).put("content_index", textPart);
    e.set("part", OpenAiResponses.textPart("", null));
    send(e, out);
  }

  private void closeAll(Consumer<byte[]> out) {
    closeReasoning(out);
    closeMessage(out);
    for (Call c : openCalls) {
      ObjectNode done = event("response.function_call_arguments.done", c.outputIndex);
      done.put("item_id", c.itemId(suffix)).put("name", c.name);
      done.put("arguments", c.arguments.toString());
      send(done, out);
      ObjectNode item =
          OpenAiResponses.functionCall(
              suffix, c.toolIndex, c.callId, c.name, c.arguments.toString(), true);
      output.set(c.outputIndex, item);
      ObjectNode e = event("response.output_item.done", c.outputIndex);
      e.set("item", item);
      send(e, out);
    }
    openCalls.clear();
  }

  private void closeReasoning(Consumer<byte[]> out) {
    if (reasoningIndex < 0) {
      return;
    }
    String all = reasoning.toString();
    ObjectNode done = event("response.reasoning_summary_text.done", reasoningIndex);
    done.put("item_id", "rs_" + suffix).put("summary_index", 0).put("text", all);
    send(done, out);
    ObjectNode part = event("response.reasoning_summary_part.done", reasoningIndex);
    part.put("item_id", "rs_" + suffix).put("summary_index", 0);
    part.putObject("part").put("type", "summary_text").put("text", all);
    send(part, out);
    ObjectNode item = OpenAiResponses.reasoningItem(suffix, all, details);
    output.set(reasoningIndex, item);
    ObjectNode e = event("response.output_item.done", reasoningIndex);
    e.set("item", item);
    send(e, out);
    reasoningIndex = -1;
    reasoning.setLength(0);
    details = null;
  }

  private void closeMessage(Consumer<byte[]> out) {
    if (messageIndex < 0) {
      return;
    }
    String all = text.toString();
    if (textPart >= 0) {
      ObjectNode done = event("response.output_text.done", messageIndex);
      done.put("item_id", "msg_" + suffix).put("content_index", textPart).put("text", all);
      done.putArray("logprobs");
      send(done, out);
      ObjectNode part = event("response.content_part.done", messageIndex);
      part.put("item_id", "msg_" + suffix).put("content_index", textPart);
      part.set("part", OpenAiResponses.textPart(all, annotations));
      send(part, out);
    }
    if (refusalPart >= 0) {
      ObjectNode done = event("response.refusal.done", messageIndex);
      done.put("item_id", "msg_" + suffix).put("content_index", refusalPart);
      done.put("refusal", refusal.toString());
      send(done, out);
    }
    ObjectNode item =
        OpenAiResponses.messageItem(
            suffix,
            textPart >= 0 ? all : null,
            refusalPart >= 0 ? refusal.toString() : null,
            annotations,
            true);
    output.set(messageIndex, item);
    ObjectNode e = event("response.output_item.done", messageIndex);
    e.set("item", item);
    send(e, out);
    messageIndex = -1;
    text.setLength(0);
    refusal.setLength(0);
    textPart = -1;
    refusalPart = -1;
  }

  private ObjectNode event(String type, int outputIndex) {
    return ApiJson.object()
        .put("type", type)
        .put("sequence_number", sequence++)
        .put("output_index", outputIndex);
  }

  /**
   * One {@code response.output_text.delta} frame, written around the quoted text: the bytes the
   * mapper writes for the event's tree (type, sequence_number, output_index, item_id,
   * content_index, delta, logprobs), without building the tree for every streamed token.
   */
  byte[] textDelta(String delta) {
    if (textDeltaItem == null) {
      byte[] item = JsonQuote.quote("msg_" + suffix);
      textDeltaItem = new byte[ITEM_ID.length + item.length + CONTENT_INDEX.length];
      System.arraycopy(ITEM_ID, 0, textDeltaItem, 0, ITEM_ID.length);
      System.arraycopy(item, 0, textDeltaItem, ITEM_ID.length, item.length);
      System.arraycopy(
          CONTENT_INDEX, 0, textDeltaItem, ITEM_ID.length + item.length, CONTENT_INDEX.length);
    }
    byte[] quoted = JsonQuote.quote(delta);
    int seq = sequence++;
    int length =
        TEXT_DELTA_HEAD.length
            + digits(seq)
            + OUTPUT_INDEX.length
            + digits(messageIndex)
            + textDeltaItem.length
            + digits(textPart)
            + DELTA.length
            + quoted.length
            + TEXT_DELTA_TAIL.length;
    byte[] frame = new byte[length];
    int at = put(frame, 0, TEXT_DELTA_HEAD);
    at = putInt(frame, at, seq);
    at = put(frame, at, OUTPUT_INDEX);
    at = putInt(frame, at, messageIndex);
    at = put(frame, at, textDeltaItem);
    at = putInt(frame, at, textPart);
    at = put(frame, at, DELTA);
    at = put(frame, at, quoted);
    put(frame, at, TEXT_DELTA_TAIL);
    return frame;
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  private static int put(byte[] to, int at, byte[] bytes) {
    System.arraycopy(bytes, 0, to, at, bytes.length);
    return at + bytes.length;
  }

  /** Decimal digits of a non-negative int. */
  private static int digits(int n) {
    int d = 1;
    while (n >= 10) {
      n /= 10;
      d++;
    }
    return d;
  }

  private static int putInt(byte[] to, int at, int n) {
    int end = at + digits(n);
    for (int i = end - 1; i >= at; i--) {
      to[i] = (byte) ('0' + n % 10);
      n /= 10;
    }
    return end;
  }

  /**
   * One event as one {@code data:} frame (one array: the client channel queues each array it is
   * given). Compact JSON holds no raw line break, so one data line is always enough.
   */
  private static void send(ObjectNode event, Consumer<byte[]> out) {
    byte[] json = ApiJson.bytes(event);
    byte[] frame = new byte[DATA.length + json.length + END.length];
    int at = put(frame, 0, DATA);
    at = put(frame, at, json);
    put(frame, at, END);
    out.accept(frame);
  }

  /** A function call being streamed. */
  private static final class Call {
    final int outputIndex;
    final int toolIndex;
    final String callId;
    final String name;
    final StringBuilder arguments = new StringBuilder();

    Call(int outputIndex, int toolIndex, String callId, String name) {
      this.outputIndex = outputIndex;
      this.toolIndex = toolIndex;
      this.callId = callId;
      this.name = name;
    }

    String itemId(String suffix) {
      return "fc_" + suffix + "_" + toolIndex;
    }
  }
}
