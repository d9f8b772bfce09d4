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
