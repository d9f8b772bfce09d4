package dev.switchboard.simulator;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A fault the simulator injects into the next requests of a provider. Every kind has a {@link
 * #count()}: how many requests it applies to, or {@link #UNTIL_CLEARED} (0) for all of them until
 * the provider's faults are cleared. Faults queued for a provider apply in order: the first one
 * with uses left handles the next request.
 *
 * <p>The control API's JSON form is documented in {@code docs/simulator.md}; {@code kind} is one of
 * {@code status}, {@code timeout}, {@code cut}, {@code malformed}, {@code error_event}, {@code
 * partial}, {@code bad_tool_calls}.
 */
public sealed interface Fault
    permits Fault.Status,
        Fault.Timeout,
        Fault.Cut,
        Fault.Malformed,
        Fault.ErrorEvent,
        Fault.Partial,
        Fault.BadToolCalls {

  /** A count of 0: the fault stays until cleared. */
  int UNTIL_CLEARED = 0;

  /** Requests this fault applies to; {@link #UNTIL_CLEARED} for all until cleared. */
  int count();

  /** The same fault for the next {@code count} requests only. */
  Fault times(int count);

  /**
   * Answer with an HTTP error status and the provider's own error body (the recorded one when we
   * have it) or {@code body} when set; {@code headers} are added (e.g. {@code Retry-After}).
   */
  record Status(int status, String body, Map<String, String> headers, int count) implements Fault {
    public Status {
      if (status < 100 || status > 599) {
        throw new IllegalArgumentException("status must be 100..599, was " + status);
      }
      headers = headers == null ? Map.of() : Map.copyOf(headers);
      requireCount(count);
    }

    @Override
    public Status times(int count) {
      return new Status(status, body, headers, count);
    }

    /** The same fault with one more response header. */
    public Status withHeader(String name, String value) {
      Map<String, String> more = new LinkedHashMap<>(headers);
      more.put(name, value);
      return new Status(status, body, more, count);
    }

    /** The same fault with this body instead of the provider's recorded one. */
    public Status withBody(String body) {
      return new Status(status, body, headers, count);
    }
  }

  /**
   * Accept the request and never answer ({@code delayMs} 0), or answer normally only after {@code
   * delayMs} milliseconds.
   */
  record Timeout(long delayMs, int count) implements Fault {
    public Timeout {
      if (delayMs < 0) {
        throw new IllegalArgumentException("delayMs must not be negative, was " + delayMs);
      }
      requireCount(count);
    }

    @Override
    public Timeout times(int count) {
      return new Timeout(delayMs, count);
    }
  }

  /**
   * Streams: send {@code afterChunks} chunks, then close the connection without {@code [DONE]}.
   * Non-streaming requests: close the connection without a response.
   */
  record Cut(int afterChunks, int count) implements Fault {
    public Cut {
      requireAfter(afterChunks);
      requireCount(count);
    }

    @Override
    public Cut times(int count) {
      return new Cut(afterChunks, count);
    }
  }

  /**
   * Streams: after {@code afterChunks} chunks send one chunk whose data is not JSON, then the rest
   * of the stream. Non-streaming requests: a 200 whose body is not JSON.
   */
  record Malformed(int afterChunks, int count) implements Fault {
    public Malformed {
      requireAfter(afterChunks);
      requireCount(count);
    }

    @Override
    public Malformed times(int count) {
      return new Malformed(afterChunks, count);
    }
  }

  /**
   * Streams: an HTTP 200 stream that, after {@code afterChunks} chunks, carries an error and ends
   * (no {@code [DONE]}): {@code event: error} plus {@code data: {"error":{...}}} (style {@link
   * ErrorStyle#EVENT}, as Groq sends) or a plain data chunk (style {@link ErrorStyle#DATA}). {@code
   * body} replaces the default error payload. Non-streaming requests: a 200 with the error body.
   */
  record ErrorEvent(int afterChunks, ErrorStyle style, String body, int count) implements Fault {
    public ErrorEvent {
      requireAfter(afterChunks);
      style = style == null ? ErrorStyle.EVENT : style;
      requireCount(count);
    }

    @Override
    public ErrorEvent times(int count) {
      return new ErrorEvent(afterChunks, style, body, count);
    }

    public ErrorEvent withStyle(ErrorStyle style) {
      return new ErrorEvent(afterChunks, style, body, count);
    }

    public ErrorEvent withBody(String body) {
      return new ErrorEvent(afterChunks, style, body, count);
    }
  }

  /**
   * The provider fails after {@code afterChunks} tokens of output. Streams: those chunks, then a
   * plain {@code data: {"error":{...}}} chunk, and the stream ends. Non-streaming requests (OpenAI
   * dialect): a 200 {@code chat.completion} holding the partial text, {@code finish_reason:
   * "error"} and {@code choices[0].error}, as an aggregator such as OpenRouter answers; the other
   * dialects answer as {@link ErrorEvent} does.
   */
  record Partial(int afterChunks, int count) implements Fault {
    public Partial {
      requireAfter(afterChunks);
      requireCount(count);
    }

    @Override
    public Partial times(int count) {
      return new Partial(afterChunks, count);
    }
  }

  /**
   * The reply is planned as usual, but when it calls tools the calls are broken in one way: {@code
   * INVALID_JSON} (arguments cut in the middle), {@code UNKNOWN_NAME} (a tool the request did not
   * offer) or {@code SCHEMA_MISMATCH} (arguments that are a JSON array, not the object the schema
   * asks for). Replies without tool calls are left alone.
   */
  record BadToolCalls(ToolCallDefect defect, int count) implements Fault {
    public BadToolCalls {
      defect = defect == null ? ToolCallDefect.INVALID_JSON : defect;
      requireCount(count);
    }

    @Override
    public BadToolCalls times(int count) {
      return new BadToolCalls(defect, count);
    }
  }

  /** How {@link BadToolCalls} breaks a call. */
  enum ToolCallDefect {
    INVALID_JSON,
    UNKNOWN_NAME,
    SCHEMA_MISMATCH
  }

  /** How a mid-stream error is framed. */
  enum ErrorStyle {
    /** {@code event: error} then {@code data: {...}}. */
    EVENT,
    /** A plain {@code data: {...}} chunk. */
    DATA
  }

  /** HTTP {@code status} with the provider's recorded error body, until cleared. */
  static Status status(int status) {
    return new Status(status, null, Map.of(), UNTIL_CLEARED);
  }

  /** Never answer, until cleared. */
  static Timeout timeout() {
    return new Timeout(0, UNTIL_CLEARED);
  }

  /** Answer normally after {@code delay}, until cleared. */
  static Timeout delay(Duration delay) {
    return new Timeout(Math.max(1, delay.toMillis()), UNTIL_CLEARED);
  }

  /** Cut streams after {@code afterChunks} chunks, until cleared. */
  static Cut cut(int afterChunks) {
    return new Cut(afterChunks, UNTIL_CLEARED);
  }

  /** A malformed chunk after {@code afterChunks} chunks, until cleared. */
  static Malformed malformed(int afterChunks) {
    return new Malformed(afterChunks, UNTIL_CLEARED);
  }

  /** An {@code event: error} after {@code afterChunks} chunks, until cleared. */
  static ErrorEvent errorEvent(int afterChunks) {
    return new ErrorEvent(afterChunks, ErrorStyle.EVENT, null, UNTIL_CLEARED);
  }

  /** Fail after {@code afterChunks} tokens of output, until cleared. */
  static Partial partial(int afterChunks) {
    return new Partial(afterChunks, UNTIL_CLEARED);
  }

  /** Broken tool calls of kind {@code defect}, until cleared. */
  static BadToolCalls badToolCalls(ToolCallDefect defect) {
    return new BadToolCalls(defect, UNTIL_CLEARED);
  }

  private static void requireCount(int count) {
    if (count < 0) {
      throw new IllegalArgumentException("count must not be negative, was " + count);
    }
  }

  private static void requireAfter(int afterChunks) {
    if (afterChunks < 0) {
      throw new IllegalArgumentException("afterChunks must not be negative, was " + afterChunks);
    }
  }
}
