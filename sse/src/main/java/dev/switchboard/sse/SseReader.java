package dev.switchboard.sse;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * An incremental {@code text/event-stream} parser that follows the WHATWG rules (HTML Living
 * Standard, "Server-sent events", section "Event stream interpretation").
 *
 * <p>Feed it bytes or chars split anywhere (mid-line, mid-UTF-8 sequence, between {@code \r} and
 * {@code \n}); it calls the event listener once per complete event, in order, on the calling
 * thread. The rules it applies:
 *
 * <ul>
 *   <li>lines end with {@code \n}, {@code \r\n} or a lone {@code \r}; one leading UTF-8 BOM is
 *       skipped;
 *   <li>a line starting with {@code :} is a comment, passed (without the colon and one optional
 *       space) to the comment listener when there is one;
 *   <li>{@code field:value} with one optional space after the colon removed; a line without a colon
 *       is a field with an empty value; unknown fields are ignored;
 *   <li>{@code data} lines are joined with {@code \n}; {@code event} names the event; {@code id}
 *       sets the last event id, which per the spec <em>persists</em> across later events until
 *       another {@code id} line changes it (an empty {@code id} clears it; an id containing NUL is
 *       ignored); {@code retry} is taken only when it is all ASCII digits and is reported on the
 *       event whose block carried it, and by {@link #retry()};
 *   <li>an event is dispatched at a blank line, and only if it had at least one {@code data} line;
 *       a blank line after an event without data just resets the event name;
 *   <li>at the end of the input a last event without a blank line is dispatched only when the
 *       caller says so with {@link #finish()} (the spec discards it; gateways usually want it).
 * </ul>
 *
 * <p>Memory is bounded: one event (its data plus the line being read) may not exceed {@link
 * Builder#maxEventBytes(int)} bytes; beyond that {@link SseException} is thrown and the reader
 * refuses further input. Lines are decoded only once complete, so UTF-8 sequences split across
 * feeds decode correctly; malformed UTF-8 becomes U+FFFD.
 *
 * <p>Not thread-safe: one reader per stream, fed from one thread at a time.
 */
public final class SseReader {

  /** The default limit on one event: 8 MiB. */
  public static final int DEFAULT_MAX_EVENT_BYTES = 8 * 1024 * 1024;

  private static final byte[] BOM = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
  private static final byte[] DONE = "[DONE]".getBytes(StandardCharsets.US_ASCII);
  private static final String DONE_STRING = "[DONE]";
  private static final int INITIAL_CAPACITY = 512;
  private static final int SHRINK_ABOVE = 64 * 1024;
  private static final int CHAR_BLOCK = 1024;

  private final Consumer<SseEvent> onEvent;
  private final Consumer<String> onComment;
  private final int maxEventBytes;

  // The line being read when it spans feeds.
  private byte[] line = new byte[INITIAL_CAPACITY];
  private int lineLen;
  private boolean lastWasCr;
  private boolean bomPending = true;
  private int bomMatched;

  // The event being built.
  private byte[] data = new byte[INITIAL_CAPACITY];
  private int dataLen;
  private boolean hasData;
  private String eventName;
  private Long eventRetry;
  private String lastEventId;
  private Long retry;

  // Small caches so repeated names and ids do not allocate a String per event.
  private final DecodeCache nameCache = new DecodeCache();
  private final DecodeCache idCache = new DecodeCache();

  private byte[] charScratch;
  private char pendingHighSurrogate;
  private boolean failed;

  private SseReader(Consumer<SseEvent> onEvent, Consumer<String> onComment, int maxEventBytes) {
    this.onEvent = onEvent;
    this.onComment = onComment;
    this.maxEventBytes = maxEventBytes;
  }

  /** A reader that passes events to {@code onEvent} and skips comments. */
  public static SseReader create(Consumer<SseEvent> onEvent) {
    return builder().onEvent(onEvent).build();
  }

  /** A builder for a reader with a comment listener or another size limit. */
  public static Builder builder() {
    return new Builder();
  }

  /** Parses a whole stream, including a last event that lacks its blank line. */
  public static List<SseEvent> parse(byte[] stream) {
    List<SseEvent> events = new ArrayList<>();
    SseReader reader = create(events::add);
    reader.feed(stream);
    reader.finish();
    return events;
  }

  /** Parses a whole stream given as text, including a last event that lacks its blank line. */
  public static List<SseEvent> parse(CharSequence stream) {
    List<SseEvent> events = new ArrayList<>();
    SseReader reader = create(events::add);
    reader.feed(stream);
    reader.finish();
    return events;
  }

  /** Feeds all of {@code bytes}. */
  public void feed(byte[] bytes) {
    feed(bytes, 0, bytes.length);
  }

  /** Feeds {@code length} bytes of {@code bytes} from {@code offset}. */
  public void feed(byte[] bytes, int offset, int length) {
    Objects.checkFromIndexSize(offset, length, bytes.length);
    ensureUsable();
    int end = offset + length;
    int start = offset;
    if (bomPending) {
      start = skipBom(bytes, start, end);
      if (bomPending) {
        return;
      }
    }
    scan(bytes, start, end);
  }

  /** Feeds the remaining bytes of {@code buffer}, advancing its position to its limit. */
  public void feed(ByteBuffer buffer) {
    if (buffer.hasArray()) {
      int pos = buffer.position();
      feed(buffer.array(), buffer.arrayOffset() + pos, buffer.limit() - pos);
      buffer.position(buffer.limit());
      return;
    }
    byte[] chunk = new byte[Math.min(buffer.remaining(), 8192)];
    while (buffer.hasRemaining()) {
      int n = Math.min(chunk.length, buffer.remaining());
      buffer.get(chunk, 0, n);
      feed(chunk, 0, n);
    }
  }

  /**
   * Feeds text. It is encoded as UTF-8 and read exactly like bytes; a surrogate pair split across
   * two calls is joined.
   */
  public void feed(CharSequence chars) {
    ensureUsable();
    if (charScratch == null) {
      charScratch = new byte[CHAR_BLOCK * 3 + 4];
    }
    int n = chars.length();
    int i = 0;
    while (i < n) {
      int limit = Math.min(n, i + CHAR_BLOCK);
      int p = 0;
      byte[] out = charScratch;
      for (; i < limit; i++) {
        char c = chars.charAt(i);
        if (pendingHighSurrogate != 0) {
          char high = pendingHighSurrogate;
          pendingHighSurrogate = 0;
          if (Character.isLowSurrogate(c)) {
            int cp = Character.toCodePoint(high, c);
            out[p++] = (byte) (0xF0 | (cp >> 18));
            out[p++] = (byte) (0x80 | ((cp >> 12) & 0x3F));
            out[p++] = (byte) (0x80 | ((cp >> 6) & 0x3F));
            out[p++] = (byte) (0x80 | (cp & 0x3F));
            continue;
          }
          p = putReplacement(out, p);
        }
        if (c < 0x80) {
          out[p++] = (byte) c;
        } else if (c < 0x800) {
          out[p++] = (byte) (0xC0 | (c >> 6));
          out[p++] = (byte) (0x80 | (c & 0x3F));
        } else if (Character.isHighSurrogate(c)) {
          pendingHighSurrogate = c;
        } else if (Character.isLowSurrogate(c)) {
          p = putReplacement(out, p);
        } else {
          out[p++] = (byte) (0xE0 | (c >> 12));
          out[p++] = (byte) (0x80 | ((c >> 6) & 0x3F));
          out[p++] = (byte) (0x80 | (c & 0x3F));
        }
      }
      feed(out, 0, p);
    }
  }

  /**
   * Ends the stream: a last line without a line break is read, and a last event without its blank
   * line is dispatched. The reader is then reset (last event id included) and may read a new
   * stream.
   */
  public void finish() {
    ensureUsable();
    if (pendingHighSurrogate != 0) {
      pendingHighSurrogate = 0;
      byte[] replacement = new byte[3];
      feed(replacement, 0, putReplacement(replacement, 0));
    }
    if (bomPending && bomMatched > 0) {
      bomPending = false;
      scan(BOM, 0, bomMatched);
    }
    if (lineLen > 0) {
      int len = lineLen;
      lineLen = 0;
      processLine(line, 0, len);
    }
    dispatch();
    lastWasCr = false;
    bomPending = true;
    bomMatched = 0;
    lastEventId = null;
    retry = null;
  }

  /**
   * The reconnection time from the last valid {@code retry} field, in milliseconds, or null when
   * the stream has not set one.
   */
  public Long retry() {
    return retry;
  }

  /** The last event id the stream set, or null. */
  public String lastEventId() {
    return lastEventId;
  }

  private void ensureUsable() {
    if (failed) {
      throw new IllegalStateException("this SseReader failed earlier; use a new one");
    }
  }

  /** Matches the optional BOM at the very start; returns where normal scanning begins. */
  private int skipBom(byte[] b, int start, int end) {
    int i = start;
    while (i < end && bomMatched < BOM.length && b[i] == BOM[bomMatched]) {
      bomMatched++;
      i++;
    }
    if (bomMatched == BOM.length) {
      bomPending = false;
    } else if (i < end) {
      // Not a BOM after all: the bytes matched so far are ordinary content.
      bomPending = false;
      scan(BOM, 0, bomMatched);
    }
    return i;
  }

  private void scan(byte[] b, int start, int end) {
    int i = start;
    if (lastWasCr) {
      lastWasCr = false;
      if (i < end && b[i] == '\n') {
        i++;
      }
    }
    int lineStart = i;
    while (i < end) {
      byte c = b[i];
      if (c != '\n' && c != '\r') {
        i++;
        continue;
      }
      if (lineLen > 0) {
        appendLine(b, lineStart, i - lineStart);
        int len = lineLen;
        lineLen = 0;
        processLine(line, 0, len);
        if (line.length > SHRINK_ABOVE) {
          line = new byte[INITIAL_CAPACITY];
        }
      } else {
        checkSize(i - lineStart);
        processLine(b, lineStart, i - lineStart);
      }
      i++;
      if (c == '\r') {
        if (i < end) {
          if (b[i] == '\n') {
            i++;
          }
        } else {
          lastWasCr = true;
        }
      }
      lineStart = i;
    }
    if (lineStart < end) {
      appendLine(b, lineStart, end - lineStart);
    }
  }

  private void processLine(byte[] b, int off, int len) {
    if (len == 0) {
      dispatch();
      return;
    }
    int end = off + len;
    if (b[off] == ':') {
      if (onComment != null) {
        int s = off + 1;
        if (s < end && b[s] == ' ') {
          s++;
        }
        onComment.accept(new String(b, s, end - s, StandardCharsets.UTF_8));
      }
      return;
    }
    int colon = off;
    while (colon < end && b[colon] != ':') {
      colon++;
    }
    int nameLen = colon - off;
    int valueStart = colon;
    if (colon < end) {
      valueStart = colon + 1;
      if (valueStart < end && b[valueStart] == ' ') {
        valueStart++;
      }
    }
    int valueLen = end - valueStart;
    switch (nameLen) {
      case 4 -> {
        if (b[off] == 'd' && b[off + 1] == 'a' && b[off + 2] == 't' && b[off + 3] == 'a') {
          appendData(b, valueStart, valueLen);
        }
      }
      case 5 -> {
        if (is(b, off, "event")) {
          eventName = valueLen == 0 ? null : nameCache.decode(b, valueStart, valueLen);
        } else if (is(b, off, "retry")) {
          Long value = parseDigits(b, valueStart, valueLen);
          if (value != null) {
            eventRetry = value;
            retry = value;
          }
        }
      }
      case 2 -> {
        if (b[off] == 'i' && b[off + 1] == 'd' && indexOfNul(b, valueStart, valueLen) < 0) {
          lastEventId = valueLen == 0 ? null : idCache.decode(b, valueStart, valueLen);
        }
      }
      default -> {
        // Unknown field: ignored, as the spec says.
      }
    }
  }

  private void dispatch() {
    if (!hasData) {
      eventName = null;
      eventRetry = null;
      return;
    }
    String text =
        dataLen == DONE.length && regionEquals(data, 0, DONE)
            ? DONE_STRING
            : new String(data, 0, dataLen, StandardCharsets.UTF_8);
    SseEvent event = new SseEvent(eventName, text, lastEventId, eventRetry);
    hasData = false;
    dataLen = 0;
    eventName = null;
    eventRetry = null;
    if (data.length > SHRINK_ABOVE) {
      data = new byte[INITIAL_CAPACITY];
    }
    onEvent.accept(event);
  }

  private void appendData(byte[] b, int off, int len) {
    int needed = dataLen + len + (hasData ? 1 : 0);
    checkSize(needed);
    if (needed > data.length) {
      data = grow(data, dataLen, needed);
    }
    if (hasData) {
      data[dataLen++] = '\n';
    }
    System.arraycopy(b, off, data, dataLen, len);
    dataLen += len;
    hasData = true;
  }

  private void appendLine(byte[] b, int off, int len) {
    int needed = lineLen + len;
    checkSize(needed);
    if (needed > line.length) {
      line = grow(line, lineLen, needed);
    }
    System.arraycopy(b, off, line, lineLen, len);
    lineLen = needed;
  }

  private void checkSize(int lineBytes) {
    long total = (long) lineBytes + dataLen;
    if (total > maxEventBytes) {
      failed = true;
      lineLen = 0;
      dataLen = 0;
      hasData = false;
      throw new SseException(
          "SSE event exceeds the maximum size of "
              + maxEventBytes
              + " bytes (at least "
              + total
              + " bytes without a blank line); raise SseReader.Builder.maxEventBytes if the"
              + " stream is legitimate");
    }
  }

  private static byte[] grow(byte[] array, int used, int needed) {
    int capacity = Math.max(needed, array.length * 2);
    byte[] bigger = new byte[capacity];
    System.arraycopy(array, 0, bigger, 0, used);
    return bigger;
  }

  private static boolean is(byte[] b, int off, String ascii) {
    for (int k = 0; k < ascii.length(); k++) {
      if (b[off + k] != ascii.charAt(k)) {
        return false;
      }
    }
    return true;
  }

  private static boolean regionEquals(byte[] b, int off, byte[] expected) {
    for (int k = 0; k < expected.length; k++) {
      if (b[off + k] != expected[k]) {
        return false;
      }
    }
    return true;
  }

  private static int indexOfNul(byte[] b, int off, int len) {
    for (int k = off; k < off + len; k++) {
      if (b[k] == 0) {
        return k;
      }
    }
    return -1;
  }

  /** The value when it is one or more ASCII digits (and fits a long), else null. */
  private static Long parseDigits(byte[] b, int off, int len) {
    if (len == 0 || len > 18) {
      return null;
    }
    long value = 0;
    for (int k = off; k < off + len; k++) {
      int digit = b[k] - '0';
      if (digit < 0 || digit > 9) {
        return null;
      }
      value = value * 10 + digit;
    }
    return value;
  }

  private static int putReplacement(byte[] out, int p) {
    out[p] = (byte) 0xEF;
    out[p + 1] = (byte) 0xBF;
    out[p + 2] = (byte) 0xBD;
    return p + 3;
  }

  /** Remembers the last decoded value so a repeated field value is not decoded again. */
  private static final class DecodeCache {
    private byte[] bytes = new byte[0];
    private String value;

    String decode(byte[] b, int off, int len) {
      if (value != null && len == bytes.length && regionEquals(b, off, bytes)) {
        return value;
      }
      bytes = Arrays.copyOfRange(b, off, off + len);
      value = new String(bytes, StandardCharsets.UTF_8);
      return value;
    }
  }

  /** Configures a reader. */
  public static final class Builder {
    private Consumer<SseEvent> onEvent;
    private Consumer<String> onComment;
    private int maxEventBytes = DEFAULT_MAX_EVENT_BYTES;

    private Builder() {}

    /** Required: receives each complete event. */
    public Builder onEvent(Consumer<SseEvent> listener) {
      this.onEvent = Objects.requireNonNull(listener, "onEvent");
      return this;
    }

    /**
     * Receives the text of each comment line, without the leading colon and one optional space
     * ({@code ": OPENROUTER PROCESSING"} gives {@code "OPENROUTER PROCESSING"}).
     */
    public Builder onComment(Consumer<String> listener) {
      this.onComment = Objects.requireNonNull(listener, "onComment");
      return this;
    }

    /** The most bytes one event (data plus the current line) may take; default 8 MiB. */
    public Builder maxEventBytes(int bytes) {
      if (bytes < 1) {
        throw new IllegalArgumentException("maxEventBytes must be positive, was " + bytes);
      }
      this.maxEventBytes = bytes;
      return this;
    }

    public SseReader build() {
      if (onEvent == null) {
        throw new IllegalStateException("SseReader needs an onEvent listener");
      }
      return new SseReader(onEvent, onComment, maxEventBytes);
    }
  }
}
