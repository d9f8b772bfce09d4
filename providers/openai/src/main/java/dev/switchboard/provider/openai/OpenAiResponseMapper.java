package dev.switchboard.provider.openai;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.api.json.ApiJson;
import dev.switchboard.core.error.GatewayException;
import dev.switchboard.core.error.UpstreamBodies;
import dev.switchboard.core.model.FinishReason;
import dev.switchboard.core.model.LlmResponse;
import dev.switchboard.core.model.ToolCall;
import dev.switchboard.core.provider.Target;
import dev.switchboard.core.provider.UpstreamResponse;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * An upstream {@code chat.completion} to {@link LlmResponse}. Only the first choice is kept (an
 * {@code n} above one still answers with one choice, checklist 16). Reasoning is read from
 * OpenRouter's {@code reasoning}/{@code reasoning_details} and from DeepSeek-style {@code
 * reasoning_content}.
 */
final class OpenAiResponseMapper {

  private OpenAiResponseMapper() {}

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
    JsonNode error = root.get("error");
    if (error != null && !error.isNull()) {
      throw OpenAiErrors.classify(response, target).toException();
    }
    JsonNode choice = firstChoice(root.path("choices"));
    if (choice == null) {
      throw UpstreamBodies.badResponse(target.providerName(), response.bodyText()).toException();
    }
    JsonNode message = choice.path("message");
    String finish = UpstreamBodies.text(choice, "finish_reason");
    String nativeFinish = UpstreamBodies.text(choice, "native_finish_reason");
    String reasoning = UpstreamBodies.text(message, "reasoning");
    if (reasoning == null) {
      reasoning = UpstreamBodies.text(message, "reasoning_content");
    }
    return new LlmResponse(
        UpstreamBodies.text(root, "id"),
        UpstreamBodies.text(root, "model"),
        content(message.get("content")),
        UpstreamBodies.text(message, "refusal"),
        reasoning,
        nonEmptyArray(message.get("reasoning_details")),
        toolCalls(message.get("tool_calls")),
        FinishReason.fromOpenAi(finish),
        nativeFinish != null ? nativeFinish : finish,
        OpenAiUsage.parse(root.get("usage")),
        present(choice.get("logprobs")),
        UpstreamBodies.text(root, "system_fingerprint"),
        UpstreamBodies.text(root, "service_tier"),
        nonEmptyArray(message.get("annotations")),
        "error".equals(finish) ? choiceError(choice.get("error"), target) : null);
  }

  /**
   * The error of a choice that failed after part of its output (an OpenRouter-style upstream,
   * checklist 35): {@code {code (int), message, metadata{provider_name, error_type, …}}}; a {@code
   * finish_reason: "error"} without one gets a generic 502.
   */
  static JsonNode choiceError(JsonNode error, Target target) {
    var out = ApiJson.object();
    int code =
        error != null && error.path("code").canConvertToInt() ? error.get("code").asInt() : 502;
    out.put("code", code);
    String message = error == null ? null : UpstreamBodies.text(error, "message");
    out.put("message", message != null ? message : "Provider returned error");
    var metadata = out.putObject("metadata");
    if (error != null && error.path("metadata").isObject()) {
      metadata.setAll((com.fasterxml.jackson.databind.node.ObjectNode) error.get("metadata"));
    }
    metadata.put("provider_name", target.providerName());
    if (!metadata.has("error_type")) {
      metadata.put("error_type", code == 429 ? "rate_limit_exceeded" : "provider_unavailable");
    }
    return out;
  }

  /** The choice with {@code index} 0, else the first one; null when there is none. */
  static JsonNode firstChoice(JsonNode choices) {
    if (!choices.isArray() || choices.isEmpty()) {
      return null;
    }
    for (JsonNode choice : choices) {
      if (choice.path("index").asInt(0) == 0) {
        return choice;
      }
    }
    return choices.get(0);
  }

  /** A string, or an array of parts whose text is joined (some vendors answer with parts). */
  private static String content(JsonNode content) {
    if (content == null || content.isNull()) {
      return null;
    }
    if (content.isTextual()) {
      return content.textValue();
    }
    if (content.isArray()) {
      StringBuilder text = new StringBuilder();
      for (JsonNode part : content) {
        JsonNode value = part.isTextual() ? part : part.get("text");
        if (value != null && value.isTextual()) {
          text.append(value.textValue());
        }
      }
      return text.toString();
    }
    return content.asText();
  }

  static List<ToolCall> toolCalls(JsonNode calls) {
    if (calls == null || !calls.isArray() || calls.isEmpty()) {
      return List.of();
    }
    List<ToolCall> out = new ArrayList<>(calls.size());
    for (JsonNode call : calls) {
      JsonNode function = call.path("function");
      out.add(
          new ToolCall(
              UpstreamBodies.text(call, "id"),
              UpstreamBodies.text(function, "name"),
              arguments(function.get("arguments"))));
    }
    return out;
  }

  /** Arguments are a JSON string; a vendor that sends an object gets it serialized. */
  static String arguments(JsonNode arguments) {
    if (arguments == null || arguments.isNull()) {
      return null;
    }
    return arguments.isTextual() ? arguments.textValue() : ApiJson.string(arguments);
  }

  private static JsonNode nonEmptyArray(JsonNode node) {
    return node != null && node.isArray() && !node.isEmpty() ? node : null;
  }

  private static JsonNode present(JsonNode node) {
    return node == null || node.isNull() || node.isMissingNode() ? null : node;
  }
}
