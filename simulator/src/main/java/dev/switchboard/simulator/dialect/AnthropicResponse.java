package dev.switchboard.simulator.dialect;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.api.json.ApiJson;
import dev.switchboard.simulator.behavior.NativeSearch;
import dev.switchboard.simulator.behavior.Plan;
import dev.switchboard.simulator.behavior.Prompt;
import dev.switchboard.simulator.behavior.ThinkingText;
import dev.switchboard.simulator.behavior.Tokens;
import dev.switchboard.sse.SseEvent;
import dev.switchboard.sse.SseWriter;
import java.io.IOException;
import java.util.List;

/**
 * One reply in Anthropic's Messages shapes, as recorded ({@code fixtures/anthropic}):
 *
 * <ul>
 *   <li>non-streaming: {@code model, id, type:"message", role, content[...], stop_reason,
 *       stop_sequence, usage{input_tokens, cache_creation_input_tokens, cache_read_input_tokens,
 *       cache_creation{...}, output_tokens, service_tier}};
 *   <li>streaming: every event as {@code event: <type>} plus one {@code data:} line; {@code
 *       message_start}, then per block {@code content_block_start}, its deltas and {@code
 *       content_block_stop} ({@code ping} after the first block start), {@code message_delta} with
 *       the stop reason and usage, {@code message_stop}. No {@code [DONE]}.
 *   <li>with {@code thinking} on, a thinking block comes first: {@code thinking_delta}s, then one
 *       {@code signature_delta} ({@link ThinkingText}); {@code usage.output_tokens_details
 *       .thinking_tokens} counts it (a 2026 field).
 *   <li>tool calls: a {@code tool_use} block per call with {@code input:{}}, an empty {@code
 *       input_json_delta}, then the argument fragments.
 * </ul>
 *
 * <p>Frames (the unit of pacing and of stream faults) are one content delta each; the structural
 * events before a delta travel in its frame, so "after N chunks" means N content deltas as in the
 * OpenAI dialect. {@code message_stop} is the end-of-stream sentinel.
 */
final class AnthropicResponse implements Dialect.Response {

  private static final JsonStringEncoder JSON = JsonStringEncoder.getInstance();

  private final Prompt prompt;
  private final Plan plan;
  private final String id;
  private final List<String> toolIds;
  private final String thinking;
  private final List<String> thinkingTokens;

  AnthropicResponse(Prompt prompt, Plan plan, String id, List<String> toolIds) {
    this.prompt = prompt;
    this.plan = plan;
    this.id = id;
    this.toolIds = toolIds;
    this.thinking = prompt.reasoning() ? ThinkingText.forPlan(prompt, plan) : null;
    this.thinkingTokens = thinking == null ? List.of() : Tokens.split(thinking);
  }

  private int outputTokens() {
    return plan.completionTokens() + thinkingTokens.size();
  }

  @Override
  public String json() {
    ObjectNode root = ApiJson.object();
    root.put("model", prompt.model());
    root.put("id", id);
    root.put("type", "message");
    root.put("role", "assistant");
    ArrayNode content = root.putArray("content");
    if (thinking != null) {
      ObjectNode block = content.addObject();
      block.put("type", "thinking");
      block.put("thinking", thinking);
      block.put("signature", ThinkingText.signature(thinking));
    }
    switch (plan.reply()) {
      case Plan.Text text -> {
        if (searched()) {
          content.add(serverToolUse(true));
          content.add(searchResults());
        }
        if (!text.text().isEmpty()) {
          ObjectNode block = content.addObject().put("type", "text").put("text", text.text());
          if (searched()) {
            ArrayNode citations = block.putArray("citations");
            for (NativeSearch.Result r : results()) {
              citations.add(citation(r));
            }
          }
        }
      }
      case Plan.ToolCalls calls -> {
        for (int i = 0; i < calls.calls().size(); i++) {
          Plan.Call call = calls.calls().get(i);
          ObjectNode block = content.addObject();
          block.put("type", "tool_use");
          block.put("id", toolIds.get(i));
          block.put("name", call.name());
          block.set("input", input(call.arguments()));
        }
      }
    }
    root.put("stop_reason", stopReason(plan.reply().finish()));
    root.putNull("stop_sequence");
    root.set("usage", usage(plan.promptTokens(), outputTokens(), true, true));
    return ApiJson.string(root);
  }

