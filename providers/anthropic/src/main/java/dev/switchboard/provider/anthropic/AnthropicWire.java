package dev.switchboard.provider.anthropic;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/**
 * Anthropic Messages JSON as records. The request side ({@link MessagesRequest}, {@link Block}) is
 * written by Jackson in component order, nulls left out. The response side ({@link
 * MessagesResponse}, {@link Content}, {@link StreamMessage}) is read by hand from a tree, so
 * Anthropic's whitespace padding, new fields and new block types never break decoding: an unknown
 * block or event type becomes an {@code Other}/{@code Unknown} variant.
 */
final class AnthropicWire {

  private AnthropicWire() {}

  // ---------------------------------------------------------------- request

  /** {@code POST /v1/messages}. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  record MessagesRequest(
      String model,
      int maxTokens,
      List<Block> system,
      List<Message> messages,
      Boolean stream,
      BigDecimal temperature,
      BigDecimal topP,
      Integer topK,
      List<String> stopSequences,
      List<Tool> tools,
      ToolChoice toolChoice,
      Thinking thinking,
      OutputConfig outputConfig,
      JsonNode cacheControl,
      JsonNode serviceTier,
      Metadata metadata) {}

  /** {@code metadata}: the end user's id, Anthropic's only metadata field. */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  record Metadata(String userId) {}

  /** One turn: {@code user} or {@code assistant}. */
  record Message(String role, List<Block> content) {}

  /** A request content block; {@code type} is the first member of each. */
  sealed interface Block {

    /** {@code {"type":"text","text":...}}. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record Text(String type, String text, JsonNode cacheControl) implements Block {
      Text(String text, JsonNode cacheControl) {
        this("text", text, cacheControl);
      }
    }

    /** An image from a URL or base64 data. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record Image(String type, Source source, JsonNode cacheControl) implements Block {
      Image(Source source, JsonNode cacheControl) {
        this("image", source, cacheControl);
      }
    }

    /** A PDF (or plain-text document) from a URL, base64 data or text. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record Document(String type, Source source, String title, JsonNode cacheControl)
        implements Block {
      Document(Source source, String title, JsonNode cacheControl) {
        this("document", source, title, cacheControl);
      }
    }

    /** A tool call the assistant made earlier; {@code input} is a JSON object. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record ToolUse(String type, String id, String name, JsonNode input) implements Block {
      ToolUse(String id, String name, JsonNode input) {
        this("tool_use", id, name, input);
      }
    }

    /** The result of a tool call, sent in a user turn. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record ToolResult(
        String type, String toolUseId, List<Block> content, Boolean isError, JsonNode cacheControl)
        implements Block {
      ToolResult(String toolUseId, List<Block> content, Boolean isError, JsonNode cacheControl) {
        this("tool_result", toolUseId, content, isError, cacheControl);
      }
    }

    /** Thinking the assistant did earlier, returned with its signature. */
    record Thinking(String type, String thinking, String signature) implements Block {
      Thinking(String thinking, String signature) {
        this("thinking", thinking, signature);
      }
    }

    /** Redacted thinking, returned with its opaque data. */
    record RedactedThinking(String type, String data) implements Block {
      RedactedThinking(String data) {
        this("redacted_thinking", data);
      }
    }

    /** A part we do not model, passed through as the client sent it. */
    record Raw(@JsonValue JsonNode node) implements Block {}
  }

  /**
   * Where an image or document comes from: {@code base64} ({@code media_type}, {@code data}),
   * {@code url} ({@code url}) or {@code text} ({@code media_type}, {@code data}).
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  record Source(String type, String mediaType, String data, String url) {
    static Source base64(String mediaType, String data) {
      return new Source("base64", mediaType, data, null);
    }

    static Source url(String url) {
      return new Source("url", null, null, url);
    }

    static Source text(String data) {
      return new Source("text", "text/plain", data, null);
    }
  }

  /**
   * A client tool, or (with {@code type}) one of Anthropic's server tools, such as {@code
   * web_search_20250305} with its {@code max_uses}.
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  record Tool(
      String name,
      String description,
      JsonNode inputSchema,
      Boolean strict,
      JsonNode cacheControl,
      String type,
      Integer maxUses) {

    /** A client tool. */
    Tool(
        String name,
        String description,
        JsonNode inputSchema,
        Boolean strict,
        JsonNode cacheControl) {
      this(name, description, inputSchema, strict, cacheControl, null, null);
    }

