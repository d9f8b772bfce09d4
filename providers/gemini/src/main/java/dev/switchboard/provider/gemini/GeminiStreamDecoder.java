package dev.switchboard.provider.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.api.json.ApiJson;
import dev.switchboard.core.error.GatewayError;
import dev.switchboard.core.error.UpstreamBodies;
import dev.switchboard.core.model.FinishReason;
import dev.switchboard.core.model.StreamEvent;
import dev.switchboard.core.model.Usage;
import dev.switchboard.core.provider.StreamDecoder;
import dev.switchboard.core.provider.Target;
import dev.switchboard.provider.gemini.GeminiWire.Candidate;
import dev.switchboard.provider.gemini.GeminiWire.FunctionCall;
import dev.switchboard.provider.gemini.GeminiWire.GenerateContentResponse;
import dev.switchboard.provider.gemini.GeminiWire.Part;
import dev.switchboard.provider.gemini.GeminiWire.PartialArg;
import dev.switchboard.sse.SseEvent;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The per-request state machine over a {@code streamGenerateContent?alt=sse} stream (also used,
 * once, for a whole {@code generateContent} body). Created per request; not thread-safe.
 *
 * <ul>
 *   <li>Every {@code data:} payload is a whole response in miniature; there is no {@code [DONE]}.
 *       The stream is complete once a {@code finishReason} (or a blocked prompt) was seen.
 *   <li>Only the first candidate is followed. Thought parts ({@code thought:true}) become reasoning
 *       with a {@code reasoning.text} detail; other text parts text; each {@code thoughtSignature}
 *       a {@code reasoning.encrypted} detail of its own, carrying the tool call id when it rode on
 *       a function call.
 *   <li>Function calls come whole: a start with a stable id ({@link GeminiToolIds}) and one
 *       arguments fragment, indices dense from 0. Vertex's streamed arguments ({@code willContinue}
 *       and {@code partialArgs}) are assembled and sent as one fragment when the call closes.
 *   <li>{@code STOP} after a function call is {@code tool_calls}; {@code MAX_TOKENS} {@code
 *       length}; the safety family ({@code SAFETY}, {@code RECITATION}, {@code BLOCKLIST}, {@code
 *       PROHIBITED_CONTENT}, {@code SPII}, image variants) {@code content_filter}; malformed or
 *       unexpected tool calls {@code error}; the native value is kept. A prompt blocked before any
 *       candidate ({@code promptFeedback.blockReason}) finishes with {@code content_filter} and the
 *       block reason as native reason.
 *   <li>{@code usageMetadata} rides on many chunks and changes as it goes; only the last one is
 *       reported, once, when the stream ends.
 *   <li>A payload with {@code error} becomes {@code Failed}; malformed JSON {@code
 *       Failed(UPSTREAM_BAD_RESPONSE)}; a stream that ends unfinished {@code
 *       Failed(UPSTREAM_TRANSIENT)} after the usage seen so far.
 * </ul>
 */
final class GeminiStreamDecoder implements StreamDecoder {

  private static final Pattern PATH_STEP =
      Pattern.compile("\\.([A-Za-z0-9_$-]+)|\\[(\\d+)]|\\['([^']*)']");

  private final Target target;
  private boolean started;
  private boolean finishSeen;
  private boolean failed;
  private boolean sawToolCall;
  private String responseId;
  private int tools;
  private int nextDetailIndex;
  private int thoughtIndex = -1;
  private Usage usage;
  private int openCall = -1;
  private ObjectNode openArgs;

  GeminiStreamDecoder(Target target) {
    this.target = target;
  }

  @Override
  public List<StreamEvent> onEvent(SseEvent event) {
    if (failed) {
      return List.of();
    }
    String data = event.data();
    if (data == null || data.isBlank()) {
      return List.of();
    }
    GenerateContentResponse chunk;
    try {
      chunk = ApiJson.read(data, GenerateContentResponse.class);
    } catch (IOException e) {
      return fail(UpstreamBodies.badResponse(target.providerName(), data));
    }
    if (chunk == null) {
      return fail(UpstreamBodies.badResponse(target.providerName(), data));
    }
    return decode(chunk);
  }

