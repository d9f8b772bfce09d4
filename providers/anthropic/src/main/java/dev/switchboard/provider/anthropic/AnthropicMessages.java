package dev.switchboard.provider.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.api.json.ApiJson;
import dev.switchboard.core.error.GatewayException;
import dev.switchboard.core.model.ContentPart;
import dev.switchboard.core.model.Message;
import dev.switchboard.core.model.ToolCall;
import dev.switchboard.provider.anthropic.AnthropicWire.Block;
import dev.switchboard.provider.anthropic.AnthropicWire.Source;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Canonical messages to Anthropic's {@code system} and alternating {@code user}/{@code assistant}
 * turns.
 *
 * <ul>
 *   <li>System and developer messages, wherever they stand, are hoisted into {@code system} in
 *       order; they take text only.
 *   <li>Tool results become {@code tool_result} blocks of a user turn; consecutive turns of the
 *       same role are merged (parallel results and a following user message become one turn).
 *   <li>An assistant turn is its thinking blocks (rebuilt from {@code reasoning_details} with their
 *       signatures; redacted thinking from {@code reasoning.encrypted}), then its text, then its
 *       {@code tool_use} blocks.
 *   <li>A {@code name} is folded into the text as {@code "name: text"}, as OpenRouter does for
 *       non-OpenAI models.
 *   <li>Images: {@code data:} URLs become base64 sources, http(s) URLs URL sources. Files: PDFs as
 *       {@code document} blocks (base64 or URL), plain text as a text source. Audio, video, other
 *       media types and uploaded file ids are refused with {@code INVALID_REQUEST}.
 * </ul>
 */
final class AnthropicMessages {

  /** The {@code format} Anthropic reasoning details carry. */
  static final String REASONING_FORMAT = "anthropic-claude-v1";

  private static final Set<String> IMAGE_TYPES =
      Set.of("image/jpeg", "image/png", "image/gif", "image/webp");

  private AnthropicMessages() {}

  /** The hoisted system blocks and the turns. */
  record Mapped(List<Block> system, List<AnthropicWire.Message> messages) {}

  static Mapped map(List<Message> messages) {
    List<Block> system = new ArrayList<>();
    List<AnthropicWire.Message> turns = new ArrayList<>();
    for (int i = 0; i < messages.size(); i++) {
      String path = "messages[" + i + "]";
      switch (messages.get(i)) {
        case Message.System s -> system.addAll(systemBlocks(s, path));
        case Message.User u -> append(turns, "user", userBlocks(u.content(), u.name(), path));
        case Message.Tool t -> append(turns, "user", List.of(toolResult(t, path)));
        case Message.Assistant a -> append(turns, "assistant", assistantBlocks(a, path));
      }
    }
    return new Mapped(system, turns);
  }

  private static void append(List<AnthropicWire.Message> turns, String role, List<Block> blocks) {
    if (blocks.isEmpty()) {
      return;
    }
    if (!turns.isEmpty() && turns.getLast().role().equals(role)) {
      List<Block> merged = new ArrayList<>(turns.getLast().content());
      merged.addAll(blocks);
      turns.set(turns.size() - 1, new AnthropicWire.Message(role, merged));
    } else {
      turns.add(new AnthropicWire.Message(role, blocks));
    }
  }

  private static List<Block> systemBlocks(Message.System system, String path) {
    List<Block> out = new ArrayList<>(system.content().size());
    for (ContentPart part : system.content()) {
      if (!(part instanceof ContentPart.Text text)) {
        throw invalid("\"" + path + ".content\" of a system message must be text for Anthropic");
      }
      if (!text.text().isEmpty()) {
        out.add(new Block.Text(text.text(), text.cacheControl()));
      }
    }
    return out;
  }

  private static List<Block> userBlocks(List<ContentPart> parts, String name, String path) {
    List<Block> out = new ArrayList<>(parts.size());
    boolean named = name == null || name.isEmpty();
    for (int i = 0; i < parts.size(); i++) {
      ContentPart part = parts.get(i);
      if (!named && part instanceof ContentPart.Text text) {
        part = new ContentPart.Text(name + ": " + text.text(), text.cacheControl());
        named = true;
      }
      out.add(block(part, path + ".content[" + i + "]"));
    }
    return out;
  }

