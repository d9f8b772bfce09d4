package dev.switchboard.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.switchboard.api.chat.ChatMessage;
import dev.switchboard.api.chat.ChatRequest;
import dev.switchboard.api.chat.Tool;
import dev.switchboard.api.json.ApiJson;
import java.util.List;
import java.util.Map;

/**
 * Factories for chat requests, messages and tools. Messages and tools are the {@code api} module's
 * wire records, so anything built here can be mixed with records built by hand.
 *
 * <pre>{@code
 * ChatRequest request = Chat.request("fast")
 *     .system("Answer in one sentence.")
 *     .user("What is the capital of France?")
 *     .temperature(0.2)
 *     .build();
 * }</pre>
 */
public final class Chat {

  private Chat() {}

  /** An empty request builder. */
  public static ChatRequestBuilder request() {
    return new ChatRequestBuilder();
  }

  /** A request builder for {@code model} (a model id or an alias such as {@code "fast"}). */
  public static ChatRequestBuilder request(String model) {
    return new ChatRequestBuilder().model(model);
  }

  /** A builder that starts from an existing request. */
  public static ChatRequestBuilder request(ChatRequest request) {
    return new ChatRequestBuilder(request);
  }

  public static ChatMessage system(String text) {
    return message("system", ApiJson.nodes().textNode(text));
  }

  public static ChatMessage developer(String text) {
    return message("developer", ApiJson.nodes().textNode(text));
  }

  public static ChatMessage user(String text) {
    return message("user", ApiJson.nodes().textNode(text));
  }

  /** A user message made of parts: text, images, videos, files, audio. */
  public static ChatMessage user(ContentPart... parts) {
    return message("user", parts(List.of(parts)));
  }

  public static ChatMessage assistant(String text) {
    return message("assistant", ApiJson.nodes().textNode(text));
  }

  /** The answer to the tool call {@code toolCallId}. */
  public static ChatMessage toolResult(String toolCallId, String content) {
    return new ChatMessage(
        "tool",
        ApiJson.nodes().textNode(content),
        null,
        null,
        Checks.requireText(toolCallId, "toolCallId"),
        null,
        null,
        null,
        null,
        Map.of());
  }

  /** A function tool: {@code parameters} is a JSON Schema object. */
  public static Tool tool(String name, String description, JsonNode parameters) {
    Checks.requireArgument(
        name != null && name.matches("[A-Za-z0-9_-]{1,64}"),
        "tool name must be 1 to 64 characters of [A-Za-z0-9_-], was %s",
        name);
    return new Tool("function", new Tool.Function(name, description, parameters, null), null);
  }

  /** A function tool whose parameters are the components of the record {@code parameters}. */
  public static Tool tool(String name, String description, Class<?> parameters) {
    return tool(name, description, JsonSchemas.of(parameters));
  }

  static ArrayNode parts(List<ContentPart> parts) {
    ArrayNode array = ApiJson.nodes().arrayNode();
    for (ContentPart p : parts) {
      array.add(p.toJson());
    }
    return array;
  }

  private static ChatMessage message(String role, JsonNode content) {
    return new ChatMessage(role, content, null, null, null, null, null, null, null, Map.of());
  }
}