  /** The events of one payload. */
  List<StreamEvent> decode(GenerateContentResponse chunk) {
    List<StreamEvent> out = new ArrayList<>(4);
    if (!started) {
      started = true;
      responseId = chunk.responseId();
      out.add(new StreamEvent.Started(chunk.responseId(), chunk.modelVersion()));
    }
    Usage reported = GeminiUsage.parse(chunk.usageMetadata());
    if (reported != null) {
      usage = reported;
    }
    if (chunk.error() != null && !chunk.error().isNull()) {
      failed = true;
      if (usage != null) {
        out.add(new StreamEvent.UsageReported(usage));
      }
      out.add(new StreamEvent.Failed(GeminiErrors.classifyInStream(chunk.error(), target)));
      return out;
    }
    Candidate candidate = firstCandidate(chunk.candidates());
    if (candidate != null) {
      if (candidate.content() != null && candidate.content().parts() != null) {
        for (Part part : candidate.content().parts()) {
          part(part, out);
        }
      }
      if (candidate.finishReason() != null && !finishSeen) {
        closeOpenCall(out);
        finishSeen = true;
        out.add(
            new StreamEvent.Finished(
                finishReason(candidate.finishReason(), sawToolCall), candidate.finishReason()));
      }
    } else if (chunk.promptFeedback() != null
        && chunk.promptFeedback().blockReason() != null
        && !finishSeen) {
      finishSeen = true;
      out.add(
          new StreamEvent.Finished(
              FinishReason.CONTENT_FILTER, chunk.promptFeedback().blockReason()));
    }
    return out;
  }

  private void part(Part part, List<StreamEvent> out) {
    if (part.functionCall() != null) {
      functionCall(part, out);
      return;
    }
    String text = part.text();
    if (text != null && !text.isEmpty()) {
      if (Boolean.TRUE.equals(part.thought())) {
        if (thoughtIndex < 0) {
          thoughtIndex = nextDetailIndex++;
        }
        out.add(
            new StreamEvent.ReasoningDelta(text, GeminiReasoning.textDetail(text, thoughtIndex)));
      } else {
        out.add(new StreamEvent.TextDelta(text));
      }
    }
    if (part.thoughtSignature() != null && !part.thoughtSignature().isEmpty()) {
      out.add(signature(part.thoughtSignature(), null));
    }
  }

  private void functionCall(Part part, List<StreamEvent> out) {
    FunctionCall call = part.functionCall();
    if (openCall >= 0) {
      if (call.name() == null) {
        applyPartialArgs(call.partialArgs());
        if (!Boolean.TRUE.equals(call.willContinue())) {
          closeOpenCall(out);
        }
        return;
      }
      closeOpenCall(out); // a new call while one is open: the open one is done
    }
    if (call.name() == null) {
      return; // nothing to close, nothing to start
    }
    int index = tools++;
    String id = GeminiToolIds.id(call.id(), responseId, index, call.name());
    sawToolCall = true;
    out.add(new StreamEvent.ToolCallStarted(index, id, call.name()));
    if (Boolean.TRUE.equals(call.willContinue())) {
      openCall = index;
      openArgs =
          call.args() != null && call.args().isObject()
              ? ((ObjectNode) call.args()).deepCopy()
              : ApiJson.object();
      applyPartialArgs(call.partialArgs());
    } else {
      out.add(new StreamEvent.ToolCallDelta(index, arguments(call.args())));
    }
    if (part.thoughtSignature() != null && !part.thoughtSignature().isEmpty()) {
      out.add(signature(part.thoughtSignature(), id));
    }
  }

  private void closeOpenCall(List<StreamEvent> out) {
    if (openCall >= 0) {
      out.add(new StreamEvent.ToolCallDelta(openCall, ApiJson.string(openArgs)));
      openCall = -1;
      openArgs = null;
    }
  }

  /** Sets each value at its JSON path ({@code $.a.b}, {@code $.a[0]}); strings are appended. */
  private void applyPartialArgs(List<PartialArg> args) {
    if (args == null) {
      return;
    }
    for (PartialArg arg : args) {
      if (arg.jsonPath() == null || !arg.jsonPath().startsWith("$")) {
        continue;
      }
      List<Object> steps = new ArrayList<>();
      Matcher m = PATH_STEP.matcher(arg.jsonPath());
      int at = 1;
      while (at < arg.jsonPath().length() && m.find(at) && m.start() == at) {
        steps.add(
            m.group(1) != null
                ? m.group(1)
                : m.group(2) != null ? (Object) Integer.valueOf(m.group(2)) : m.group(3));
        at = m.end();
      }
      if (steps.isEmpty() || at != arg.jsonPath().length()) {
        continue;
      }
      set(openArgs, steps, arg);
    }
  }

