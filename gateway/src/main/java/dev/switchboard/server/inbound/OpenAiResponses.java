package dev.switchboard.server.inbound;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.api.error.ErrorBody;
import dev.switchboard.api.json.ApiJson;
import dev.switchboard.core.error.GatewayError;
import dev.switchboard.core.model.FinishReason;
import dev.switchboard.core.model.LlmRequest;
import dev.switchboard.core.model.LlmResponse;
import dev.switchboard.core.model.ToolCall;
import dev.switchboard.core.model.ToolChoice;
import dev.switchboard.core.model.ToolSpec;
import dev.switchboard.core.model.Usage;
import dev.switchboard.core.openai.OpenAiChatCodec;
import dev.switchboard.server.auth.Authenticator;
import dev.switchboard.server.metering.Cost;
import dev.switchboard.sse.SseWriter;
import java.util.function.Function;

/**
 * OpenAI's Responses API as OpenRouter serves it ({@code POST /responses}, stateless): a bearer
 * key; the body rewritten by {@link ResponsesRequest} into the chat body it stands for and read by
 * the one chat codec; answers as a {@code response} object whose {@code output} holds a {@code
 * reasoning} item, a {@code message} item and {@code function_call} items, in that order; streams
 * as {@code data:} events with OpenAI's {@code type}s and a {@code sequence_number} ({@link
 * ResponsesStream}), ended by {@code data: [DONE]} as OpenRouter does; errors in OpenRouter's
 * envelope. The response's {@code id} is the generation id, so {@code /generation} finds it.
 */
public final class OpenAiResponses implements InboundDialect {

  public static final OpenAiResponses INSTANCE = new OpenAiResponses();

  private static final byte[] PROCESSING = SseWriter.comment("OPENROUTER PROCESSING");

  private OpenAiResponses() {}

  @Override
  public String name() {
    return "openai-responses";
  }

  @Override
  public String credential(Function<String, String> headers) {
    return Authenticator.bearer(headers.apply("authorization"));
  }

  @Override
  public LlmRequest decode(byte[] body) {
    return OpenAiChatCodec.toCanonical(ApiJson.bytes(ResponsesRequest.toChat(body)));
  }

  @Override
  public byte[] encodeBody(
      LlmResponse answer, Stamp stamp, Usage usage, Cost cost, JsonNode routingMetadata) {
    ArrayNode output = ApiJson.mapper().createArrayNode();
    String suffix = suffix(stamp);
    if (stamp.includeReasoning()
        && (answer.reasoning() != null || hasDetails(answer.reasoningDetails()))) {
      output.add(reasoningItem(suffix, answer.reasoning(), answer.reasoningDetails()));
    }
    if (answer.content() != null || answer.refusal() != null) {
      output.add(
          messageItem(suffix, answer.content(), answer.refusal(), answer.annotations(), true));
    }
    for (int i = 0; i < answer.toolCalls().size(); i++) {
      ToolCall c = answer.toolCalls().get(i);
      output.add(functionCall(suffix, i, c.id(), c.name(), c.arguments(), true));
    }
    ObjectNode response = response(stamp, answer.finishReason(), output);
    response.set("usage", usage(usage, cost));
    if (routingMetadata != null) {
      response.set("openrouter_metadata", routingMetadata);
    }
    return ApiJson.bytes(response);
  }

  @Override
  public byte[] encodeError(GatewayError error, JsonNode routingMetadata) {
    return ErrorEnvelope.bytes(error, routingMetadata);
  }

  @Override
  public StreamEncoder newStreamEncoder(Stamp stamp) {
    return new ResponsesStream(stamp);
  }

  @Override
  public byte[] keepalive() {
    return PROCESSING;
  }

  // ---- the response object and its items, shared with the stream ----------------------------

  /** The id part our item ids share: the generation id without its {@code gen-} prefix. */
  static String suffix(Stamp stamp) {
    String id = stamp.generationId();
    return id.startsWith("gen-") ? id.substring(4) : id;
  }

  /**
   * The {@code response} object without usage: what was asked (echoed as OpenAI does), the status
   * the finish reason gives, and {@code output}.
   */
  static ObjectNode response(Stamp stamp, FinishReason finish, ArrayNode output) {
    ObjectNode r = ApiJson.object();
    r.put("id", stamp.generationId());
    r.put("object", "response");
    r.put("created_at", stamp.createdEpochSeconds());
    r.put("model", stamp.model());
    r.put("provider", stamp.providerName());
    String incomplete =
        finish == FinishReason.LENGTH
            ? "max_output_tokens"
            : finish == FinishReason.CONTENT_FILTER ? "content_filter" : null;
    r.put(
        "status", output == null ? "in_progress" : incomplete != null ? "incomplete" : "completed");
    r.putNull("error");
    if (incomplete != null && output != null) {
      r.putObject("incomplete_details").put("reason", incomplete);
    } else {
      r.putNull("incomplete_details");
    }
    echo(stamp.request(), r);
    r.set("output", output == null ? ApiJson.mapper().createArrayNode() : output);
    return r;
  }

