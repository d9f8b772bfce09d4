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
import dev.switchboard.core.model.Usage;
import dev.switchboard.server.metering.Cost;
import java.io.IOException;
import java.util.Set;

/**
 * Anthropic's response side of {@code /messages}, written from canonical values: the {@code
 * message} object, its {@code usage}, stop reasons and the error envelope. Shared by the whole
 * answer and the stream ({@link MessagesStream}).
 */
final class MessagesWire {

  /** Anthropic's own stop reasons: an Anthropic upstream's native reason is passed on as is. */
  private static final Set<String> STOP_REASONS =
      Set.of(
          "end_turn",
          "max_tokens",
          "stop_sequence",
          "tool_use",
          "pause_turn",
          "refusal",
          "model_context_window_exceeded");

  private MessagesWire() {}

  /** A whole answer as an Anthropic {@code message}. */
  static ObjectNode message(
      LlmResponse answer, Stamp stamp, Usage usage, Cost cost, JsonNode routingMetadata) {
    ObjectNode message = head(stamp);
    ArrayNode content = message.putArray("content");
    if (stamp.includeReasoning()) {
      for (ThinkingBlocks.Block block :
          ThinkingBlocks.blocks(answer.reasoning(), answer.reasoningDetails())) {
        content.add(block.json());
      }
    }
    String text = answer.content();
    if (answer.refusal() != null && !answer.refusal().isEmpty()) {
      text = text == null ? answer.refusal() : text + answer.refusal();
    }
    if (text != null && !text.isEmpty()) {
      content.addObject().put("type", "text").put("text", text);
    }
    for (ToolCall call : answer.toolCalls()) {
      ObjectNode use = content.addObject();
      use.put("type", "tool_use");
      use.put("id", call.id());
      use.put("name", call.name());
      use.set("input", input(call.arguments()));
    }
    String matched = stopSequence(answer.stopSequence(), stamp);
    message.put(
        "stop_reason",
        stopReason(
            answer.finishReason(),
            answer.nativeFinishReason(),
            !answer.toolCalls().isEmpty(),
            matched));
    message.put("stop_sequence", matched);
    message.set("usage", usage(usage, cost));
    if (routingMetadata != null) {
      message.set("openrouter_metadata", routingMetadata);
    }
    return message;
  }

  /** The members every {@code message} starts with, content left to the caller. */
  static ObjectNode head(Stamp stamp) {
    ObjectNode message = ApiJson.object();
    message.put("id", stamp.generationId());
    message.put("type", "message");
    message.put("role", "assistant");
    message.put("model", stamp.model());
    message.put("provider", stamp.providerName());
    return message;
  }

  /**
   * Anthropic's {@code usage}: {@code input_tokens} without the cache reads and writes (counted
   * apart, as Anthropic does), the output tokens, and the gateway's cost in USD.
   */
  static ObjectNode usage(Usage usage, Cost cost) {
    ObjectNode out = ApiJson.object();
    long uncached =
        Math.max(0, usage.promptTokens() - usage.cachedTokens() - usage.cacheWriteTokens());
    out.put("input_tokens", uncached);
    out.put("output_tokens", usage.completionTokens());
    out.put("cache_creation_input_tokens", usage.cacheWriteTokens());
    out.put("cache_read_input_tokens", usage.cachedTokens());
    if (cost != null) {
      out.put("cost", cost.total());
    }
    return out;
  }

  /**
   * The stop string to report as {@code stop_sequence}: the one the upstream named, when it is one
   * of the request's {@code stop_sequences}; null otherwise (and whenever the upstream does not say
   * which one matched: OpenAI's API and Gemini's report a plain stop).
   */
  static String stopSequence(String named, Stamp stamp) {
    if (named == null) {
      return null;
    }
    LlmRequest request = stamp.request();
    if (request == null || request.sampling() == null || request.sampling().stop() == null) {
      return null;
    }
    return request.sampling().stop().contains(named) ? named : null;
  }

  /**
   * The stop reason: {@code stop_sequence} when a stop string of the request ended the answer
   * ({@code matched}, see {@link #stopSequence}), else an Anthropic upstream's own (except {@code
   * tool_use} that was the gateway's structured-output tool), else the canonical reason in
   * Anthropic's words.
   */
  static String stopReason(
      FinishReason reason, String nativeReason, boolean toolCalls, String matched) {
    if (matched != null && !toolCalls && (reason == null || reason == FinishReason.STOP)) {
      return "stop_sequence";
    }
    if (nativeReason != null
        && STOP_REASONS.contains(nativeReason)
        && (!nativeReason.equals("tool_use") || toolCalls)) {
      return nativeReason;
    }
    if (reason == null) {
      return toolCalls ? "tool_use" : "end_turn";
    }
    return switch (reason) {
      case LENGTH -> "max_tokens";
      case TOOL_CALLS -> "tool_use";
      case CONTENT_FILTER -> "refusal";
      case STOP, ERROR -> toolCalls ? "tool_use" : "end_turn";
    };
  }

  /** A tool call's arguments as the {@code input} object; what is not an object is kept raw. */
  static JsonNode input(String arguments) {
    if (arguments == null || arguments.isBlank()) {
      return ApiJson.object();
    }
    try {
      JsonNode node = ApiJson.tree(arguments);
      if (node != null && node.isObject()) {
        return node;
      }
    } catch (IOException e) {
      // below
    }
    ObjectNode raw = ApiJson.object();
    raw.put("_raw_arguments", arguments);
    return raw;
  }

  /**
   * The error envelope {@code {"type":"error","error":{"type","message","error_type"}}}:
   * Anthropic's error type for the status, OpenRouter's canonical type beside it, and the
   * provider's details (name, raw body) when an upstream failed.
   */
  static ObjectNode error(GatewayError error, JsonNode routingMetadata) {
    ErrorBody body = ErrorEnvelope.body(error);
    ObjectNode envelope = ApiJson.object();
    envelope.put("type", "error");
    ObjectNode inner = envelope.putObject("error");
    inner.put("type", errorType(error.httpStatus()));
    inner.put("message", body.message());
    Object canonical = body.metadata() == null ? null : body.metadata().get("error_type");
    inner.put("error_type", canonical == null ? null : canonical.toString());
    if (body.metadata() != null && body.metadata().get("provider_name") != null) {
      inner.set("metadata", ApiJson.toTree(body.metadata()));
    }
    envelope.putNull("request_id");
    if (routingMetadata != null) {
      envelope.set("openrouter_metadata", routingMetadata);
    }
    return envelope;
  }

  /** Anthropic's error {@code type} for an HTTP status. */
  static String errorType(int status) {
    return switch (status) {
      case 400, 415, 422 -> "invalid_request_error";
      case 401 -> "authentication_error";
      case 402 -> "billing_error";
      case 403 -> "permission_error";
      case 404 -> "not_found_error";
      case 408, 504 -> "timeout_error";
      case 413 -> "request_too_large";
      case 429 -> "rate_limit_error";
      case 503, 529 -> "overloaded_error";
      default -> status >= 500 ? "api_error" : "invalid_request_error";
    };
  }
}
