package dev.switchboard.provider.openai;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.api.json.ApiJson;
import dev.switchboard.core.error.GatewayError;
import dev.switchboard.core.error.UpstreamBodies;
import dev.switchboard.core.model.FinishReason;
import dev.switchboard.core.model.StreamEvent;
import dev.switchboard.core.model.Usage;
import dev.switchboard.core.provider.StreamDecoder;
import dev.switchboard.core.provider.Target;
import dev.switchboard.sse.SseEvent;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The per-request state machine over an OpenAI-dialect stream. Created per request; not
 * thread-safe.
 *
 * <ul>
 *   <li>{@code [DONE]} ends the stream; anything after it, or after a failure, is ignored.
 *   <li>Only choice 0 is followed (an {@code n} above one still answers with one choice).
 *   <li>Tool calls are re-indexed densely from 0 in order of appearance, whatever the vendor's base
 *       (Anthropic's compatibility layer starts at 1); a call that arrives whole in one chunk (xAI)
 *       becomes a start plus one arguments fragment; a new id at a known index starts a new call.
 *   <li>{@code Finished} is emitted once, at the first {@code finish_reason} (OpenRouter repeats it
 *       on the usage chunk).
 *   <li>{@code event: error} (Groq) or a chunk with a top-level {@code error} (OpenRouter) becomes
 *       {@code Failed}, after any usage the same chunk carried; malformed JSON becomes {@code
 *       Failed(UPSTREAM_BAD_RESPONSE)}, never an exception.
 *   <li>A stream that closes with neither a finish reason nor an error becomes {@code
 *       Failed(UPSTREAM_TRANSIENT)}.
 * </ul>
 */
final class OpenAiStreamDecoder implements StreamDecoder {

  private final Target target;
  private final List<Object> toolKeys = new ArrayList<>(2);
  private final List<String> toolIds = new ArrayList<>(2);
  private boolean started;
  private boolean finishSeen;
  private boolean done;
  private boolean failed;

  private final boolean plainPath;

  OpenAiStreamDecoder(Target target) {
    this(target, true);
  }

  /** With {@code plainPath} false every chunk is decoded as a tree (tests compare both paths). */
  OpenAiStreamDecoder(Target target, boolean plainPath) {
    this.target = target;
    this.plainPath = plainPath;
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
    if (event.isDone()) {
      done = true;
      return List.of();
    }
    if (plainPath && event.event() == null) {
      List<StreamEvent> plain = plainChunk(data);
      if (plain != null) {
        return plain;
      }
    }
    JsonNode root = UpstreamBodies.jsonObject(data);
    if (root == null) {
      return fail(UpstreamBodies.badResponse(target.providerName(), data));
    }
    if ("error".equals(event.event())) {
      return fail(OpenAiErrors.classifyInStream(root, data, target));
    }
    List<StreamEvent> out = new ArrayList<>(3);
    if (!started) {
      started = true;
      out.add(
          new StreamEvent.Started(
              UpstreamBodies.text(root, "id"), UpstreamBodies.text(root, "model")));
    }
    JsonNode choice = choiceZero(root.get("choices"));
    if (choice != null) {
      choice(choice, out);
    }
    Usage usage = OpenAiUsage.parse(root.get("usage"));
    if (usage == null) {
      usage = OpenAiUsage.parse(root.path("x_groq").get("usage"));
    }
    if (usage != null) {
      out.add(new StreamEvent.UsageReported(usage));
    }
    JsonNode error = root.get("error");
    if (error != null && !error.isNull()) {
      failed = true;
      out.add(new StreamEvent.Failed(OpenAiErrors.classifyInStream(root, data, target)));
    }
    return out;
  }

  /**
   * The events of a plain chunk read in one streaming pass, without building a tree: one choice (or
   * none) whose delta carries at most {@code content} (and a {@code role}, and nulls or empty
   * strings for the fields that would mean more), a finish reason, no log probabilities; {@code
   * usage} is read as a tree (once per stream). Null for anything else (tool calls, reasoning,
   * refusals, annotations, log probabilities, several choices, an {@code error}, {@code x_groq}, a
   * repeated field, a value of an unexpected type, JSON that does not parse): the tree path then
   * decodes the chunk, so both give the same events. Nothing is changed before it returns non-null.
   */
  private List<StreamEvent> plainChunk(String data) {
    try (JsonParser p = ApiJson.mapper().getFactory().createParser(data)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        return null;
      }
      String id = null;
      String model = null;
      JsonNode usage = null;
      int seen = 0; // bits: id, model, choices, usage
      Plain choice = null;
      JsonToken t;
      while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        JsonToken v = p.nextToken();
        switch (name) {
          case "id" -> {
            if ((seen & 1) != 0) {
              return null;
            }
            seen |= 1;
            id = v == JsonToken.VALUE_STRING ? p.getText() : null;
            p.skipChildren();
          }
          case "model" -> {
            if ((seen & 2) != 0) {
              return null;
            }
            seen |= 2;
            model = v == JsonToken.VALUE_STRING ? p.getText() : null;
            p.skipChildren();
          }
          case "choices" -> {
            if ((seen & 4) != 0) {
              return null;
            }
            seen |= 4;
            if (v == JsonToken.START_ARRAY) {
              JsonToken e = p.nextToken();
              if (e == JsonToken.START_OBJECT) {
                choice = Plain.read(p);
                if (choice == null || p.nextToken() != JsonToken.END_ARRAY) {
                  return null; // not plain, or several choices
                }
              } else if (e != JsonToken.END_ARRAY) {
                return null;
              }
            } else if (v != JsonToken.VALUE_NULL) {
              return null;
            }
          }
          case "usage" -> {
            if ((seen & 8) != 0) {
              return null;
            }
            seen |= 8;
            if (v == JsonToken.START_OBJECT) {
              usage = ApiJson.mapper().readTree(p);
            } else if (v != JsonToken.VALUE_NULL) {
              return null;
            }
          }
          case "error" -> {
            if (v != JsonToken.VALUE_NULL) {
              return null;
            }
          }
          case "x_groq" -> {
            return null;
          }
          default -> p.skipChildren();
        }
      }
      if (t != JsonToken.END_OBJECT) {
        return null;
      }
      List<StreamEvent> out = new ArrayList<>(2);
      if (!started) {
        started = true;
        out.add(new StreamEvent.Started(id, model));
      }
      if (choice != null && choice.index == 0) {
        if (choice.content != null && !choice.content.isEmpty()) {
          out.add(new StreamEvent.TextDelta(choice.content));
        }
        if (choice.finish != null && !finishSeen) {
          finishSeen = true;
          out.add(
              new StreamEvent.Finished(
                  FinishReason.fromOpenAi(choice.finish),
                  choice.nativeFinish != null ? choice.nativeFinish : choice.finish,
                  choice.stop));
        }
      }
      Usage parsed = OpenAiUsage.parse(usage);
      if (parsed != null) {
        out.add(new StreamEvent.UsageReported(parsed));
      }
      return out;
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  /** Choice 0 of a plain chunk, as {@link #plainChunk} reads it. */
  private static final class Plain {
    long index;
    String content;
    String finish;
    String nativeFinish;
    String stop;

    /** The choice the parser is in (after its START_OBJECT), or null when it is not plain. */
    static Plain read(JsonParser p) throws IOException {
      Plain c = new Plain();
      int seen = 0; // bits: index, delta, finish_reason, native_finish_reason, stop_reason
      JsonToken t;
      while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        JsonToken v = p.nextToken();
        int bit =
            switch (name) {
              case "index" -> 1;
              case "delta" -> 2;
              case "finish_reason" -> 4;
              case "native_finish_reason" -> 8;
              case "stop_reason" -> 16;
              default -> 0;
            };
        if ((seen & bit) != 0) {
          return null;
        }
        seen |= bit;
        switch (name) {
          case "index" -> {
            if (v != JsonToken.VALUE_NUMBER_INT || p.getNumberType() != JsonParser.NumberType.INT) {
              return null;
            }
            c.index = p.getIntValue();
          }
          case "delta" -> {
            if (v == JsonToken.START_OBJECT) {
              if (!c.delta(p)) {
                return null;
              }
            } else if (v != JsonToken.VALUE_NULL) {
              return null;
            }
          }
          case "finish_reason" -> {
            c.finish = string(p, v);
            if (c.finish == null && v != JsonToken.VALUE_NULL) {
              return null;
            }
          }
          case "native_finish_reason" -> {
            c.nativeFinish = string(p, v);
            if (c.nativeFinish == null && v != JsonToken.VALUE_NULL) {
              return null;
            }
          }
          case "stop_reason" -> {
            if (v == JsonToken.VALUE_STRING) {
              String stop = p.getText();
              c.stop = stop.isEmpty() ? null : stop;
            } else {
              p.skipChildren(); // a stop token id: not a string of the request
            }
          }
          case "logprobs" -> {
            if (v != JsonToken.VALUE_NULL) {
              return null;
            }
          }
          default -> p.skipChildren();
        }
      }
      return t == JsonToken.END_OBJECT ? c : null;
    }

    /** The delta's fields; false when it carries more than text. */
    private boolean delta(JsonParser p) throws IOException {
      boolean contentSeen = false;
      JsonToken t;
      while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        JsonToken v = p.nextToken();
        switch (name) {
          case "content" -> {
            if (contentSeen) {
              return false;
            }
            contentSeen = true;
            content = string(p, v);
            if (content == null && v != JsonToken.VALUE_NULL) {
              return false;
            }
          }
          case "refusal" -> {
            if (v != JsonToken.VALUE_NULL
                && !(v == JsonToken.VALUE_STRING && p.getTextLength() == 0)) {
              return false;
            }
          }
          case "reasoning",
              "reasoning_content",
              "reasoning_details",
              "annotations",
              "tool_calls" -> {
            if (v != JsonToken.VALUE_NULL) {
              return false;
            }
          }
          default -> p.skipChildren();
        }
      }
      return t == JsonToken.END_OBJECT;
    }

    private static String string(JsonParser p, JsonToken v) throws IOException {
      return v == JsonToken.VALUE_STRING ? p.getText() : null;
    }
  }

  private void choice(JsonNode choice, List<StreamEvent> out) {
    JsonNode logprobs = choice.get("logprobs");
    if (hasLogprobs(logprobs)) {
      out.add(new StreamEvent.Logprobs(logprobs));
    }
    JsonNode delta = choice.path("delta");
    reasoning(delta, out);
    String content = UpstreamBodies.text(delta, "content");
    if (content != null && !content.isEmpty()) {
      out.add(new StreamEvent.TextDelta(content));
    }
    String refusal = UpstreamBodies.text(delta, "refusal");
    if (refusal != null && !refusal.isEmpty()) {
      out.add(new StreamEvent.RefusalDelta(refusal));
    }
    JsonNode annotations = delta.get("annotations");
    if (annotations != null && annotations.isArray() && !annotations.isEmpty()) {
      out.add(new StreamEvent.Annotations(annotations));
    }
    JsonNode toolCalls = delta.get("tool_calls");
    if (toolCalls != null && toolCalls.isArray()) {
      for (JsonNode call : toolCalls) {
        toolCall(call, out);
      }
    }
    String finish = UpstreamBodies.text(choice, "finish_reason");
    if (finish != null && !finishSeen) {
      finishSeen = true;
      String nativeFinish = UpstreamBodies.text(choice, "native_finish_reason");
      out.add(
          new StreamEvent.Finished(
              FinishReason.fromOpenAi(finish),
              nativeFinish != null ? nativeFinish : finish,
              OpenAiResponseMapper.stopSequence(choice)));
    }
  }

  /** {@code reasoning} (OpenRouter, Groq) or {@code reasoning_content} (DeepSeek, xAI, vLLM). */
  private static void reasoning(JsonNode delta, List<StreamEvent> out) {
    String text = UpstreamBodies.text(delta, "reasoning");
    if (text == null) {
      text = UpstreamBodies.text(delta, "reasoning_content");
    }
    boolean hasText = text != null && !text.isEmpty();
    JsonNode details = delta.get("reasoning_details");
    boolean first = true;
    if (details != null && details.isArray()) {
      for (JsonNode detail : details) {
        if (!carriesReasoning(detail)) {
          continue;
        }
        out.add(new StreamEvent.ReasoningDelta(first && hasText ? text : null, detail));
        first = false;
      }
    }
    if (first && hasText) {
      out.add(new StreamEvent.ReasoningDelta(text, null));
    }
  }

  /** A detail with any non-empty payload; OpenRouter also streams empty placeholders. */
  private static boolean carriesReasoning(JsonNode detail) {
    for (String field : new String[] {"text", "signature", "summary", "data"}) {
      JsonNode value = detail.get(field);
      if (value != null && !value.isNull() && !(value.isTextual() && value.textValue().isEmpty())) {
        return true;
      }
    }
    return false;
  }

  private void toolCall(JsonNode call, List<StreamEvent> out) {
    JsonNode index = call.get("index");
    String id = UpstreamBodies.text(call, "id");
    Object key = index != null && index.isIntegralNumber() ? (Object) index.intValue() : id;
    int dense = key == null ? toolKeys.size() - 1 : toolKeys.indexOf(key);
    if (dense >= 0 && id != null && toolIds.get(dense) != null && !id.equals(toolIds.get(dense))) {
      dense = -1; // a new call reusing an index
    }
    JsonNode function = call.path("function");
    if (dense < 0) {
      dense = toolKeys.size();
      toolKeys.add(key != null ? key : new Object());
      toolIds.add(id);
      String name = UpstreamBodies.text(function, "name");
      out.add(
          new StreamEvent.ToolCallStarted(
              dense, id != null ? id : "call_" + dense, name != null ? name : ""));
    }
    String arguments = OpenAiResponseMapper.arguments(function.get("arguments"));
    if (arguments != null && !arguments.isEmpty()) {
      out.add(new StreamEvent.ToolCallDelta(dense, arguments));
    }
  }

  private static JsonNode choiceZero(JsonNode choices) {
    if (choices == null || !choices.isArray()) {
      return null;
    }
    for (JsonNode choice : choices) {
      if (choice.path("index").asInt(0) == 0) {
        return choice;
      }
    }
    return null;
  }

  private static boolean hasLogprobs(JsonNode logprobs) {
    if (logprobs == null || !logprobs.isObject()) {
      return false;
    }
    JsonNode content = logprobs.get("content");
    JsonNode refusal = logprobs.get("refusal");
    return (content != null && content.isArray() && !content.isEmpty())
        || (refusal != null && refusal.isArray() && !refusal.isEmpty());
  }

  private List<StreamEvent> fail(GatewayError error) {
    failed = true;
    return List.of(new StreamEvent.Failed(error));
  }

  @Override
  public List<StreamEvent> onEnd() {
    if (done || failed || finishSeen) {
      return List.of();
    }
    failed = true;
    return List.of(StreamDecoder.truncated(target));
  }

  /** True after {@code [DONE]} or a failure: nothing more will be decoded. */
  @Override
  public boolean finished() {
    return done || failed;
  }
}
