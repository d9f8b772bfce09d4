package dev.switchboard.core.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.switchboard.api.chat.ChatCompletionChunk;
import dev.switchboard.api.chat.ChatCompletionChunk.ChunkChoice;
import dev.switchboard.api.chat.ChatCompletionChunk.Delta;
import dev.switchboard.api.chat.ToolCall;
import dev.switchboard.api.error.ErrorBody;
import dev.switchboard.api.json.ApiJson;
import dev.switchboard.core.model.StreamEvent;
import java.util.List;

/**
 * Turns one stream's canonical events into client {@code chat.completion.chunk}s that carry our
 * generation id, model and provider. Created per stream; stateful; not thread-safe.
 *
 * <p>Shape, as OpenRouter sends it: every delta repeats {@code role:"assistant"}; a tool call's
 * first fragment carries {@code index}, {@code id}, {@code type:"function"} and {@code
 * function{name, arguments:""}}, later fragments only {@code index} and {@code function.arguments}
 * (checklist 43); the finishing chunk carries {@code finish_reason} and {@code
 * native_finish_reason}. Log probabilities ride on the text chunk that follows them.
 *
 * <p>It runs per streamed token, so it allocates only the chunk itself: no maps, no copies.
 */
public final class OpenAiChunkEncoder {

  private static final String OBJECT = "chat.completion.chunk";
  private static final String ASSISTANT = "assistant";
  private static final String FUNCTION = "function";
  private static final String ERROR = "error";
  private static final Delta FINISH_DELTA =
      new Delta(ASSISTANT, "", null, null, null, null, null, null, null);
  private static final Delta ERROR_DELTA =
      new Delta(null, "", null, null, null, null, null, null, null);

  private final String generationId;
  private final String model;
  private final String providerName;
  private final long created;
  private final boolean includeReasoning;
  private JsonNode pendingLogprobs;
  // The bytes around a text chunk's content, and around a finishing chunk's two reasons, cut from
  // chunks written by the mapper once per stream (lazily): see frame().
  private byte[][] textFrame;
  private byte[][] finishFrame;

  /** An encoder for one stream. */
  public OpenAiChunkEncoder(
      String generationId, String model, String providerName, long createdEpochSeconds) {
    this(generationId, model, providerName, createdEpochSeconds, true);
  }

  /**
   * An encoder for one stream; with {@code includeReasoning} false ({@code reasoning.exclude})
   * reasoning deltas produce no chunk.
   */
  public OpenAiChunkEncoder(
      String generationId,
      String model,
      String providerName,
      long createdEpochSeconds,
      boolean includeReasoning) {
    this.generationId = generationId;
    this.model = model;
    this.providerName = providerName;
    this.created = createdEpochSeconds;
    this.includeReasoning = includeReasoning;
  }

