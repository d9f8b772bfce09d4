package dev.switchboard.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.api.chat.ChatCompletionChunk;
import dev.switchboard.api.chat.ToolCall;
import dev.switchboard.api.chat.Usage;
import dev.switchboard.api.json.ApiJson;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Folds the chunks of a stream into the answer they spell: text, reasoning and its details, tool
 * calls (fragments joined by {@code index}), url citations, the finish reason and the usage. Only
 * the first choice is followed (OpenRouter answers with one). Not thread-safe.
 */
public final class StreamAccumulator {

  private final StringBuilder text = new StringBuilder();
  private final StringBuilder reasoning = new StringBuilder();
  private final ArrayNode reasoningDetails = ApiJson.nodes().arrayNode();
  private final TreeMap<Integer, ToolCallParts> toolCalls = new TreeMap<>();
  private final ArrayNode annotations = ApiJson.nodes().arrayNode();
  private String id;
  private String model;
  private String provider;
  private String finishReason;
  private String nativeFinishReason;
  private Usage usage;
  private int chunks;

  StreamAccumulator() {}

  /** An empty accumulator, to fold chunks by hand. */
  public static StreamAccumulator create() {
    return new StreamAccumulator();
  }

  /** Adds one chunk. */
  public StreamAccumulator add(ChatCompletionChunk chunk) {
    chunks++;
    id = id != null ? id : chunk.id();
    model = model != null ? model : chunk.model();
    provider = provider != null ? provider : chunk.provider();
    if (chunk.usage() != null) {
      usage = chunk.usage();
    }
    if (chunk.choices() == null) {
      return this;
    }
    for (ChatCompletionChunk.ChunkChoice choice : chunk.choices()) {
      if (choice.index() != 0) {
        continue;
      }
      if (choice.finishReason() != null) {
        finishReason = choice.finishReason();
        nativeFinishReason = choice.nativeFinishReason();
      }
      ChatCompletionChunk.Delta d = choice.delta();
      if (d == null) {
        continue;
      }
      if (d.content() != null) {
        text.append(d.content());
      }
      if (d.reasoning() != null) {
        reasoning.append(d.reasoning());
      } else if (d.reasoningContent() != null) {
        reasoning.append(d.reasoningContent());
      }
      if (d.reasoningDetails() != null && d.reasoningDetails().isArray()) {
        d.reasoningDetails().forEach(this::mergeDetail);
      }
      if (d.toolCalls() != null) {
        for (ToolCall c : d.toolCalls()) {
          int index = c.index() == null ? toolCalls.size() : c.index();
          toolCalls.computeIfAbsent(index, i -> new ToolCallParts()).add(c);
        }
      }
      if (d.annotations() != null && d.annotations().isArray()) {
        annotations.addAll((ArrayNode) d.annotations());
      }
    }
    return this;
  }

  /**
   * Streams send a reasoning detail in fragments of the same type and index: text and signature
   * fragments are joined, a new type or index starts a new detail.
   */
  private void mergeDetail(JsonNode detail) {
    if (!detail.isObject()) {
      return;
    }
    if (!reasoningDetails.isEmpty()) {
      ObjectNode last = (ObjectNode) reasoningDetails.get(reasoningDetails.size() - 1);
      if (last.path("type").equals(detail.path("type"))
          && last.path("index").equals(detail.path("index"))
          && "reasoning.text".equals(detail.path("type").asText())) {
        for (String f : List.of("text", "signature")) {
          if (detail.path(f).isTextual()) {
            last.put(f, last.path(f).asText("") + detail.get(f).textValue());
          }
        }
        return;
      }
    }
    reasoningDetails.add(detail.deepCopy());
  }

  public String text() {
    return text.toString();
  }

  public String reasoning() {
    return reasoning.toString();
  }

  /** The reasoning details, fragments joined. */
  public List<ReasoningDetail> reasoningDetails() {
    return ReasoningDetail.of(reasoningDetails);
  }

  /** The tool calls, complete, in index order. */
  public List<ToolCall> toolCalls() {
    List<ToolCall> out = new ArrayList<>();
    toolCalls.values().forEach(p -> out.add(p.build()));
    return List.copyOf(out);
  }

  public List<UrlCitation> citations() {
    return UrlCitation.of(annotations);
  }

  public Optional<String> finishReason() {
    return Optional.ofNullable(finishReason);
  }

  public Optional<String> nativeFinishReason() {
    return Optional.ofNullable(nativeFinishReason);
  }

  /** The usage chunk's usage (the last chunk before {@code [DONE]}). */
  public Optional<Usage> usage() {
    return Optional.ofNullable(usage);
  }

  public String id() {
    return id;
  }

  public String model() {
    return model;
  }

  public String provider() {
    return provider;
  }

  /** How many chunks were added. */
  public int chunks() {
    return chunks;
  }

  private static final class ToolCallParts {
    private String id;
    private String type;
    private String name;
    private final StringBuilder arguments = new StringBuilder();

    void add(ToolCall c) {
      id = c.id() != null ? c.id() : id;
      type = c.type() != null ? c.type() : type;
      if (c.function() != null) {
        if (c.function().name() != null) {
          name = c.function().name();
        }
        if (c.function().arguments() != null) {
          arguments.append(c.function().arguments());
        }
      }
    }

    ToolCall build() {
      return new ToolCall(
          null,
          id,
          type == null ? "function" : type,
          new ToolCall.FunctionCall(name, arguments.toString()));
    }
  }
}