    /** Anthropic's web search server tool. */
    static Tool webSearch(Integer maxUses) {
      return new Tool("web_search", null, null, null, null, "web_search_20250305", maxUses);
    }
  }

  /** {@code auto}, {@code any}, {@code tool} (with {@code name}) or {@code none}. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  record ToolChoice(String type, String name, Boolean disableParallelToolUse) {}

  /** Extended thinking: {@code {"type":"enabled","budget_tokens":N}}. */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  record Thinking(String type, int budgetTokens) {}

  /** {@code output_config}: today only the structured-output {@code format}. */
  record OutputConfig(OutputFormat format) {}

  /** {@code {"type":"json_schema","schema":{...}}}. */
  record OutputFormat(String type, JsonNode schema) {}

  // --------------------------------------------------------------- response

  /** A non-streaming {@code message}. */
  record MessagesResponse(
      String id,
      String model,
      List<Content> content,
      String stopReason,
      String stopSequence,
      WireUsage usage) {

    static MessagesResponse parse(JsonNode root) {
      List<Content> content = new ArrayList<>();
      for (JsonNode block : root.path("content")) {
        content.add(Content.parse(block));
      }
      return new MessagesResponse(
          text(root, "id"),
          text(root, "model"),
          content,
          text(root, "stop_reason"),
          text(root, "stop_sequence"),
          WireUsage.parse(root.get("usage")));
    }
  }

  /** A response content block. */
  sealed interface Content {

    /** Answer text, with the web search results it cites ({@code citations}, may be null). */
    record Text(String text, JsonNode citations) implements Content {
      Text(String text) {
        this(text, null);
      }
    }

    /** Thinking text and its signature (empty at a stream's block start). */
    record Thinking(String thinking, String signature) implements Content {}

    /** Thinking the safety systems encrypted; only {@code data}. */
    record RedactedThinking(String data) implements Content {}

    /** A client tool call; {@code input} is the arguments object. */
    record ToolUse(String id, String name, JsonNode input) implements Content {}

    /**
     * Anything else: server tool calls ({@code server_tool_use}) and their results, web search
     * results, future types. Not shown to the client.
     */
    record Other(String type, JsonNode raw) implements Content {}

    static Content parse(JsonNode block) {
      String type = text(block, "type");
      return switch (type == null ? "" : type) {
        case "text" -> new Text(textOr(block, "text"), block.get("citations"));
        case "thinking" -> new Thinking(textOr(block, "thinking"), textOr(block, "signature"));
        case "redacted_thinking" -> new RedactedThinking(textOr(block, "data"));
        case "tool_use" -> new ToolUse(text(block, "id"), text(block, "name"), block.get("input"));
        default -> new Other(type, block);
      };
    }
  }

  /**
   * Anthropic's {@code usage}. {@code input_tokens} excludes cache reads and writes. Every field is
   * nullable: {@code message_delta} repeats only some of them.
   */
  record WireUsage(
      Long inputTokens,
      Long outputTokens,
      Long cacheReadInputTokens,
      Long cacheCreationInputTokens,
      Long thinkingTokens,
      Long webSearchRequests) {

    static final WireUsage NONE = new WireUsage(null, null, null, null, null, null);

    static WireUsage parse(JsonNode usage) {
      if (usage == null || !usage.isObject()) {
        return null;
      }
      return new WireUsage(
          number(usage, "input_tokens"),
          number(usage, "output_tokens"),
          number(usage, "cache_read_input_tokens"),
          number(usage, "cache_creation_input_tokens"),
          number(usage.path("output_tokens_details"), "thinking_tokens"),
          number(usage.path("server_tool_use"), "web_search_requests"));
    }

    /** This usage updated by a later report: a later value wins where it has one. */
    WireUsage merge(WireUsage later) {
      if (later == null) {
        return this;
      }
      return new WireUsage(
          later.inputTokens != null ? later.inputTokens : inputTokens,
          later.outputTokens != null ? later.outputTokens : outputTokens,
          later.cacheReadInputTokens != null ? later.cacheReadInputTokens : cacheReadInputTokens,
          later.cacheCreationInputTokens != null
              ? later.cacheCreationInputTokens
              : cacheCreationInputTokens,
          later.thinkingTokens != null ? later.thinkingTokens : thinkingTokens,
          later.webSearchRequests != null ? later.webSearchRequests : webSearchRequests);
    }
  }

  /** One event of a {@code /v1/messages} stream, typed by its {@code type}. */
  sealed interface StreamMessage {

    /** The message's id, model and first usage (input and cache tokens). */
    record MessageStart(String id, String model, WireUsage usage) implements StreamMessage {}

    /** A content block opens at {@code index} (a block index, not a tool index). */
    record ContentBlockStart(int index, Content block) implements StreamMessage {}

    /** A fragment of the block at {@code index}. */
    record ContentBlockDelta(int index, Delta delta) implements StreamMessage {}

    /** The block at {@code index} is complete. */
    record ContentBlockStop(int index) implements StreamMessage {}

    /** The stop reason and the cumulative usage. */
    record MessageDelta(String stopReason, String stopSequence, WireUsage usage)
        implements StreamMessage {}

    /** The end of the message. */
    record MessageStop() implements StreamMessage {}

    /** A keep-alive. */
    record Ping() implements StreamMessage {}

    /** An error inside a 200 stream; {@code root} is the whole event. */
    record Error(JsonNode root) implements StreamMessage {}

    /** An event type we do not know; ignored. */
    record Unknown(String type) implements StreamMessage {}

    static StreamMessage parse(String type, JsonNode root) {
      return switch (type == null ? "" : type) {
        case "message_start" -> {
          JsonNode message = root.path("message");
          yield new MessageStart(
              text(message, "id"), text(message, "model"), WireUsage.parse(message.get("usage")));
        }
        case "content_block_start" ->
            new ContentBlockStart(
                root.path("index").asInt(0), Content.parse(root.path("content_block")));
        case "content_block_delta" ->
            new ContentBlockDelta(root.path("index").asInt(0), Delta.parse(root.path("delta")));
        case "content_block_stop" -> new ContentBlockStop(root.path("index").asInt(0));
        case "message_delta" -> {
          JsonNode delta = root.path("delta");
          yield new MessageDelta(
              text(delta, "stop_reason"),
              text(delta, "stop_sequence"),
              WireUsage.parse(root.get("usage")));
        }
        case "message_stop" -> new MessageStop();
        case "ping" -> new Ping();
        case "error" -> new Error(root);
        default -> new Unknown(type);
      };
    }
  }

  /** The {@code delta} of a {@code content_block_delta}. */
  sealed interface Delta {

    /** Answer text. */
    record Text(String text) implements Delta {}

    /** A web search result the text block cites ({@code citations_delta}). */
    record Citation(JsonNode citation) implements Delta {}

    /** Thinking text. */
    record Thinking(String thinking) implements Delta {}

    /** The signature of the thinking block, sent once at its end. */
    record Signature(String signature) implements Delta {}

    /** A fragment of a tool call's input JSON. */
    record InputJson(String partialJson) implements Delta {}

    /** Citations and future delta types; ignored. */
    record Other(String type) implements Delta {}

    static Delta parse(JsonNode delta) {
      String type = text(delta, "type");
      return switch (type == null ? "" : type) {
        case "text_delta" -> new Text(textOr(delta, "text"));
        case "thinking_delta" -> new Thinking(textOr(delta, "thinking"));
        case "signature_delta" -> new Signature(textOr(delta, "signature"));
        case "input_json_delta" -> new InputJson(textOr(delta, "partial_json"));
        case "citations_delta" -> new Citation(delta.get("citation"));
        default -> new Other(type);
      };
    }
  }

  // ---------------------------------------------------------------- helpers

  static String text(JsonNode node, String field) {
    JsonNode value = node == null ? null : node.get(field);
    return value != null && value.isTextual() ? value.textValue() : null;
  }

  private static String textOr(JsonNode node, String field) {
    String value = text(node, field);
    return value == null ? "" : value;
  }

  private static Long number(JsonNode node, String field) {
    JsonNode value = node.get(field);
    return value != null && value.isNumber() ? value.asLong() : null;
  }
}