  private static Block toolResult(Message.Tool tool, String path) {
    List<Block> content = new ArrayList<>(tool.content().size());
    for (int i = 0; i < tool.content().size(); i++) {
      ContentPart part = tool.content().get(i);
      if (part instanceof ContentPart.Text text && text.text().isEmpty()) {
        continue;
      }
      content.add(block(part, path + ".content[" + i + "]"));
    }
    return new Block.ToolResult(
        tool.toolCallId(),
        content.isEmpty() ? null : content,
        Boolean.TRUE.equals(tool.isError()) ? true : null,
        tool.cacheControl());
  }

  private static List<Block> assistantBlocks(Message.Assistant a, String path) {
    List<Block> out = new ArrayList<>(thinkingBlocks(a.reasoningDetails()));
    String prefix = a.name() == null || a.name().isEmpty() ? null : a.name() + ": ";
    for (int i = 0; i < a.content().size(); i++) {
      ContentPart part = a.content().get(i);
      if (part instanceof ContentPart.Text text) {
        if (text.text().isEmpty()) {
          continue; // Anthropic refuses empty text blocks
        }
        if (prefix != null) {
          part = new ContentPart.Text(prefix + text.text(), text.cacheControl());
          prefix = null;
        }
      }
      out.add(block(part, path + ".content[" + i + "]"));
    }
    for (int i = 0; i < a.toolCalls().size(); i++) {
      ToolCall call = a.toolCalls().get(i);
      out.add(
          new Block.ToolUse(
              call.id(),
              call.name(),
              arguments(call.arguments(), path + ".tool_calls[" + i + "].function.arguments")));
    }
    return out;
  }

  /**
   * {@code reasoning_details} back to thinking blocks. Items with the same {@code index} are one
   * block (a streamed answer gives its text and its signature as separate items); text is joined,
   * the signature kept. A text block without a signature cannot be sent back (Anthropic verifies
   * it) and is left out, as are other vendors' formats and summaries.
   */
  static List<Block> thinkingBlocks(JsonNode details) {
    if (details == null || !details.isArray() || details.isEmpty()) {
      return List.of();
    }
    Map<Object, Accumulated> groups = new LinkedHashMap<>();
    for (JsonNode detail : details) {
      String format = AnthropicWire.text(detail, "format");
      if (format != null && !format.equals(REASONING_FORMAT) && !format.equals("unknown")) {
        continue;
      }
      JsonNode index = detail.get("index");
      Object key = index != null && index.isIntegralNumber() ? index.intValue() : new Object();
      groups.computeIfAbsent(key, k -> new Accumulated()).add(detail);
    }
    List<Block> out = new ArrayList<>(groups.size());
    for (Accumulated group : groups.values()) {
      Block block = group.toBlock();
      if (block != null) {
        out.add(block);
      }
    }
    return out;
  }

  /** One reasoning block being put back together from its details. */
  private static final class Accumulated {
    private String type;
    private final StringBuilder text = new StringBuilder();
    private String signature;
    private String data;

    void add(JsonNode detail) {
      String t = AnthropicWire.text(detail, "type");
      if (type == null || "reasoning.encrypted".equals(t)) {
        type = t;
      }
      String part = AnthropicWire.text(detail, "text");
      if (part != null) {
        text.append(part);
      }
      String sig = AnthropicWire.text(detail, "signature");
      if (sig != null && !sig.isEmpty()) {
        signature = sig;
      }
      String d = AnthropicWire.text(detail, "data");
      if (d != null && !d.isEmpty()) {
        data = d;
      }
    }

    Block toBlock() {
      if ("reasoning.encrypted".equals(type) && data != null) {
        return new Block.RedactedThinking(data);
      }
      if ("reasoning.text".equals(type) && signature != null) {
        return new Block.Thinking(text.toString(), signature);
      }
      return null;
    }
  }

