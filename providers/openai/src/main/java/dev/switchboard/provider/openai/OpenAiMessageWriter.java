package dev.switchboard.provider.openai;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.core.model.ContentPart;
import dev.switchboard.core.model.Message;
import dev.switchboard.core.model.ToolCall;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * Canonical messages and content parts in the OpenAI shape, written straight to the generator. With
 * {@code openRouter} (an upstream OpenRouter) assistant turns keep {@code reasoning} and {@code
 * reasoning_details} and parts keep {@code cache_control}; others never see them.
 */
final class OpenAiMessageWriter {

  private OpenAiMessageWriter() {}

  static void write(JsonGenerator g, Message message, boolean openRouter) throws IOException {
    g.writeStartObject();
    switch (message) {
      case Message.System system -> {
        g.writeStringField("role", system.developer() ? "developer" : "system");
        content(g, system.content(), openRouter, false);
        name(g, system.name());
      }
      case Message.User user -> {
        g.writeStringField("role", "user");
        content(g, user.content(), openRouter, false);
        name(g, user.name());
      }
      case Message.Assistant assistant -> assistant(g, assistant, openRouter);
      case Message.Tool tool -> {
        g.writeStringField("role", "tool");
        g.writeStringField("tool_call_id", tool.toolCallId());
        content(g, tool.content(), openRouter, false);
      }
    }
    g.writeEndObject();
  }

  private static void assistant(JsonGenerator g, Message.Assistant a, boolean openRouter)
      throws IOException {
    g.writeStringField("role", "assistant");
    content(g, a.content(), openRouter, !a.toolCalls().isEmpty());
    name(g, a.name());
    if (a.refusal() != null) {
      g.writeStringField("refusal", a.refusal());
    }
    if (!a.toolCalls().isEmpty()) {
      g.writeArrayFieldStart("tool_calls");
      for (ToolCall call : a.toolCalls()) {
        g.writeStartObject();
        g.writeStringField("id", call.id());
        g.writeStringField("type", "function");
        g.writeObjectFieldStart("function");
        g.writeStringField("name", call.name());
        g.writeStringField("arguments", call.arguments());
        g.writeEndObject();
        g.writeEndObject();
      }
      g.writeEndArray();
    }
    if (openRouter) {
      if (a.reasoning() != null) {
        g.writeStringField("reasoning", a.reasoning());
      }
      if (a.reasoningDetails() != null) {
        g.writeFieldName("reasoning_details");
        g.writeTree(a.reasoningDetails());
      }
    }
    for (Map.Entry<String, JsonNode> field : a.extra().entrySet()) {
      g.writeFieldName(field.getKey());
      g.writeTree(field.getValue());
    }
  }

  private static void name(JsonGenerator g, String name) throws IOException {
    if (name != null) {
      g.writeStringField("name", name);
    }
  }

  /**
   * One text part without a cache breakpoint becomes a plain string; no parts become {@code null}
   * next to tool calls, else {@code ""}.
   */
  private static void content(
      JsonGenerator g, List<ContentPart> parts, boolean openRouter, boolean nullWhenEmpty)
      throws IOException {
    if (parts.isEmpty()) {
      if (nullWhenEmpty) {
        g.writeNullField("content");
      } else {
        g.writeStringField("content", "");
      }
      return;
    }
    if (parts.size() == 1
        && parts.get(0) instanceof ContentPart.Text text
        && (text.cacheControl() == null || !openRouter)) {
      g.writeStringField("content", text.text());
      return;
    }
    g.writeArrayFieldStart("content");
    for (ContentPart part : parts) {
      part(g, part, openRouter);
    }
    g.writeEndArray();
  }

  private static void part(JsonGenerator g, ContentPart part, boolean openRouter)
      throws IOException {
    if (part instanceof ContentPart.Unknown unknown) {
      g.writeTree(unknown.raw());
      return;
    }
    g.writeStartObject();
    switch (part) {
      case ContentPart.Text text -> {
        g.writeStringField("type", "text");
        g.writeStringField("text", text.text());
        if (text.cacheControl() != null && openRouter) {
          g.writeFieldName("cache_control");
          g.writeTree(text.cacheControl());
        }
      }
      case ContentPart.Image image -> {
        g.writeStringField("type", "image_url");
        g.writeObjectFieldStart("image_url");
        g.writeStringField("url", image.url());
        if (image.detail() != null) {
          // "original" is OpenRouter's; others get the closest OpenAI level.
          boolean downgrade = !openRouter && image.detail().equals("original");
          g.writeStringField("detail", downgrade ? "high" : image.detail());
        }
        g.writeEndObject();
      }
      case ContentPart.Audio audio -> {
        g.writeStringField("type", "input_audio");
        g.writeObjectFieldStart("input_audio");
        g.writeStringField("data", audio.data());
        g.writeStringField("format", audio.format());
        g.writeEndObject();
      }
      case ContentPart.File file -> {
        g.writeStringField("type", "file");
        g.writeObjectFieldStart("file");
        if (file.filename() != null) {
          g.writeStringField("filename", file.filename());
        }
        if (file.fileData() != null) {
          g.writeStringField("file_data", file.fileData());
        }
        if (file.fileId() != null) {
          g.writeStringField("file_id", file.fileId());
        }
        g.writeEndObject();
      }
      case ContentPart.Video video -> {
        g.writeStringField("type", "video_url");
        g.writeObjectFieldStart("video_url");
        g.writeStringField("url", video.url());
        g.writeEndObject();
      }
      case ContentPart.Unknown unknown -> throw new AssertionError("handled above");
    }
    g.writeEndObject();
  }
}
