package dev.switchboard.simulator.dialect;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.api.json.ApiJson;
import dev.switchboard.simulator.behavior.NativeSearch;
import dev.switchboard.simulator.behavior.Plan;
import dev.switchboard.simulator.behavior.Prompt;
import dev.switchboard.sse.SseEvent;
import dev.switchboard.sse.SseWriter;
import java.util.List;

/**
 * One reply in OpenAI's chat completions shapes, as recorded in 2024 ({@code fixtures/openai}):
 *
 * <ul>
 *   <li>non-streaming: {@code id, object, created, model, choices[{index, message{role, content,
 *       [tool_calls], refusal}, logprobs, finish_reason}], usage, system_fingerprint};
 *   <li>streaming text: a role chunk ({@code role:"assistant", content:"", refusal:null}), one
 *       chunk per token, a finish chunk with an empty delta, the usage chunk ({@code choices:[]})
 *       only when {@code stream_options.include_usage}, then {@code [DONE]};
 *   <li>one tool call: the first chunk carries role, {@code content:null}, the call's id, type and
 *       name with {@code arguments:""}, and {@code refusal:null}; then argument fragments;
 *   <li>parallel tool calls: a role chunk ({@code content:null}), then per call an id/name chunk
 *       followed by its argument fragments.
 * </ul>
 *
 * <p>Chunks are written straight into one buffer with precomputed prefixes: this is the hot path of
 * benchmarks.
 */
final class OpenAiResponse implements Dialect.Response {

  private static final JsonStringEncoder JSON = JsonStringEncoder.getInstance();
  private static final String CLOSE_OPEN = ",\"logprobs\":null,\"finish_reason\":null}]}";

  private final Prompt prompt;
  private final Plan plan;
  private final String id;
  private final long created;
  private final String fingerprint;
  private final List<String> toolCallIds;
  private final String head;

  OpenAiResponse(
      Prompt prompt,
      Plan plan,
      String id,
      long created,
      String fingerprint,
      List<String> toolCallIds) {
    this.prompt = prompt;
    this.plan = plan;
    this.id = id;
    this.created = created;
    this.fingerprint = fingerprint;
    this.toolCallIds = toolCallIds;
    StringBuilder h = new StringBuilder(160).append("{\"id\":");
    quote(h, id).append(",\"object\":\"chat.completion.chunk\",\"created\":").append(created);
    h.append(",\"model\":");
    quote(h, prompt.model()).append(",\"system_fingerprint\":");
    quote(h, fingerprint).append(",\"choices\":");
    this.head = h.toString();
  }

  @Override
  public String json() {
    ObjectNode root = ApiJson.object();
    root.put("id", id);
    root.put("object", "chat.completion");
    root.put("created", created);
    root.put("model", prompt.model());
    ObjectNode choice = root.putArray("choices").addObject();
    choice.put("index", 0);
    ObjectNode message = choice.putObject("message");
    message.put("role", "assistant");
    switch (plan.reply()) {
      case Plan.Text text -> message.put("content", text.text());
      case Plan.ToolCalls calls -> {
        message.putNull("content");
        ArrayNode array = message.putArray("tool_calls");
        for (int i = 0; i < calls.calls().size(); i++) {
          Plan.Call call = calls.calls().get(i);
          ObjectNode c = array.addObject();
          c.put("id", toolCallIds.get(i));
          c.put("type", "function");
          ObjectNode function = c.putObject("function");
          function.put("name", call.name());
          function.put("arguments", call.arguments());
        }
      }
    }
    message.putNull("refusal");
    JsonNode cited = annotations();
    if (cited != null) {
      message.set("annotations", cited);
    }
    choice.putNull("logprobs");
    choice.put("finish_reason", finishReason(plan.reply().finish()));
    ObjectNode usage = root.putObject("usage");
    usage.put("prompt_tokens", plan.promptTokens());
    usage.put("completion_tokens", plan.completionTokens());
    usage.put("total_tokens", plan.totalTokens());
    usage.putObject("completion_tokens_details").put("reasoning_tokens", 0);
    root.put("system_fingerprint", fingerprint);
    return ApiJson.string(root);
  }

  @Override
  public Frames frames() {
    int tokens = plan.completionTokens();
    Frames frames = new Frames((tokens + 5) * (head.length() + 120));
    StringBuilder json = frames.builder();
    switch (plan.reply()) {
      case Plan.Text text -> {
        chunk(frames, json, "{\"role\":\"assistant\",\"content\":\"\",\"refusal\":null}", false);
        for (String token : text.tokens()) {
          openChunk(json).append("{\"content\":");
          quote(json, token).append('}').append(CLOSE_OPEN);
          emit(frames, json, true);
        }
      }
      case Plan.ToolCalls calls -> toolCallChunks(frames, json, calls.calls());
    }
    JsonNode cited = annotations();
    if (cited != null) {
      chunk(frames, json, "{\"annotations\":" + ApiJson.string(cited) + "}", false);
    }
    openChunk(json).append("{},\"logprobs\":null,\"finish_reason\":\"");
    json.append(finishReason(plan.reply().finish())).append("\"}]}");
    emit(frames, json, false);
    if (prompt.includeUsage()) {
      json.append("data: ")
          .append(head)
          .append("[],\"usage\":{\"prompt_tokens\":")
          .append(plan.promptTokens());
      json.append(",\"completion_tokens\":").append(plan.completionTokens());
      json.append(",\"total_tokens\":").append(plan.totalTokens());
      json.append(",\"completion_tokens_details\":{\"reasoning_tokens\":0}}}");
      emit(frames, json, false);
    }
    SseWriter.appendDone(frames.builder());
    frames.markDone();
    return frames;
  }

