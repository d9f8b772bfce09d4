package dev.switchboard.server.inbound;

import static dev.switchboard.server.inbound.MessagesFields.cacheControl;
import static dev.switchboard.server.inbound.MessagesFields.invalid;
import static dev.switchboard.server.inbound.MessagesFields.onlyKeys;
import static dev.switchboard.server.inbound.MessagesFields.optionalText;
import static dev.switchboard.server.inbound.MessagesFields.present;
import static dev.switchboard.server.inbound.MessagesFields.requiredText;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.api.json.ApiJson;
import dev.switchboard.core.model.ContentPart;
import dev.switchboard.core.model.Message;
import dev.switchboard.core.model.ToolCall;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;

/**
 * The turns of an Anthropic Messages body for {@link MessagesRequestReader}: {@code system} (a
 * string or text blocks) to a system message, each turn to canonical messages. A user turn's {@code
 * tool_result} blocks become tool messages (in order, before the turn's other blocks); an assistant
 * turn's {@code thinking} and {@code redacted_thinking} blocks become its {@code reasoning_details}
 * ({@link ThinkingBlocks}), its {@code tool_use} blocks its tool calls. Images and documents (PDF,
 * plain text) from base64 or a URL become image and file parts, and {@code cache_control} stays on
 * every block that carries it. Every key of every block has a meaning or is refused by name.
 */
final class MessagesTurnReader {

  private static final Set<String> IMAGE_TYPES =
      Set.of("image/jpeg", "image/png", "image/gif", "image/webp");

  private MessagesTurnReader() {}

  static void system(JsonNode system, List<Message> out) {
    if (!present(system)) {
      return;
    }
    if (system.isTextual()) {
      if (!system.textValue().isEmpty()) {
        out.add(new Message.System(List.of(ContentPart.Text.of(system.textValue())), null, false));
      }
      return;
    }
    if (!system.isArray()) {
      throw invalid("\"system\" must be a string or an array of text blocks");
    }
    List<ContentPart> parts = new ArrayList<>(system.size());
    for (int i = 0; i < system.size(); i++) {
      String path = "system[" + i + "]";
      JsonNode block = system.get(i);
      if (!"text".equals(optionalText(block, "type"))) {
        throw invalid("\"" + path + ".type\" must be \"text\"");
      }
      parts.add(text(block, path));
    }
    if (!parts.isEmpty()) {
      out.add(new Message.System(parts, null, false));
    }
  }

  static void turn(JsonNode turn, String path, List<Message> out) {
    if (turn == null || !turn.isObject()) {
      throw invalid("\"" + path + "\" must be an object {role, content}");
    }
    onlyKeys(turn, path, Set.of("role", "content"));
    String role = requiredText(turn, "role", path + ".role");
    JsonNode content = turn.get("content");
    if (content == null || content.isNull()) {
      throw invalid("\"" + path + ".content\" is required");
    }
    switch (role) {
      case "user" -> user(content, path, out);
      case "assistant" -> out.add(assistant(content, path));
      default -> throw invalid("\"" + path + ".role\" must be \"user\" or \"assistant\"");
    }
  }

  private static void user(JsonNode content, String path, List<Message> out) {
    if (content.isTextual()) {
      out.add(new Message.User(List.of(ContentPart.Text.of(content.textValue())), null));
      return;
    }
    List<ContentPart> parts = new ArrayList<>();
    for (int i = 0; i < blocks(content, path).size(); i++) {
      JsonNode block = content.get(i);
      String at = path + ".content[" + i + "]";
      String type = requiredText(block, "type", at + ".type");
      if (type.equals("tool_result")) {
        out.add(toolResult(block, at));
      } else {
        parts.add(part(block, type, at));
      }
    }
    if (!parts.isEmpty()) {
      out.add(new Message.User(parts, null));
    }
  }

  private static Message.Assistant assistant(JsonNode content, String path) {
    if (content.isTextual()) {
      return new Message.Assistant(
          List.of(ContentPart.Text.of(content.textValue())), null, null, null, null, null, null);
    }
    List<ContentPart> parts = new ArrayList<>();
    List<ToolCall> calls = new ArrayList<>();
    ThinkingBlocks.Reader thinking = new ThinkingBlocks.Reader();
    for (int i = 0; i < blocks(content, path).size(); i++) {
      JsonNode block = content.get(i);
      String at = path + ".content[" + i + "]";
      String type = requiredText(block, "type", at + ".type");
      switch (type) {
        case "text" -> parts.add(text(block, at));
        case "thinking" -> {
          onlyKeys(block, at, Set.of("type", "thinking", "signature"));
          thinking.thinking(
              requiredText(block, "thinking", at + ".thinking"), optionalText(block, "signature"));
        }
        case "redacted_thinking" -> {
          onlyKeys(block, at, Set.of("type", "data"));
          thinking.redacted(requiredText(block, "data", at + ".data"));
        }
        case "tool_use" -> {
          // No cache_control here: a canonical tool call cannot carry one, and it would be lost.
          onlyKeys(block, at, Set.of("type", "id", "name", "input"));
          JsonNode input = block.get("input");
          if (input == null || !input.isObject()) {
            throw invalid("\"" + at + ".input\" must be an object");
          }
          calls.add(
              new ToolCall(
                  requiredText(block, "id", at + ".id"),
                  requiredText(block, "name", at + ".name"),
                  ApiJson.string(input)));
        }
        default ->
            throw invalid(
                "\""
                    + at
                    + ".type\" \""
                    + type
                    + "\" is not supported in an assistant turn (text, thinking,"
                    + " redacted_thinking, tool_use)");
      }
    }
    return new Message.Assistant(
        parts, null, calls, null, thinking.text(), thinking.details(), null);
  }

