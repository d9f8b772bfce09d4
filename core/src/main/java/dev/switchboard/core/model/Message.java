package dev.switchboard.core.model;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;

/** A message of the conversation, by role. Content is always a list of parts. */
public sealed interface Message {

  List<ContentPart> content();

  /** A system prompt; {@code developer} marks OpenAI's {@code developer} role. */
  record System(List<ContentPart> content, String name, boolean developer) implements Message {
    public System {
      content = List.copyOf(content);
    }
  }

  /** A user turn. */
  record User(List<ContentPart> content, String name) implements Message {
    public User {
      content = List.copyOf(content);
    }
  }

  /**
   * An assistant turn, possibly with tool calls and the reasoning that came with it. {@code
   * reasoningDetails} is kept as it came back from us ({@code reasoning_details}), so a later turn
   * can return signatures unchanged.
   */
  record Assistant(
      List<ContentPart> content,
      String name,
      List<ToolCall> toolCalls,
      String refusal,
      String reasoning,
      JsonNode reasoningDetails,
      Map<String, JsonNode> extra)
      implements Message {
    public Assistant {
      content = List.copyOf(content);
      toolCalls = toolCalls == null ? List.of() : List.copyOf(toolCalls);
      extra = extra == null ? Map.of() : Map.copyOf(extra);
    }
  }

  /**
   * The result of a tool call. {@code isError} (Anthropic's {@code is_error}) says the tool failed;
   * {@code cacheControl} is an Anthropic-style cache breakpoint on the whole result. Both are null
   * when the client did not say; dialects without them leave them out.
   */
  record Tool(String toolCallId, List<ContentPart> content, Boolean isError, JsonNode cacheControl)
      implements Message {
    public Tool {
      content = List.copyOf(content);
    }

    public Tool(String toolCallId, List<ContentPart> content) {
      this(toolCallId, content, null, null);
    }
  }

  /** The concatenated text parts of a message; other parts are skipped. */
  static String text(Message message) {
    StringBuilder out = new StringBuilder();
    for (ContentPart part : message.content()) {
      if (part instanceof ContentPart.Text t) {
        out.append(t.text());
      }
    }
    return out.toString();
  }
}
