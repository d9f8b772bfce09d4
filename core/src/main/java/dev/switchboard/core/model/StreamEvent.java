package dev.switchboard.core.model;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.core.error.GatewayError;

/**
 * What a stream decoder emits, one canonical event per fact. Tool calls come as a start (id and
 * name) followed by argument fragments, keyed by a dense index from 0. Consumers switch over it
 * without a default, so a new variant breaks the build where it must be handled.
 */
public sealed interface StreamEvent {

  /** The upstream's response id and model, once known. */
  record Started(String upstreamId, String upstreamModel) implements StreamEvent {}

  /** A fragment of the answer's text. */
  record TextDelta(String text) implements StreamEvent {}

  /** A fragment of a refusal. */
  record RefusalDelta(String text) implements StreamEvent {}

  /**
   * A fragment of reasoning text and/or a structured reasoning detail (signature, encrypted data),
   * either of which may be null.
   */
  record ReasoningDelta(String text, JsonNode detail) implements StreamEvent {}

  /** A new tool call at {@code index}, with its id and function name. */
  record ToolCallStarted(int index, String id, String name) implements StreamEvent {}

  /** A fragment of the arguments of the tool call at {@code index}. */
  record ToolCallDelta(int index, String argumentsFragment) implements StreamEvent {}

  /**
   * Annotations attached to the answer (e.g. {@code url_citation}s from web search), as the JSON
   * array the upstream sent.
   */
  record Annotations(JsonNode annotations) implements StreamEvent {}

  /**
   * Token log probabilities in the OpenAI shape ({@code {content:[...], refusal:[...]}}). A decoder
   * emits it just before the text or refusal delta it belongs to.
   */
  record Logprobs(JsonNode logprobs) implements StreamEvent {}

  /**
   * The answer ended; {@code stopSequence} is the stop string that ended it when the upstream says
   * (see {@link LlmResponse#stopSequence()}), else null.
   */
  record Finished(
      FinishReason reason,
      String nativeReason,
      // Absent from serialised events when unknown (golden files).
      @com.fasterxml.jackson.annotation.JsonInclude(
              com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
          String stopSequence)
      implements StreamEvent {

    /** An end that names no stop string. */
    public Finished(FinishReason reason, String nativeReason) {
      this(reason, nativeReason, null);
    }
  }

  /** Usage for the whole response. May come before or after {@link Finished}. */
  record UsageReported(Usage usage) implements StreamEvent {}

  /** The upstream reported an error inside the stream. */
  record Failed(GatewayError error) implements StreamEvent {}

  /**
   * An upstream event the adapter does not understand (a new event type of the vendor's), kept so
   * that plugins and debugging can see it. It carries nothing a client is sent: encoders drop it,
   * and it does not count as output (it neither claims a hedge race nor commits a stream).
   *
   * @param type the upstream's name for the event, when it has one
   * @param raw the event's JSON as the upstream sent it
   */
  record Unknown(String type, JsonNode raw) implements StreamEvent {}
}
