package dev.switchboard.provider.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.api.json.ApiJson;
import dev.switchboard.core.error.GatewayException;
import dev.switchboard.core.model.ContentPart;
import dev.switchboard.core.model.Message;
import dev.switchboard.core.model.ToolCall;
import dev.switchboard.provider.gemini.GeminiWire.Content;
import dev.switchboard.provider.gemini.GeminiWire.FunctionCall;
import dev.switchboard.provider.gemini.GeminiWire.FunctionResponse;
import dev.switchboard.provider.gemini.GeminiWire.Part;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The conversation in Gemini's terms:
 *
 * <ul>
 *   <li>system (and developer) messages, wherever they are, are hoisted, in order, into {@code
 *       systemInstruction}; they may only carry text;
 *   <li>user turns are {@code user}, assistant turns {@code model}; a {@code name} is folded into
 *       the text as {@code "name: text"};
 *   <li>assistant tool calls become {@code functionCall} parts with their arguments as an object;
 *       the Gemini thought signatures of the turn's {@code reasoning_details} go back on the parts
 *       they came with (a tool call's by its id, a text part's on the first text part). On Gemini 3
 *       a turn whose first call has no signature gets Google's documented {@link
 *       GeminiReasoning#SKIP_VALIDATOR} (a client that dropped {@code reasoning_details}); thought
 *       text is not sent back;
 *   <li>tool results become {@code functionResponse} parts of a {@code user} turn, named after the
 *       function of the earlier call with that id; a JSON object result is the response as is, any
 *       other content {@code {"output": "<text>"}}; consecutive results share one turn, as Gemini
 *       wants one response per call of the previous turn;
 *   <li>adjacent turns of the same role are merged; empty text parts are dropped.
 * </ul>
 */
final class GeminiMessageWriter {

  /** The system instruction (or null) and the contents. */
  record Conversation(Content systemInstruction, List<Content> contents) {}

  private GeminiMessageWriter() {}

  static Conversation write(List<Message> messages, GeminiModels model) {
    List<Part> system = new ArrayList<>();
    List<Content> contents = new ArrayList<>(messages.size());
    Map<String, String> callNames = new HashMap<>();
    for (int i = 0; i < messages.size(); i++) {
      Message message = messages.get(i);
      String path = "messages[" + i + "]";
      switch (message) {
        case Message.System s -> {
          for (ContentPart part : s.content()) {
            if (!(part instanceof ContentPart.Text t)) {
              throw GatewayException.invalid(
                  "\"" + path + "\": system messages can only carry text for Gemini");
            }
            if (!t.text().isEmpty()) {
              system.add(Part.text(t.text()));
            }
          }
        }
        case Message.User u -> add(contents, "user", userParts(u.content(), u.name(), path));
        case Message.Assistant a -> add(contents, "model", modelParts(a, model, callNames, path));
        case Message.Tool t -> add(contents, "user", toolResult(t, callNames, path));
      }
    }
    return new Conversation(system.isEmpty() ? null : new Content(null, system), contents);
  }

  private static List<Part> userParts(List<ContentPart> content, String name, String path) {
    List<Part> parts = new ArrayList<>(content.size());
    boolean named = name == null || name.isEmpty();
    for (int i = 0; i < content.size(); i++) {
      ContentPart part = content.get(i);
      if (part instanceof ContentPart.Text t && !named) {
        named = true;
        parts.add(Part.text(name + ": " + t.text()));
        continue;
      }
      Part mapped = part(part, path + ".content[" + i + "]");
      if (mapped != null) {
        parts.add(mapped);
      }
    }
    return parts;
  }

  private static Part part(ContentPart part, String path) {
    return switch (part) {
      case ContentPart.Text t -> t.text().isEmpty() ? null : Part.text(t.text());
      case ContentPart.Image image -> GeminiMedia.image(image);
      case ContentPart.File file -> GeminiMedia.file(file);
      case ContentPart.Audio audio -> GeminiMedia.audio(audio);
      case ContentPart.Video video -> GeminiMedia.video(video);
      case ContentPart.Unknown unknown ->
          throw GatewayException.invalid(
              "\""
                  + path
                  + "\": content part type \""
                  + unknown.raw().path("type").asText()
                  + "\" is not supported by Gemini");
    };
  }

