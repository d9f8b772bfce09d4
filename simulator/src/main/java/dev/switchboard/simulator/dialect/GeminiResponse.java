package dev.switchboard.simulator.dialect;

import static dev.switchboard.simulator.dialect.GoogleJson.quote;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.api.json.ApiJson;
import dev.switchboard.simulator.behavior.Plan;
import dev.switchboard.simulator.behavior.Prompt;
import dev.switchboard.sse.SseEvent;
import dev.switchboard.sse.SseWriter;
import java.io.IOException;
import java.util.List;

/**
 * One reply in Gemini's shapes, as recorded ({@code fixtures/google}): Google's spacing ({@code ":
 * "} after keys, bare {@code ","} between members); {@code candidates[{content{parts,
 * role:"model"}, [finishReason], index:0}]}, {@code usageMetadata} (cumulative, on every chunk),
 * {@code modelVersion}, {@code responseId}. Streams are {@code data: <json>} frames ending in CRLF
 * CRLF, one per token (a function call whole in one), the finish reason on the last; no {@code
 * [DONE]}. A thought summary ({@code thought:true}) comes first when {@code includeThoughts} was
 * asked; the thought signature rides on the first answer part (on Gemini 3 always on the first
 * function call).
 */
final class GeminiResponse implements Dialect.Response {

  private static final String FRAME_END = "\r\n\r\n";

  private final Prompt prompt;
  private final Plan plan;
  private final String responseId;
  private final String thinking;
  private final String signature;
  private final int thoughtTokens;
  private final String tail;

  GeminiResponse(
      Prompt prompt,
      Plan plan,
      String responseId,
      String thinking,
      String signature,
      int thoughtTokens) {
    this.prompt = prompt;
    this.plan = plan;
    this.responseId = responseId;
    this.thinking = thinking;
    this.signature = signature;
    this.thoughtTokens = thoughtTokens;
    StringBuilder t = new StringBuilder(64).append(",\"modelVersion\": ");
    quote(t, prompt.model()).append(",\"responseId\": ");
    this.tail = quote(t, responseId).append('}').toString();
  }

  @Override
  public String json() {
    StringBuilder out = new StringBuilder(512);
    out.append("{\"candidates\": [{\"content\": {\"parts\": [");
    boolean first = true;
    if (thinking != null) {
      thought(out);
      first = false;
    }
    String sig = signature;
    switch (plan.reply()) {
      case Plan.Text text -> {
        out.append(first ? "" : ",").append("{\"text\": ");
        quote(out, text.text());
        signature(out, sig).append('}');
      }
      case Plan.ToolCalls calls -> {
        for (Plan.Call call : calls.calls()) {
          JsonNode args = args(call);
          if (args == null) {
            continue;
          }
          out.append(first ? "" : ",");
          first = false;
          functionCall(out, call, args, sig);
          sig = null;
        }
      }
    }
    out.append("],\"role\": \"model\"},\"finishReason\": \"").append(finish()).append("\"");
    out.append(",\"index\": 0}]");
    usage(out, plan.completionTokens());
    return out.append(tail).toString();
  }

  @Override
  public Frames frames() {
    int tokens = plan.completionTokens();
    Frames frames = new Frames((tokens + 4) * 320 + (thinking == null ? 0 : thinking.length()));
    StringBuilder out = frames.builder();
    if (thinking != null) {
      open(out);
      thought(out);
      close(out, null, 0);
      frames.mark(true);
    }
    int emitted = 0;
    switch (plan.reply()) {
      case Plan.Text text -> {
        List<String> list = text.tokens();
        for (int i = 0; i < list.size(); i++) {
          emitted++;
          open(out).append("{\"text\": ");
          quote(out, list.get(i));
          signature(out, i == 0 ? signature : null).append('}');
          close(out, i == list.size() - 1 ? finish() : null, emitted);
          frames.mark(true);
        }
        if (list.isEmpty()) {
          open(out).append("{\"text\": \"\"");
          signature(out, signature).append('}');
          close(out, finish(), 0);
          frames.mark(false);
        }
      }
      case Plan.ToolCalls calls -> {
        String sig = signature;
        for (Plan.Call call : calls.calls()) {
          emitted += call.fragments().size();
          JsonNode args = args(call);
          if (args == null) {
            continue;
          }
          open(out);
          functionCall(out, call, args, sig);
          sig = null;
          close(out, null, emitted);
          frames.mark(true);
        }
        open(out).append("{\"text\": \"\"}");
        close(out, finish(), emitted);
        frames.mark(false);
      }
    }
    return frames;
  }

  private StringBuilder open(StringBuilder out) {
    return out.append("data: {\"candidates\": [{\"content\": {\"parts\": [");
  }

  private void close(StringBuilder out, String finish, int candidates) {
    out.append("],\"role\": \"model\"}");
    if (finish != null) {
      out.append(",\"finishReason\": \"").append(finish).append('"');
    }
    out.append(",\"index\": 0}]");
    usage(out, candidates);
    out.append(tail).append(FRAME_END);
  }

  private void thought(StringBuilder out) {
    out.append("{\"text\": ");
    quote(out, thinking).append(",\"thought\": true}");
  }

  private static StringBuilder signature(StringBuilder out, String sig) {
    if (sig != null) {
      out.append(",\"thoughtSignature\": ");
      quote(out, sig);
    }
    return out;
  }

  private static void functionCall(StringBuilder out, Plan.Call call, JsonNode args, String sig) {
    out.append("{\"functionCall\": {\"name\": ");
    quote(out, call.name()).append(",\"args\": ");
    GoogleJson.append(out, args).append('}');
    signature(out, sig).append('}');
  }

  /** The call's arguments as an object; null when the token limit cut them short. */
  private static JsonNode args(Plan.Call call) {
    try {
      JsonNode args = ApiJson.tree(call.arguments());
      return args != null && args.isObject() ? args : null;
    } catch (IOException e) {
      return null;
    }
  }

  private void usage(StringBuilder out, int candidates) {
    int promptTokens = plan.promptTokens();
    out.append(",\"usageMetadata\": {\"promptTokenCount\": ").append(promptTokens);
    if (candidates > 0) {
      out.append(",\"candidatesTokenCount\": ").append(candidates);
    }
    out.append(",\"totalTokenCount\": ").append(promptTokens + candidates + thoughtTokens);
    out.append(",\"promptTokensDetails\": [{\"modality\": \"TEXT\",\"tokenCount\": ");
    out.append(promptTokens).append("}]");
    if (thoughtTokens > 0) {
      out.append(",\"thoughtsTokenCount\": ").append(thoughtTokens);
    }
    out.append('}');
  }

  private String finish() {
    return switch (plan.reply().finish()) {
      case STOP, TOOL_CALLS -> "STOP";
      case LENGTH -> "MAX_TOKENS";
    };
  }

  @Override
  public String malformedJson() {
    return "{\"candidates\": [{\"content\": {\"parts\": [{\"text\": \"Sim";
  }

  @Override
  public void appendMalformedFrame(StringBuilder out) {
    out.append("data: {\"candidates\": [{\"content\": {\"parts\": [{\"text\": \"Sim")
        .append(FRAME_END);
  }

  @Override
  public void appendErrorFrame(StringBuilder out, boolean namedEvent, String body) {
    String data = body == null ? GeminiErrors.forStatus(500) : body;
    if (namedEvent) {
      SseWriter.appendEvent(out, SseEvent.named("error", data));
    } else {
      SseWriter.appendData(out, data);
    }
  }

  @Override
  public String errorJson(String body) {
    return body == null ? GeminiErrors.forStatus(500) : body;
  }
}