  /** The request's settings, as the Responses API echoes them on every response object. */
  private static void echo(LlmRequest q, ObjectNode r) {
    r.putNull("instructions");
    r.put("store", false);
    r.put("background", false);
    if (q == null) {
      return;
    }
    putNumber(r, "max_output_tokens", q.sampling().maxTokens());
    r.set("metadata", q.metadata() == null ? ApiJson.object() : q.metadata());
    r.put("parallel_tool_calls", q.parallelToolCalls() == null || q.parallelToolCalls());
    if (q.sampling().temperature() == null) {
      r.putNull("temperature");
    } else {
      r.put("temperature", q.sampling().temperature());
    }
    if (q.sampling().topP() == null) {
      r.putNull("top_p");
    } else {
      r.put("top_p", q.sampling().topP());
    }
    ToolChoice choice = q.toolChoice();
    if (choice == null || choice.mode() == ToolChoice.Mode.AUTO) {
      r.put("tool_choice", "auto");
    } else if (choice.mode() == ToolChoice.Mode.FUNCTION) {
      r.putObject("tool_choice").put("type", "function").put("name", choice.functionName());
    } else {
      r.put("tool_choice", choice.mode().name().toLowerCase(java.util.Locale.ROOT));
    }
    ArrayNode tools = r.putArray("tools");
    for (ToolSpec t : q.tools()) {
      ObjectNode o = tools.addObject().put("type", "function").put("name", t.name());
      o.put("description", t.description());
      o.set("parameters", t.parameters());
      if (t.strict() != null) {
        o.put("strict", t.strict());
      }
    }
    ObjectNode format = r.putObject("text").putObject("format");
    if (q.responseFormat() == null) {
      format.put("type", "text");
    } else {
      format.put("type", q.responseFormat().type());
      if ("json_schema".equals(q.responseFormat().type())) {
        format.put("name", q.responseFormat().name());
        format.set("schema", q.responseFormat().schema());
        if (q.responseFormat().strict() != null) {
          format.put("strict", q.responseFormat().strict());
        }
      }
    }
    if (q.reasoning() != null) {
      ObjectNode reasoning = r.putObject("reasoning");
      reasoning.put("effort", q.reasoning().effort());
      reasoning.putNull("summary");
    }
  }

  static ObjectNode reasoningItem(String suffix, String text, JsonNode details) {
    ObjectNode item = ApiJson.object().put("type", "reasoning").put("id", "rs_" + suffix);
    ArrayNode summary = item.putArray("summary");
    if (text != null && !text.isEmpty()) {
      summary.addObject().put("type", "summary_text").put("text", text);
    }
    if (hasDetails(details)) {
      item.put("encrypted_content", ResponsesRequest.encrypted(details));
    }
    return item;
  }

  static ObjectNode messageItem(
      String suffix, String text, String refusal, JsonNode annotations, boolean done) {
    ObjectNode item = ApiJson.object().put("type", "message").put("id", "msg_" + suffix);
    item.put("status", done ? "completed" : "in_progress");
    item.put("role", "assistant");
    ArrayNode content = item.putArray("content");
    if (text != null) {
      content.add(textPart(text, annotations));
    }
    if (refusal != null) {
      content.addObject().put("type", "refusal").put("refusal", refusal);
    }
    return item;
  }

  static ObjectNode textPart(String text, JsonNode annotations) {
    ObjectNode part = ApiJson.object().put("type", "output_text").put("text", text);
    if (annotations != null && annotations.isArray()) {
      part.set("annotations", annotations);
    } else {
      part.putArray("annotations");
    }
    part.putArray("logprobs");
    return part;
  }

  static ObjectNode functionCall(
      String suffix, int index, String callId, String name, String arguments, boolean done) {
    ObjectNode item = ApiJson.object().put("type", "function_call");
    item.put("id", "fc_" + suffix + "_" + index);
    item.put("call_id", callId);
    item.put("name", name);
    item.put("arguments", arguments == null ? "" : arguments);
    item.put("status", done ? "completed" : "in_progress");
    return item;
  }

  /** The Responses API's usage, with OpenRouter's cost fields. */
  static ObjectNode usage(Usage u, Cost cost) {
    ObjectNode n = ApiJson.object();
    n.put("input_tokens", u.promptTokens());
    ObjectNode input = n.putObject("input_tokens_details").put("cached_tokens", u.cachedTokens());
    if (cost.cacheWritesPriced()) {
      input.put("cache_write_tokens", u.cacheWriteTokens()); // checklist 32
    }
    n.put("output_tokens", u.completionTokens());
    n.putObject("output_tokens_details").put("reasoning_tokens", u.reasoningTokens());
    n.put("total_tokens", u.totalTokens());
    n.put("cost", cost.total());
    n.put("is_byok", false);
    ObjectNode details = n.putObject("cost_details");
    details.putNull("upstream_inference_cost");
    details.put("upstream_inference_input_cost", cost.prompt());
    details.put("upstream_inference_output_cost", cost.completion());
    return n;
  }

  /** The failed response's {@code error}: OpenAI's code for the status, our message. */
  static ObjectNode failure(GatewayError e) {
    ErrorBody body = ErrorEnvelope.body(e);
    String code =
        switch (e.httpStatus()) {
          case 429 -> "rate_limit_exceeded";
          case 400, 413 -> "invalid_prompt";
          default -> "server_error";
        };
    ObjectNode error = ApiJson.object().put("code", code).put("message", body.message());
    error.set("metadata", ApiJson.toTree(body.metadata()));
    return error;
  }

  static boolean hasDetails(JsonNode details) {
    return details != null && details.isArray() && !details.isEmpty();
  }

  private static void putNumber(ObjectNode r, String field, Integer value) {
    if (value == null) {
      r.putNull(field);
    } else {
      r.put(field, value);
    }
  }
}
