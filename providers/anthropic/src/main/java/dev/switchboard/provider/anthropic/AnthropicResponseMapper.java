package dev.switchboard.provider.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.api.json.ApiJson;
import dev.switchboard.core.error.GatewayException;
import dev.switchboard.core.error.UpstreamBodies;
import dev.switchboard.core.model.FinishReason;
import dev.switchboard.core.model.LlmResponse;
import dev.switchboard.core.model.ToolCall;
import dev.switchboard.core.model.Usage;
import dev.switchboard.core.provider.Target;
import dev.switchboard.core.provider.UpstreamResponse;
import dev.switchboard.provider.anthropic.AnthropicWire.Content;
import dev.switchboard.provider.anthropic.AnthropicWire.MessagesResponse;
import dev.switchboard.provider.anthropic.AnthropicWire.WireUsage;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * An Anthropic {@code message} to {@link LlmResponse}: text blocks joined into the content,
 * thinking into {@code reasoning} plus {@code reasoning_details} ({@code reasoning.text} with its
 * signature, {@code reasoning.encrypted} for redacted thinking, format {@code
 * anthropic-claude-v1}), client {@code tool_use} blocks into tool calls, the structured-output
 * tool's input into the content. Server tool blocks are not shown.
 */
final class AnthropicResponseMapper {

  private AnthropicResponseMapper() {}

  static LlmResponse map(UpstreamResponse response, Target target) {
    JsonNode root;
    try {
      root = ApiJson.tree(response.body());
    } catch (IOException e) {
      throw new GatewayException(
          UpstreamBodies.badResponse(target.providerName(), response.bodyText()), e);
    }
    if (root == null || !root.isObject()) {
      throw UpstreamBodies.badResponse(target.providerName(), response.bodyText()).toException();
    }
    if ("error".equals(AnthropicWire.text(root, "type")) || root.get("error") != null) {
      throw AnthropicErrors.classify(response, target).toException();
    }
    if (!root.has("content")) {
      throw UpstreamBodies.badResponse(target.providerName(), response.bodyText()).toException();
    }
    return map(MessagesResponse.parse(root));
  }

  static LlmResponse map(MessagesResponse message) {
    StringBuilder text = new StringBuilder();
    StringBuilder reasoning = new StringBuilder();
    ArrayNode details = ApiJson.nodes().arrayNode();
    List<ToolCall> calls = new ArrayList<>();
    ArrayNode annotations = ApiJson.nodes().arrayNode();
    boolean hasText = false;
    for (Content block : message.content()) {
      switch (block) {
        case Content.Text t -> {
          citations(t.citations(), text.length(), text.length() + t.text().length(), annotations);
          text.append(t.text());
          hasText = true;
        }
        case Content.Thinking t -> {
          reasoning.append(t.thinking());
          details.add(textDetail(t.thinking(), t.signature(), details.size()));
        }
        case Content.RedactedThinking r -> details.add(encryptedDetail(r.data(), details.size()));
        case Content.ToolUse call -> {
          String arguments = call.input() == null ? "{}" : ApiJson.string(call.input());
          if (AnthropicRequestMapper.JSON_TOOL.equals(call.name())) {
            text.append(arguments);
            hasText = true;
          } else {
            calls.add(new ToolCall(call.id(), call.name(), arguments));
          }
        }
        case Content.Other other -> {}
      }
    }
    return new LlmResponse(
        message.id(),
        message.model(),
        hasText ? text.toString() : null,
        null,
        reasoning.isEmpty() ? null : reasoning.toString(),
        details.isEmpty() ? null : details,
        calls,
        finishReason(message.stopReason(), !calls.isEmpty()),
        message.stopReason(),
        usage(message.usage()),
        null,
        null,
        null,
        annotations.isEmpty() ? null : annotations);
  }

  /**
   * The web search results a text block cites ({@code web_search_result_location}s), as
   * OpenRouter's {@code url_citation} annotations spanning that block ({@code start}, {@code end}
   * in the answer's text), added to {@code out}.
   */
  static void citations(JsonNode citations, int start, int end, ArrayNode out) {
    if (citations == null || !citations.isArray()) {
      return;
    }
    for (JsonNode c : citations) {
      if (!c.path("url").isTextual()) {
        continue;
      }
      var a = out.addObject().put("type", "url_citation").putObject("url_citation");
      a.put("url", c.get("url").asText());
      if (c.path("title").isTextual()) {
        a.put("title", c.get("title").asText());
      }
      if (c.path("cited_text").isTextual()) {
        a.put("content", c.get("cited_text").asText());
      }
      a.put("start_index", start);
      a.put("end_index", end);
    }
  }

  /**
   * Anthropic's stop reason to the canonical one. {@code tool_use} without a client tool call (the
   * structured-output tool) is a normal stop.
   */
  static FinishReason finishReason(String stopReason, boolean clientToolCalls) {
    if (stopReason == null) {
      return null;
    }
    return switch (stopReason) {
      case "max_tokens", "model_context_window_exceeded" -> FinishReason.LENGTH;
      case "tool_use" -> clientToolCalls ? FinishReason.TOOL_CALLS : FinishReason.STOP;
      case "refusal" -> FinishReason.CONTENT_FILTER;
      default -> FinishReason.STOP; // end_turn, stop_sequence, pause_turn, future reasons
    };
  }

  /**
   * Canonical usage: prompt tokens are {@code input_tokens} plus cache reads and writes (Anthropic
   * counts those apart); reasoning tokens come from {@code output_tokens_details.thinking_tokens}
   * when Anthropic reports them (they are part of {@code output_tokens}); the web searches its own
   * search tool ran ({@code server_tool_use.web_search_requests}) as the server-tool counts.
   */
  static Usage usage(WireUsage usage) {
    if (usage == null) {
      return Usage.ZERO;
    }
    long read = value(usage.cacheReadInputTokens());
    long write = value(usage.cacheCreationInputTokens());
    return new Usage(
            value(usage.inputTokens()) + read + write,
            value(usage.outputTokens()),
            value(usage.thinkingTokens()),
            read,
            write,
            false)
        .withServerTools(
            value(usage.webSearchRequests()) == 0
                ? null
                : new Usage.ServerToolUse(0, 0, (int) value(usage.webSearchRequests())));
  }

  static ObjectNode textDetail(String text, String signature, int index) {
    ObjectNode detail = ApiJson.object();
    detail.put("type", "reasoning.text");
    if (text != null) {
      detail.put("text", text);
    }
    if (signature != null && !signature.isEmpty()) {
      detail.put("signature", signature);
    }
    detail.put("format", AnthropicMessages.REASONING_FORMAT);
    detail.put("index", index);
    return detail;
  }

  static ObjectNode encryptedDetail(String data, int index) {
    ObjectNode detail = ApiJson.object();
    detail.put("type", "reasoning.encrypted");
    detail.put("data", data);
    detail.put("format", AnthropicMessages.REASONING_FORMAT);
    detail.put("index", index);
    return detail;
  }

  private static long value(Long n) {
    return n == null ? 0 : n;
  }
}