  @Override
  public Frames frames() {
    Frames frames = new Frames((outputTokens() + 12) * 160);
    StringBuilder out = frames.builder();
    ObjectNode start = ApiJson.object();
    start.put("type", "message_start");
    ObjectNode message = start.putObject("message");
    message.put("model", prompt.model());
    message.put("id", id);
    message.put("type", "message");
    message.put("role", "assistant");
    message.putArray("content");
    message.putNull("stop_reason");
    message.putNull("stop_sequence");
    message.set("usage", usage(plan.promptTokens(), 1, true, false));
    event(out, "message_start", ApiJson.string(start));
    int block = 0;
    if (thinking != null) {
      blockStart(out, block, "{\"type\":\"thinking\",\"thinking\":\"\",\"signature\":\"\"}");
      for (String token : thinkingTokens) {
        delta(frames, block, "thinking_delta", "thinking", token, true);
      }
      delta(frames, block, "signature_delta", "signature", ThinkingText.signature(thinking), false);
      blockStop(out, block++);
    }
    switch (plan.reply()) {
      case Plan.Text text -> {
        if (searched()) {
          blockStart(out, block, ApiJson.string(serverToolUse(false)));
          delta(
              frames,
              block,
              "input_json_delta",
              "partial_json",
              ApiJson.string(serverToolUse(true).get("input")),
              false);
          blockStop(out, block++);
          blockStart(out, block, ApiJson.string(searchResults()));
          blockStop(out, block++);
        }
        blockStart(out, block, "{\"type\":\"text\",\"text\":\"\"}");
        if (searched()) {
          for (NativeSearch.Result r : results()) {
            event(
                out,
                "content_block_delta",
                "{\"type\":\"content_block_delta\",\"index\":"
                    + block
                    + ",\"delta\":{\"type\":\"citations_delta\",\"citation\":"
                    + ApiJson.string(citation(r))
                    + "}}");
          }
        }
        for (String token : text.tokens()) {
          delta(frames, block, "text_delta", "text", token, true);
        }
        blockStop(out, block);
      }
      case Plan.ToolCalls calls -> {
        for (int i = 0; i < calls.calls().size(); i++, block++) {
          StringBuilder tool = new StringBuilder("{\"type\":\"tool_use\",\"id\":");
          quote(tool, toolIds.get(i)).append(",\"name\":");
          quote(tool, calls.calls().get(i).name()).append(",\"input\":{}}");
          blockStart(out, block, tool.toString());
          delta(frames, block, "input_json_delta", "partial_json", "", false);
          for (String fragment : calls.calls().get(i).fragments()) {
            delta(frames, block, "input_json_delta", "partial_json", fragment, true);
          }
          blockStop(out, block);
        }
      }
    }
    StringBuilder end = new StringBuilder(200).append("{\"type\":\"message_delta\",\"delta\":");
    end.append("{\"stop_reason\":\"").append(stopReason(plan.reply().finish()));
    end.append("\",\"stop_sequence\":null},\"usage\":");
    end.append(ApiJson.string(usage(plan.promptTokens(), outputTokens(), false, true))).append('}');
    event(out, "message_delta", end);
    frames.mark(false);
    event(out, "message_stop", "{\"type\":\"message_stop\"}");
    frames.markDone();
    return frames;
  }

  /** {@code content_block_start}, followed by a ping when it is the first block. */
  private static void blockStart(StringBuilder out, int index, String block) {
    event(
        out,
        "content_block_start",
        "{\"type\":\"content_block_start\",\"index\":"
            + index
            + ",\"content_block\":"
            + block
            + "}");
    if (index == 0) {
      event(out, "ping", "{\"type\": \"ping\"}");
    }
  }

  private static void blockStop(StringBuilder out, int index) {
    event(out, "content_block_stop", "{\"type\":\"content_block_stop\",\"index\":" + index + "}");
  }

  /** One {@code content_block_delta}; it ends a frame. */
  private static void delta(
      Frames frames, int index, String type, String field, String value, boolean paced) {
    StringBuilder data = new StringBuilder(64 + value.length());
    data.append("{\"type\":\"content_block_delta\",\"index\":").append(index);
    data.append(",\"delta\":{\"type\":\"").append(type).append("\",\"").append(field);
    data.append("\":");
    quote(data, value).append("}}");
    event(frames.builder(), "content_block_delta", data);
    frames.mark(paced);
  }