  private static Message.Tool toolResult(JsonNode block, String path) {
    onlyKeys(block, path, Set.of("type", "tool_use_id", "content", "is_error", "cache_control"));
    String id = requiredText(block, "tool_use_id", path + ".tool_use_id");
    List<ContentPart> parts = new ArrayList<>();
    JsonNode content = block.get("content");
    if (present(content)) {
      if (content.isTextual()) {
        parts.add(ContentPart.Text.of(content.textValue()));
      } else if (content.isArray()) {
        for (int i = 0; i < content.size(); i++) {
          String at = path + ".content[" + i + "]";
          String type = requiredText(content.get(i), "type", at + ".type");
          if (!type.equals("text") && !type.equals("image") && !type.equals("document")) {
            throw invalid(
                "\"" + at + ".type\" must be text, image or document inside a tool_result");
          }
          parts.add(part(content.get(i), type, at));
        }
      } else {
        throw invalid("\"" + path + ".content\" must be a string or an array of blocks");
      }
    }
    JsonNode isError = block.get("is_error");
    if (present(isError) && !isError.isBoolean()) {
      throw invalid("\"" + path + ".is_error\" must be true or false");
    }
    JsonNode cache = block.get("cache_control");
    return new Message.Tool(
        id,
        parts,
        present(isError) ? isError.booleanValue() : null,
        present(cache) ? cacheControl(cache, path + ".cache_control") : null);
  }

  private static JsonNode blocks(JsonNode content, String path) {
    if (!content.isArray()) {
      throw invalid("\"" + path + ".content\" must be a string or an array of content blocks");
    }
    return content;
  }

  /** A user-side block: text, image or document. */
  private static ContentPart part(JsonNode block, String type, String path) {
    return switch (type) {
      case "text" -> text(block, path);
      case "image" -> image(block, path);
      case "document" -> document(block, path);
      default ->
          throw invalid(
              "\""
                  + path
                  + ".type\" \""
                  + type
                  + "\" is not supported in a user turn (text, image, document, tool_result)");
    };
  }

  private static ContentPart.Text text(JsonNode block, String path) {
    onlyKeys(block, path, Set.of("type", "text", "cache_control"));
    JsonNode text = block.get("text");
    if (text == null || !text.isTextual()) {
      throw invalid("\"" + path + ".text\" must be a string");
    }
    JsonNode cache = block.get("cache_control");
    return new ContentPart.Text(
        text.textValue(), present(cache) ? cacheControl(cache, path + ".cache_control") : null);
  }

  private static ContentPart.Image image(JsonNode block, String path) {
    onlyKeys(block, path, Set.of("type", "source", "cache_control"));
    JsonNode source = source(block, path);
    String type = requiredText(source, "type", path + ".source.type");
    String url =
        switch (type) {
          case "base64" -> {
            onlyKeys(source, path + ".source", Set.of("type", "media_type", "data"));
            String media = requiredText(source, "media_type", path + ".source.media_type");
            if (!IMAGE_TYPES.contains(media)) {
              throw invalid(
                  "\""
                      + path
                      + ".source.media_type\" must be image/jpeg, image/png, image/gif or"
                      + " image/webp");
            }
            yield "data:"
                + media
                + ";base64,"
                + requiredText(source, "data", path + ".source.data");
          }
          case "url" -> {
            onlyKeys(source, path + ".source", Set.of("type", "url"));
            yield httpUrl(requiredText(source, "url", path + ".source.url"), path + ".source.url");
          }
          default -> throw invalid("\"" + path + ".source.type\" must be \"base64\" or \"url\"");
        };
    JsonNode cache = block.get("cache_control");
    return new ContentPart.Image(
        url, null, present(cache) ? cacheControl(cache, path + ".cache_control") : null);
  }

  private static ContentPart.File document(JsonNode block, String path) {
    onlyKeys(block, path, Set.of("type", "source", "title", "cache_control"));
    JsonNode source = source(block, path);
    String type = requiredText(source, "type", path + ".source.type");
    String data =
        switch (type) {
          case "base64" -> {
            onlyKeys(source, path + ".source", Set.of("type", "media_type", "data"));
            String media = requiredText(source, "media_type", path + ".source.media_type");
            if (!media.equals("application/pdf")) {
              throw invalid("\"" + path + ".source.media_type\" must be application/pdf");
            }
            yield "data:application/pdf;base64,"
                + requiredText(source, "data", path + ".source.data");
          }
          case "text" -> {
            onlyKeys(source, path + ".source", Set.of("type", "media_type", "data"));
            String media = optionalText(source, "media_type");
            if (media != null && !media.equals("text/plain")) {
              throw invalid("\"" + path + ".source.media_type\" must be text/plain");
            }
            String text = requiredText(source, "data", path + ".source.data");
            yield "data:text/plain;base64,"
                + Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
          }
          case "url" -> {
            onlyKeys(source, path + ".source", Set.of("type", "url"));
            yield httpUrl(requiredText(source, "url", path + ".source.url"), path + ".source.url");
          }
          default ->
              throw invalid("\"" + path + ".source.type\" must be \"base64\", \"text\" or \"url\"");
        };
    JsonNode cache = block.get("cache_control");
    return new ContentPart.File(
        optionalText(block, "title"),
        data,
        null,
        present(cache) ? cacheControl(cache, path + ".cache_control") : null);
  }

  private static JsonNode source(JsonNode block, String path) {
    JsonNode source = block.get("source");
    if (source == null || !source.isObject()) {
      throw invalid("\"" + path + ".source\" must be an object");
    }
    return source;
  }

  private static String httpUrl(String url, String path) {
    if (!url.startsWith("https://") && !url.startsWith("http://")) {
      throw invalid("\"" + path + "\" must be an http(s) URL");
    }
    return url;
  }
}
