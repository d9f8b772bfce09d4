package dev.switchboard.sse;

/**
 * One server-sent event. {@code event} is the event name ({@code null} when the stream gave none,
 * which means "message"); {@code data} is the data lines joined with {@code \n}; {@code id} and
 * {@code retry} are null when absent.
 */
public record SseEvent(String event, String data, String id, Long retry) {

  public static SseEvent data(String data) {
    return new SseEvent(null, data, null, null);
  }

  public static SseEvent named(String event, String data) {
    return new SseEvent(event, data, null, null);
  }

  /** The event name, with the SSE default {@code message} when none was given. */
  public String type() {
    return event == null ? "message" : event;
  }

  /** Whether this is OpenAI's end-of-stream sentinel {@code [DONE]}. */
  public boolean isDone() {
    return "[DONE]".equals(data);
  }
}