  /**
   * 0..n chunks for one event. {@code Started}, {@code UsageReported}, {@code Failed} and {@code
   * Unknown} produce none (the gateway sends usage and errors with {@link #usageChunk} and {@link
   * #errorChunk}); {@code Finished} produces the chunk with {@code finish_reason} and {@code
   * native_finish_reason}.
   */
  public List<ChatCompletionChunk> encode(StreamEvent event) {
    return switch (event) {
      case StreamEvent.Started started -> List.of();
      case StreamEvent.TextDelta text ->
          text.text() == null || text.text().isEmpty()
              ? List.of()
              : delta(new Delta(ASSISTANT, text.text(), null, null, null, null, null, null, null));
      case StreamEvent.RefusalDelta refusal ->
          refusal.text() == null || refusal.text().isEmpty()
              ? List.of()
              : delta(
                  new Delta(ASSISTANT, null, null, null, null, null, refusal.text(), null, null));
      case StreamEvent.ReasoningDelta reasoning -> reasoning(reasoning);
      case StreamEvent.ToolCallStarted started ->
          delta(
              new Delta(
                  ASSISTANT,
                  null,
                  null,
                  null,
                  null,
                  List.of(
                      new ToolCall(
                          started.index(),
                          started.id(),
                          FUNCTION,
                          new ToolCall.FunctionCall(started.name(), ""))),
                  null,
                  null,
                  null));
      case StreamEvent.ToolCallDelta fragment ->
          fragment.argumentsFragment() == null || fragment.argumentsFragment().isEmpty()
              ? List.of()
              : delta(
                  new Delta(
                      ASSISTANT,
                      null,
                      null,
                      null,
                      null,
                      List.of(
                          new ToolCall(
                              fragment.index(),
                              null,
                              null,
                              new ToolCall.FunctionCall(null, fragment.argumentsFragment()))),
                      null,
                      null,
                      null));
      case StreamEvent.Annotations annotations ->
          annotations.annotations() == null || annotations.annotations().isEmpty()
              ? List.of()
              : delta(
                  new Delta(
                      ASSISTANT,
                      "",
                      null,
                      null,
                      null,
                      null,
                      null,
                      annotations.annotations(),
                      null));
      case StreamEvent.Logprobs logprobs -> {
        pendingLogprobs = logprobs.logprobs();
        yield List.of();
      }
      case StreamEvent.Finished finished ->
          List.of(
              chunk(
                  new ChunkChoice(
                      0,
                      FINISH_DELTA,
                      finished.reason() == null ? null : finished.reason().wire(),
                      finished.nativeReason(),
                      takeLogprobs())));
      case StreamEvent.UsageReported usage -> List.of();
      case StreamEvent.Failed failed -> List.of();
      case StreamEvent.Unknown unknown -> List.of();
    };
  }

  /**
   * The whole frame ({@code lead}, the chunk's JSON, {@code trail}) of the one chunk a text delta
   * or a finish produces, written straight to bytes: the chunk's fixed parts are cut once per
   * stream from chunks the mapper wrote, and only the text (or the reasons) is escaped per chunk,
   * with the generator's own escaping. Byte for byte what {@code lead +
   * ApiJson.bytes(encode(event)) + trail} gives, without a chunk object or a serializer. Null for
   * every other event, an empty text, and while log probabilities are pending: use {@link #encode}
   * then.
   */
  public byte[] frame(StreamEvent event, byte[] lead, byte[] trail) {
    if (pendingLogprobs != null) {
      return null;
    }
    try {
      if (event instanceof StreamEvent.TextDelta text) {
        if (text.text() == null || text.text().isEmpty()) {
          return null;
        }
        if (textFrame == null) {
          textFrame =
              cut(
                  delta(new Delta(ASSISTANT, MARK, null, null, null, null, null, null, null))
                      .getFirst());
        }
        return textFrame.length != 2
            ? null
            : join(lead, trail, textFrame, JsonQuote.quote(text.text()));
      }
      if (event instanceof StreamEvent.Finished finished) {
        if (finishFrame == null) {
          finishFrame = cut(chunk(new ChunkChoice(0, FINISH_DELTA, MARK, MARK, null)));
        }
        if (finishFrame.length != 3) {
          return null;
        }
        return join(
            lead,
            trail,
            finishFrame,
            finished.reason() == null ? NULL : JsonQuote.quote(finished.reason().wire()),
            finished.nativeReason() == null ? NULL : JsonQuote.quote(finished.nativeReason()));
      }
    } catch (RuntimeException e) {
      return null; // a string the generator would refuse (a lone surrogate): the general path says
    }
    return null;
  }

  // A string no generation id, model or provider carries: cut() finds its quoted form.
  private static final String MARK = "\u0001switchboard-mark\u0001";
  private static final byte[][] NONE = new byte[0][];
  private static final byte[] QUOTED_MARK = ApiJson.bytes(MARK);
  private static final byte[] NULL = {'n', 'u', 'l', 'l'};

  /** The chunk's JSON cut at each quoted {@link #MARK}. */
  private static byte[][] cut(ChatCompletionChunk chunk) {
    byte[] json = ApiJson.bytes(chunk);
    java.util.List<byte[]> parts = new java.util.ArrayList<>(3);
    int from = 0;
    for (int i = 0; i + QUOTED_MARK.length <= json.length; i++) {
      if (java.util.Arrays.equals(
          json, i, i + QUOTED_MARK.length, QUOTED_MARK, 0, QUOTED_MARK.length)) {
        parts.add(java.util.Arrays.copyOfRange(json, from, i));
        from = i + QUOTED_MARK.length;
        i = from - 1;
      }
    }
    parts.add(java.util.Arrays.copyOfRange(json, from, json.length));
    return parts.toArray(NONE);
  }