  /** One content part of a user or tool turn, or an assistant's non-text part. */
  private static Block block(ContentPart part, String path) {
    return switch (part) {
      case ContentPart.Text text -> new Block.Text(text.text(), text.cacheControl());
      case ContentPart.Image image ->
          new Block.Image(imageSource(image.url(), path), image.cacheControl());
      case ContentPart.File file -> document(file, path);
      case ContentPart.Audio audio ->
          throw invalid("\"" + path + "\": Anthropic does not accept audio input");
      case ContentPart.Video video ->
          throw invalid("\"" + path + "\": Anthropic does not accept video input");
      case ContentPart.Unknown unknown -> new Block.Raw(unknown.raw());
    };
  }

  private static Source imageSource(String url, String path) {
    if (url.startsWith("data:")) {
      DataUrl data = DataUrl.parse(url, path);
      if (!IMAGE_TYPES.contains(data.mediaType())) {
        throw invalid(
            "\""
                + path
                + ".image_url.url\": Anthropic accepts image/jpeg, image/png, image/gif and"
                + " image/webp, not "
                + data.mediaType());
      }
      return Source.base64(data.mediaType(), data.base64());
    }
    if (url.startsWith("https://") || url.startsWith("http://")) {
      return Source.url(url);
    }
    throw invalid("\"" + path + ".image_url.url\" must be an http(s) URL or a data: URL");
  }

  private static Block document(ContentPart.File file, String path) {
    String source = file.fileData();
    if (source == null) {
      throw invalid(
          "\""
              + path
              + ".file.file_id\": uploaded file ids cannot be sent to Anthropic; send"
              + " file_data");
    }
    if (source.startsWith("https://") || source.startsWith("http://")) {
      return new Block.Document(Source.url(source), file.filename(), file.cacheControl());
    }
    if (!source.startsWith("data:")) {
      throw invalid("\"" + path + ".file.file_data\" must be a data: URL or an http(s) URL");
    }
    DataUrl data = DataUrl.parse(source, path);
    return switch (data.mediaType()) {
      case "application/pdf" ->
          new Block.Document(
              Source.base64("application/pdf", data.base64()),
              file.filename(),
              file.cacheControl());
      case "text/plain" ->
          new Block.Document(
              Source.text(data.decodedText(path)), file.filename(), file.cacheControl());
      default ->
          throw invalid(
              "\""
                  + path
                  + ".file.file_data\": Anthropic takes PDF and plain-text documents, not "
                  + data.mediaType());
    };
  }

  /** Arguments are a JSON object in a string; blank means no arguments. */
  private static JsonNode arguments(String arguments, String path) {
    if (arguments == null || arguments.isBlank()) {
      return ApiJson.object();
    }
    try {
      JsonNode node = ApiJson.tree(arguments);
      if (node != null && node.isObject()) {
        return node;
      }
    } catch (IOException e) {
      // reported below
    }
    throw invalid("\"" + path + "\" must be a JSON object for Anthropic");
  }

  /** A {@code data:<media type>;base64,<data>} URL. */
  record DataUrl(String mediaType, String base64) {

    static DataUrl parse(String url, String path) {
      int comma = url.indexOf(',');
      String meta = comma < 0 ? "" : url.substring(5, comma);
      if (comma < 0 || !meta.endsWith(";base64")) {
        throw invalid("\"" + path + "\": only base64 data: URLs are supported");
      }
      String mediaType = meta.substring(0, meta.length() - ";base64".length());
      int parameters = mediaType.indexOf(';');
      if (parameters >= 0) {
        mediaType = mediaType.substring(0, parameters);
      }
      return new DataUrl(
          mediaType.trim().toLowerCase(java.util.Locale.ROOT), url.substring(comma + 1));
    }

    String decodedText(String path) {
      try {
        return new String(Base64.getMimeDecoder().decode(base64), StandardCharsets.UTF_8);
      } catch (IllegalArgumentException e) {
        throw invalid("\"" + path + "\": the data: URL is not valid base64");
      }
    }
  }

  static GatewayException invalid(String message) {
    return GatewayException.invalid(message);
  }
}