  private void toolCallChunks(Frames frames, StringBuilder json, List<Plan.Call> calls) {
    boolean parallel = calls.size() > 1;
    if (parallel) {
      chunk(frames, json, "{\"role\":\"assistant\",\"content\":null}", false);
    }
    for (int i = 0; i < calls.size(); i++) {
      Plan.Call call = calls.get(i);
      openChunk(json).append(parallel ? "{" : "{\"role\":\"assistant\",\"content\":null,");
      json.append("\"tool_calls\":[{\"index\":").append(i).append(",\"id\":");
      quote(json, toolCallIds.get(i)).append(",\"type\":\"function\",\"function\":{\"name\":");
      quote(json, call.name()).append(",\"arguments\":\"\"}}]");
      json.append(parallel ? "}" : ",\"refusal\":null}").append(CLOSE_OPEN);
      emit(frames, json, false);
      for (String fragment : call.fragments()) {
        openChunk(json).append("{\"tool_calls\":[{\"index\":").append(i);
        json.append(",\"function\":{\"arguments\":");
        quote(json, fragment).append("}}]}").append(CLOSE_OPEN);
        emit(frames, json, true);
      }
    }
  }

  @Override
  public String malformedJson() {
    StringBuilder out = new StringBuilder(160).append("{\"id\":");
    quote(out, id).append(",\"object\":\"chat.completion\",\"created\":").append(created);
    return out.append(
            ",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"Sim")
        .toString();
  }

  @Override
  public void appendMalformedFrame(StringBuilder out) {
    SseWriter.appendData(out, head + "[{\"index\":0,\"delta\":{\"content\":\"Sim");
  }

  @Override
  public void appendErrorFrame(StringBuilder out, boolean namedEvent, String body) {
    String data = body == null ? OpenAiErrors.forStatus(500) : body;
    if (namedEvent) {
      SseWriter.appendEvent(out, SseEvent.named("error", data));
    } else {
      SseWriter.appendData(out, data);
    }
  }

  /**
   * The answer cut after {@code afterTokens} tokens with {@code finish_reason: "error"} and the
   * choice's {@code error}, in OpenRouter's shape; usage counts the tokens given.
   */
  @Override
  public String partialJson(int afterTokens) {
    ObjectNode root;
    try {
      root = (ObjectNode) ApiJson.tree(json());
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
    ObjectNode choice = (ObjectNode) root.get("choices").get(0);
    ObjectNode message = (ObjectNode) choice.get("message");
    int given = 0;
    if (plan.reply() instanceof Plan.Text text) {
      given = Math.min(afterTokens, text.tokens().size());
      message.put("content", String.join("", text.tokens().subList(0, given)));
    } else {
      message.put("content", "");
      message.remove("tool_calls");
    }
    choice.put("finish_reason", "error");
    choice.put("native_finish_reason", "error");
    ObjectNode error = choice.putObject("error");
    error.put("code", 502);
    error.put("message", "Simulated upstream failure after partial output.");
    error.putObject("metadata").put("error_type", "provider_unavailable");
    ObjectNode usage = (ObjectNode) root.get("usage");
    usage.put("completion_tokens", given);
    usage.put("total_tokens", plan.promptTokens() + given);
    return ApiJson.string(root);
  }

  @Override
  public String errorJson(String body) {
    return body == null ? OpenAiErrors.forStatus(500) : body;
  }

  /**
   * With the provider's web search on and a text reply, OpenAI's {@code url_citation} annotations
   * of the search's results (each spanning the whole text); else null.
   */
  private JsonNode annotations() {
    if (!prompt.webSearch() || !(plan.reply() instanceof Plan.Text text)) {
      return null;
    }
    ArrayNode out = ApiJson.mapper().createArrayNode();
    for (NativeSearch.Result r : NativeSearch.results(NativeSearch.query(prompt))) {
      ObjectNode c = out.addObject().put("type", "url_citation").putObject("url_citation");
      c.put("start_index", 0);
      c.put("end_index", text.text().length());
      c.put("title", r.title());
      c.put("url", r.url());
    }
    return out;
  }

  /** Starts a chunk frame in {@code out}: {@code data: } and the chunk up to its delta. */
  private StringBuilder openChunk(StringBuilder out) {
    return out.append("data: ").append(head).append("[{\"index\":0,\"delta\":");
  }

  private void chunk(Frames frames, StringBuilder json, String delta, boolean paced) {
    openChunk(json).append(delta).append(CLOSE_OPEN);
    emit(frames, json, paced);
  }

  /**
   * Ends the frame whose JSON was just written into the frame buffer. Every string in it went
   * through the JSON encoder, so it holds no line break and one data line frames it.
   */
  private static void emit(Frames frames, StringBuilder out, boolean paced) {
    out.append("\n\n");
    frames.mark(paced);
  }

  private static StringBuilder quote(StringBuilder out, String value) {
    out.append('"');
    JSON.quoteAsString(value, out);
    return out.append('"');
  }

  static String finishReason(Plan.Finish finish) {
    return switch (finish) {
      case STOP -> "stop";
      case LENGTH -> "length";
      case TOOL_CALLS -> "tool_calls";
    };
  }
}
