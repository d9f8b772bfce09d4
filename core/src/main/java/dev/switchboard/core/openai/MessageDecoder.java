package dev.switchboard.core.openai;

import static dev.switchboard.core.openai.Checks.invalid;
import static dev.switchboard.core.openai.Checks.isNull;
import static dev.switchboard.core.openai.Checks.text;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.api.chat.ChatMessage;
import dev.switchboard.core.model.ContentPart;
import dev.switchboard.core.model.Message;
import dev.switchboard.core.model.ToolCall;
import java.util.ArrayList;
import java.util.List;

/** Client messages ({@link ChatMessage}) to canonical {@link Message}s, validating as it goes. */
final class MessageDecoder {

  private MessageDecoder() {}

  static List<Message> messages(List<ChatMessage> messages) {
    List<Message> out = new ArrayList<>(messages.size());
    for (int i = 0; i < messages.size(); i++) {
      out.add(message(messages.get(i), "messages[" + i + "]"));
    }
    return out;
  }

  static Message message(ChatMessage message, String path) {
    if (message == null) {
      throw invalid("\"" + path + "\" must be an object");
    }
    String role = message.role();
    if (role == null) {
      throw invalid("\"" + path + ".role\" is required");
    }
    return switch (role) {
      case "system", "developer" ->
          new Message.System(
              content(message.content(), path, false), message.name(), role.equals("developer"));
      case "user" -> new Message.User(content(message.content(), path, false), message.name());
      case "assistant" ->
          new Message.Assistant(
              content(message.content(), path, true),
              message.name(),
              toolCalls(message.toolCalls(), path),
              message.refusal(),
              message.reasoning() != null ? message.reasoning() : message.reasoningContent(),
              isNull(message.reasoningDetails()) ? null : message.reasoningDetails(),
              message.extra());
      case "tool" -> {
        if (message.toolCallId() == null || message.toolCallId().isEmpty()) {
          throw invalid("\"" + path + ".tool_call_id\" is required for role \"tool\"");
        }
        yield new Message.Tool(message.toolCallId(), content(message.content(), path, false));
      }
      default ->
          throw invalid(
              "\""
                  + path
                  + ".role\" must be one of \"system\", \"developer\", \"user\", \"assistant\","
                  + " \"tool\"");
    };
  }

  private static List<ToolCall> toolCalls(
      List<dev.switchboard.api.chat.ToolCall> calls, String path) {
    if (calls == null || calls.isEmpty()) {
      return List.of();
    }
    List<ToolCall> out = new ArrayList<>(calls.size());
    for (int i = 0; i < calls.size(); i++) {
      dev.switchboard.api.chat.ToolCall call = calls.get(i);
      String at = path + ".tool_calls[" + i + "]";
      if (call == null || call.function() == null || call.function().name() == null) {
        throw invalid("\"" + at + ".function.name\" is required");
      }
      if (call.id() == null || call.id().isEmpty()) {
        throw invalid("\"" + at + ".id\" is required");
      }
      String arguments = call.function().arguments();
      out.add(new ToolCall(call.id(), call.function().name(), arguments == null ? "" : arguments));
    }
    return out;
  }

  /** A string becomes one text part; an array becomes typed parts; null only where allowed. */
  static List<ContentPart> content(JsonNode content, String path, boolean nullable) {
    if (isNull(content)) {
      if (nullable) {
        return List.of();
      }
      throw invalid("\"" + path + ".content\" is required");
    }
    if (content.isTextual()) {
      return List.of(ContentPart.Text.of(content.textValue()));
    }
    if (!content.isArray()) {
      throw invalid("\"" + path + ".content\" must be a string or an array of content parts");
    }
    List<ContentPart> parts = new ArrayList<>(content.size());
    for (int i = 0; i < content.size(); i++) {
      parts.add(part(content.get(i), path + ".content[" + i + "]"));
    }
    return parts;
  }

  private static ContentPart part(JsonNode part, String path) {
    if (!part.isObject() || !part.path("type").isTextual()) {
      throw invalid("\"" + path + "\" must be an object with a string \"type\"");
    }
    return switch (part.get("type").textValue()) {
      case "text" -> {
        JsonNode text = part.get("text");
        if (text == null || !text.isTextual()) {
          throw invalid("\"" + path + ".text\" must be a string");
        }
        JsonNode cache = part.get("cache_control");
        yield new ContentPart.Text(text.textValue(), isNull(cache) ? null : cache);
      }
      case "image_url" -> {
        JsonNode image = part.get("image_url");
        if (image != null && image.isTextual()) {
          yield new ContentPart.Image(image.textValue(), null);
        }
        String url = image == null ? null : text(image, "url");
        if (url == null) {
          throw invalid("\"" + path + ".image_url.url\" is required");
        }
        yield new ContentPart.Image(url, text(image, "detail"));
      }
      case "input_audio" -> {
        JsonNode audio = part.path("input_audio");
        String data = text(audio, "data");
        String format = text(audio, "format");
        if (data == null || format == null) {
          throw invalid("\"" + path + ".input_audio\" needs string \"data\" and \"format\"");
        }
        yield new ContentPart.Audio(data, format);
      }
      case "video_url", "input_video" -> {
        String url = text(part.path("video_url"), "url");
        if (url == null) {
          throw invalid("\"" + path + ".video_url.url\" is required");
        }
        yield new ContentPart.Video(url);
      }
      case "file" -> {
        JsonNode file = part.path("file");
        String data = text(file, "file_data");
        String id = text(file, "file_id");
        if (data == null && id == null) {
          throw invalid("\"" + path + ".file\" needs \"file_data\" or \"file_id\"");
        }
        yield new ContentPart.File(text(file, "filename"), data, id);
      }
      default -> new ContentPart.Unknown(part);
    };
  }
}