  private static void event(StringBuilder out, String type, CharSequence data) {
    out.append("event: ").append(type).append("\ndata: ").append(data).append("\n\n");
  }

  /**
   * Anthropic's usage: {@code message_start} and the body carry the cache breakdown and {@code
   * service_tier}, {@code message_delta} only the four counts; the final counts carry the thinking
   * tokens.
   */
  private ObjectNode usage(int input, int output, boolean full, boolean last) {
    ObjectNode usage = ApiJson.object();
    usage.put("input_tokens", input);
    usage.put("cache_creation_input_tokens", 0);
    usage.put("cache_read_input_tokens", 0);
    if (full) {
      ObjectNode creation = usage.putObject("cache_creation");
      creation.put("ephemeral_5m_input_tokens", 0);
      creation.put("ephemeral_1h_input_tokens", 0);
    }
    usage.put("output_tokens", output);
    if (full) {
      usage.put("service_tier", "standard");
    }
    if (thinking != null && last) {
      usage.putObject("output_tokens_details").put("thinking_tokens", thinkingTokens.size());
    }
    if (searched() && last) {
      usage.putObject("server_tool_use").put("web_search_requests", 1);
    }
    return usage;
  }

  /**
   * Whether the reply runs Anthropic's web search first: the tool was offered, the reply is text.
   */
  private boolean searched() {
    return prompt.webSearch() && plan.reply() instanceof Plan.Text;
  }

  private List<NativeSearch.Result> results() {
    return NativeSearch.results(NativeSearch.query(prompt));
  }

  /**
   * The {@code server_tool_use} block of the search (its input empty at a stream's block start).
   */
  private ObjectNode serverToolUse(boolean withInput) {
    ObjectNode block = ApiJson.object();
    block.put("type", "server_tool_use");
    block.put("id", "srvtoolu_" + id.substring(Math.max(0, id.length() - 20)));
    block.put("name", "web_search");
    ObjectNode input = block.putObject("input");
    if (withInput) {
      input.put("query", NativeSearch.query(prompt));
    }
    return block;
  }

  private ObjectNode searchResults() {
    ObjectNode block = ApiJson.object();
    block.put("type", "web_search_tool_result");
    block.put("tool_use_id", serverToolUse(false).get("id").asText());
    ArrayNode results = block.putArray("content");
    for (NativeSearch.Result r : results()) {
      ObjectNode result = results.addObject();
      result.put("type", "web_search_result");
      result.put("url", r.url());
      result.put("title", r.title());
      result.put("encrypted_content", "sim-encrypted");
      result.putNull("page_age");
    }
    return block;
  }

  private static ObjectNode citation(NativeSearch.Result r) {
    ObjectNode c = ApiJson.object();
    c.put("type", "web_search_result_location");
    c.put("url", r.url());
    c.put("title", r.title());
    c.put("encrypted_index", "sim-index");
    c.put("cited_text", r.snippet());
    return c;
  }

  @Override
  public String malformedJson() {
    return "{\"model\":\""
        + prompt.model()
        + "\",\"id\":\""
        + id
        + "\",\"type\":\"message\",\"content\":[{\"type\":\"text\",\"text\":\"Sim";
  }

  @Override
  public void appendMalformedFrame(StringBuilder out) {
    event(
        out,
        "content_block_delta",
        "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"Sim");
  }

  @Override
  public void appendErrorFrame(StringBuilder out, boolean namedEvent, String body) {
    String data = body == null ? AnthropicErrors.OVERLOADED_EVENT : body;
    if (namedEvent) {
      SseWriter.appendEvent(out, SseEvent.named("error", data));
    } else {
      SseWriter.appendData(out, data);
    }
  }

  @Override
  public String errorJson(String body) {
    return body == null ? AnthropicErrors.forStatus(529) : body;
  }

  private static JsonNode input(String arguments) {
    try {
      JsonNode node = ApiJson.tree(arguments);
      return node != null && node.isObject() ? node : ApiJson.object();
    } catch (IOException e) {
      return ApiJson.object(); // arguments cut by the token limit
    }
  }

  private static StringBuilder quote(StringBuilder out, String value) {
    out.append('"');
    JSON.quoteAsString(value, out);
    return out.append('"');
  }

  static String stopReason(Plan.Finish finish) {
    return switch (finish) {
      case STOP -> "end_turn";
      case LENGTH -> "max_tokens";
      case TOOL_CALLS -> "tool_use";
    };
  }
}