  private static List<Part> modelParts(
      Message.Assistant message, GeminiModels model, Map<String, String> callNames, String path) {
    Map<String, String> signatures = GeminiReasoning.signatures(message.reasoningDetails());
    List<Part> parts = userParts(message.content(), message.name(), path);
    String textSignature = signatures.get(null);
    if (textSignature != null) {
      for (int i = 0; i < parts.size(); i++) {
        if (parts.get(i).text() != null) {
          parts.set(i, parts.get(i).withSignature(textSignature));
          textSignature = null;
          break;
        }
      }
    }
    List<ToolCall> calls = message.toolCalls();
    for (int i = 0; i < calls.size(); i++) {
      ToolCall call = calls.get(i);
      callNames.put(call.id(), call.name());
      String signature = signatures.get(call.id());
      if (signature == null && i == 0) {
        // A text-part signature with no text to carry it rides on the first call; on Gemini 3 a
        // first call without any signature gets the documented placeholder.
        signature =
            textSignature != null
                ? textSignature
                : model.thinksByLevel() ? GeminiReasoning.SKIP_VALIDATOR : null;
      }
      parts.add(
          Part.call(
              new FunctionCall(
                  null, call.name(), arguments(call, path + ".tool_calls[" + i + "]"), null, null),
              signature));
    }
    return parts;
  }

  private static JsonNode arguments(ToolCall call, String path) {
    String text = call.arguments();
    if (text == null || text.isBlank()) {
      return ApiJson.object();
    }
    try {
      JsonNode args = ApiJson.tree(text);
      if (args != null && args.isObject()) {
        return args;
      }
    } catch (IOException e) {
      // reported below
    }
    throw GatewayException.invalid(
        "\"" + path + ".function.arguments\" must be a JSON object for Gemini");
  }

  private static List<Part> toolResult(
      Message.Tool message, Map<String, String> callNames, String path) {
    String name = callNames.get(message.toolCallId());
    if (name == null) {
      throw GatewayException.invalid(
          "\""
              + path
              + ".tool_call_id\" \""
              + message.toolCallId()
              + "\" matches no tool call of an earlier assistant message; Gemini needs the"
              + " function's name");
    }
    StringBuilder text = new StringBuilder();
    List<Part> media = new ArrayList<>();
    for (int i = 0; i < message.content().size(); i++) {
      ContentPart part = message.content().get(i);
      if (part instanceof ContentPart.Text t) {
        text.append(t.text());
      } else {
        Part mapped = part(part, path + ".content[" + i + "]");
        if (mapped != null) {
          media.add(mapped);
        }
      }
    }
    List<Part> parts = new ArrayList<>(1 + media.size());
    parts.add(Part.response(new FunctionResponse(null, name, response(text.toString()))));
    parts.addAll(media);
    return parts;
  }

  private static JsonNode response(String text) {
    String trimmed = text.trim();
    if (trimmed.startsWith("{")) {
      try {
        JsonNode parsed = ApiJson.tree(trimmed);
        if (parsed != null && parsed.isObject()) {
          return parsed;
        }
      } catch (IOException e) {
        // not JSON: sent as text
      }
    }
    ObjectNode out = ApiJson.object();
    out.put("output", text);
    return out;
  }

  private static void add(List<Content> contents, String role, List<Part> parts) {
    if (parts.isEmpty()) {
      return;
    }
    if (!contents.isEmpty() && role.equals(contents.getLast().role())) {
      List<Part> merged = new ArrayList<>(contents.getLast().parts());
      merged.addAll(parts);
      contents.set(contents.size() - 1, new Content(role, merged));
      return;
    }
    contents.add(new Content(role, parts));
  }
}