  /** lead, parts[0], values[0], parts[1], values[1], ..., trail. */
  private static byte[] join(byte[] lead, byte[] trail, byte[][] parts, byte[]... values) {
    int n = lead.length + trail.length;
    for (byte[] part : parts) {
      n += part.length;
    }
    for (byte[] value : values) {
      n += value.length;
    }
    byte[] out = new byte[n];
    int at = 0;
    System.arraycopy(lead, 0, out, at, lead.length);
    at += lead.length;
    for (int i = 0; i < parts.length; i++) {
      System.arraycopy(parts[i], 0, out, at, parts[i].length);
      at += parts[i].length;
      if (i < values.length) {
        System.arraycopy(values[i], 0, out, at, values[i].length);
        at += values[i].length;
      }
    }
    System.arraycopy(trail, 0, out, at, trail.length);
    return out;
  }

  /** The final usage chunk: {@code choices:[]} plus {@code usage} (checklist 40, 41). */
  public ChatCompletionChunk usageChunk(dev.switchboard.api.chat.Usage usage) {
    return new ChatCompletionChunk(
        generationId,
        providerName,
        model,
        OBJECT,
        created,
        List.of(),
        null,
        null,
        usage,
        null,
        null);
  }

  /**
   * The debug chunk of a stream asked for with {@code debug.echo_upstream_body} (checklist 44):
   * {@code choices:[]} and {@code debug.echo_upstream_body}, the body sent to the upstream.
   */
  public ChatCompletionChunk debugChunk(JsonNode upstreamBody) {
    com.fasterxml.jackson.databind.node.ObjectNode debug = ApiJson.nodes().objectNode();
    debug.set("echo_upstream_body", upstreamBody);
    return new ChatCompletionChunk(
            generationId,
            providerName,
            model,
            OBJECT,
            created,
            List.of(),
            null,
            null,
            null,
            null,
            null)
        .withExtra("debug", debug);
  }

  /**
   * The in-band error chunk after the commit point (checklist 47): top-level {@code error{code,
   * message, metadata}} and {@code choices:[{index:0, delta:{content:""}, finish_reason:"error"}]}.
   * The stream ends after it.
   */
  public ChatCompletionChunk errorChunk(ErrorBody error) {
    return new ChatCompletionChunk(
        generationId,
        providerName,
        model,
        OBJECT,
        created,
        List.of(new ChunkChoice(0, ERROR_DELTA, ERROR, null, null)),
        null,
        null,
        null,
        error,
        null);
  }

  private List<ChatCompletionChunk> reasoning(StreamEvent.ReasoningDelta reasoning) {
    boolean hasText = reasoning.text() != null && !reasoning.text().isEmpty();
    if (!includeReasoning || (!hasText && reasoning.detail() == null)) {
      return List.of();
    }
    ArrayNode details = null;
    if (reasoning.detail() != null) {
      details = ApiJson.nodes().arrayNode(1);
      details.add(reasoning.detail());
    }
    return delta(
        new Delta(
            ASSISTANT,
            null,
            hasText ? reasoning.text() : null,
            null,
            details,
            null,
            null,
            null,
            null));
  }

  private List<ChatCompletionChunk> delta(Delta delta) {
    return List.of(chunk(new ChunkChoice(0, delta, null, null, takeLogprobs())));
  }

  private JsonNode takeLogprobs() {
    JsonNode logprobs = pendingLogprobs;
    pendingLogprobs = null;
    return logprobs;
  }

  private ChatCompletionChunk chunk(ChunkChoice choice) {
    return new ChatCompletionChunk(
        generationId,
        providerName,
        model,
        OBJECT,
        created,
        List.of(choice),
        null,
        null,
        null,
        null,
        null);
  }
}
