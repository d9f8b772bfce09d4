package dev.switchboard.sse;

import java.nio.charset.StandardCharsets;

/**
 * Frames server-sent events as {@code text/event-stream} bytes, the way OpenAI-dialect servers
 * write them: {@code data: <payload>\n\n}, with {@code event:}, {@code id:} and {@code retry:}
 * lines first when set. Data that holds line breaks ({@code \n}, {@code \r\n} or {@code \r}) is
 * split into several {@code data:} lines, which a reader joins back with {@code \n}.
 *
 * <p>The {@code append*} methods write into a caller's {@link StringBuilder}, so a whole stream can
 * be framed without a String per event; the others return UTF-8 bytes ready for the socket.
 */
public final class SseWriter {

  private static final byte[] DONE = "data: [DONE]\n\n".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] DATA_PREFIX = "data: ".getBytes(StandardCharsets.US_ASCII);

  private SseWriter() {}

  /** {@code data: <data>\n\n}, split into several data lines when {@code data} has line breaks. */
  public static byte[] data(String data) {
    if (indexOfLineBreak(data) < 0) {
      byte[] payload = data.getBytes(StandardCharsets.UTF_8);
      byte[] out = new byte[DATA_PREFIX.length + payload.length + 2];
      System.arraycopy(DATA_PREFIX, 0, out, 0, DATA_PREFIX.length);
      System.arraycopy(payload, 0, out, DATA_PREFIX.length, payload.length);
      out[out.length - 2] = '\n';
      out[out.length - 1] = '\n';
      return out;
    }
    return bytes(appendData(new StringBuilder(data.length() + 16), data));
  }

  /** {@code event: <event>\ndata: <data>\n\n}. */
  public static byte[] event(String event, String data) {
    return bytes(appendEvent(new StringBuilder(data.length() + 32), SseEvent.named(event, data)));
  }

  /** The whole event: {@code event}, {@code id} and {@code retry} lines when set, then data. */
  public static byte[] encode(SseEvent event) {
    int size = event.data() == null ? 16 : event.data().length() + 32;
    return bytes(appendEvent(new StringBuilder(size), event));
  }

  /** A comment, one {@code : } line per line of {@code text}, then a blank line. */
  public static byte[] comment(String text) {
    return bytes(appendComment(new StringBuilder(text.length() + 8), text));
  }

  /** OpenAI's end-of-stream sentinel {@code data: [DONE]\n\n}. */
  public static byte[] done() {
    return DONE.clone();
  }

  /** Appends {@code data: <data>\n\n} (several data lines when {@code data} has line breaks). */
  public static StringBuilder appendData(StringBuilder out, CharSequence data) {
    appendField(out, "data", data);
    return out.append('\n');
  }

  /** Appends the whole event; see {@link #encode(SseEvent)}. */
  public static StringBuilder appendEvent(StringBuilder out, SseEvent event) {
    if (event.event() != null) {
      out.append("event: ").append(singleLine("event", event.event())).append('\n');
    }
    if (event.id() != null) {
      String id = singleLine("id", event.id());
      if (id.indexOf('\0') >= 0) {
        throw new IllegalArgumentException("SSE id must not contain NUL");
      }
      out.append("id: ").append(id).append('\n');
    }
    if (event.retry() != null) {
      if (event.retry() < 0) {
        throw new IllegalArgumentException("SSE retry must not be negative: " + event.retry());
      }
      out.append("retry: ").append(event.retry().longValue()).append('\n');
    }
    appendField(out, "data", event.data() == null ? "" : event.data());
    return out.append('\n');
  }

  /** Appends a comment (one {@code : } line per line of {@code text}) and a blank line. */
  public static StringBuilder appendComment(StringBuilder out, CharSequence text) {
    int start = 0;
    int n = text.length();
    while (true) {
      int end = indexOfLineBreak(text, start);
      out.append(':');
      if (end < 0 ? start < n : end > start) {
        out.append(' ').append(text, start, end < 0 ? n : end);
      }
      out.append('\n');
      if (end < 0) {
        break;
      }
      start = skipLineBreak(text, end);
    }
    return out.append('\n');
  }

  /** Appends {@code data: [DONE]\n\n}. */
  public static StringBuilder appendDone(StringBuilder out) {
    return out.append("data: [DONE]\n\n");
  }

  private static void appendField(StringBuilder out, String field, CharSequence value) {
    int start = 0;
    int n = value.length();
    while (true) {
      int end = indexOfLineBreak(value, start);
      int stop = end < 0 ? n : end;
      out.append(field).append(':');
      if (stop > start) {
        out.append(' ').append(value, start, stop);
      }
      out.append('\n');
      if (end < 0) {
        return;
      }
      start = skipLineBreak(value, end);
    }
  }

  private static String singleLine(String field, String value) {
    if (indexOfLineBreak(value) >= 0) {
      throw new IllegalArgumentException("SSE " + field + " must not contain a line break");
    }
    return value;
  }

  private static int indexOfLineBreak(CharSequence s) {
    return indexOfLineBreak(s, 0);
  }

  private static int indexOfLineBreak(CharSequence s, int from) {
    // String and StringBuilder searches are intrinsified; most payloads have no line break.
    if (s instanceof String str) {
      return firstOf(str.indexOf('\n', from), str.indexOf('\r', from));
    }
    if (s instanceof StringBuilder sb) {
      return firstOf(sb.indexOf("\n", from), sb.indexOf("\r", from));
    }
    for (int i = from, n = s.length(); i < n; i++) {
      char c = s.charAt(i);
      if (c == '\n' || c == '\r') {
        return i;
      }
    }
    return -1;
  }

  private static int firstOf(int a, int b) {
    return a < 0 ? b : b < 0 ? a : Math.min(a, b);
  }

  private static int skipLineBreak(CharSequence s, int at) {
    if (s.charAt(at) == '\r' && at + 1 < s.length() && s.charAt(at + 1) == '\n') {
      return at + 2;
    }
    return at + 1;
  }

  private static byte[] bytes(StringBuilder text) {
    return text.toString().getBytes(StandardCharsets.UTF_8);
  }
}