  private static void set(JsonNode root, List<Object> steps, PartialArg arg) {
    JsonNode node = root;
    for (int i = 0; i < steps.size() - 1; i++) {
      Object step = steps.get(i);
      boolean nextIsIndex = steps.get(i + 1) instanceof Integer;
      JsonNode child = step instanceof Integer n ? node.get(n) : node.get((String) step);
      if (child == null || child.isNull()) {
        child = nextIsIndex ? ApiJson.nodes().arrayNode() : ApiJson.object();
        put(node, step, child);
      }
      node = child;
    }
    Object last = steps.getLast();
    JsonNode existing = last instanceof Integer n ? node.get(n) : node.get((String) last);
    JsonNodeFactory nodes = ApiJson.nodes();
    JsonNode value;
    if (arg.stringValue() != null) {
      String prefix = existing != null && existing.isTextual() ? existing.textValue() : "";
      value = nodes.textNode(prefix + arg.stringValue());
    } else if (arg.numberValue() != null) {
      value = nodes.numberNode(arg.numberValue());
    } else if (arg.boolValue() != null) {
      value = nodes.booleanNode(arg.boolValue());
    } else if (arg.nullValue() != null) {
      value = nodes.nullNode();
    } else {
      return;
    }
    put(node, last, value);
  }

  private static void put(JsonNode parent, Object step, JsonNode value) {
    if (parent instanceof ObjectNode object && step instanceof String name) {
      object.set(name, value);
    } else if (parent instanceof ArrayNode array && step instanceof Integer index) {
      while (array.size() <= index) {
        array.addNull();
      }
      array.set(index, value);
    }
  }

  private StreamEvent signature(String signature, String callId) {
    return new StreamEvent.ReasoningDelta(
        null, GeminiReasoning.signatureDetail(signature, callId, nextDetailIndex++));
  }

  static String arguments(JsonNode args) {
    return args == null || args.isNull() ? "{}" : ApiJson.string(args);
  }

  static FinishReason finishReason(String value, boolean toolCalls) {
    return switch (value) {
      case "MAX_TOKENS" -> FinishReason.LENGTH;
      case "SAFETY",
          "RECITATION",
          "BLOCKLIST",
          "PROHIBITED_CONTENT",
          "SPII",
          "IMAGE_SAFETY",
          "IMAGE_PROHIBITED_CONTENT",
          "IMAGE_RECITATION" ->
          FinishReason.CONTENT_FILTER;
      case "MALFORMED_FUNCTION_CALL", "UNEXPECTED_TOOL_CALL", "TOO_MANY_TOOL_CALLS" ->
          FinishReason.ERROR;
      default -> toolCalls ? FinishReason.TOOL_CALLS : FinishReason.STOP;
    };
  }

  private static Candidate firstCandidate(List<Candidate> candidates) {
    if (candidates == null || candidates.isEmpty()) {
      return null;
    }
    for (Candidate c : candidates) {
      if (c.index() == null || c.index() == 0) {
        return c;
      }
    }
    return null;
  }

  private List<StreamEvent> fail(GatewayError error) {
    failed = true;
    return List.of(new StreamEvent.Failed(error));
  }

  @Override
  public List<StreamEvent> onEnd() {
    if (failed) {
      return List.of();
    }
    List<StreamEvent> out = new ArrayList<>(2);
    if (usage != null) {
      out.add(new StreamEvent.UsageReported(usage));
    }
    if (!finishSeen) {
      failed = true;
      out.add(StreamDecoder.truncated(target));
    }
    return out;
  }

  /** True once a finish reason (or a blocked prompt) or a failure was seen. */
  @Override
  public boolean finished() {
    return finishSeen || failed;
  }

  /** The last usage seen, for a whole-body decode. */
  Usage usage() {
    return usage;
  }

  boolean hasFailed() {
    return failed;
  }
}
