package dev.switchboard.testkit;

import dev.switchboard.sse.SseEvent;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Loads test resources: bytes, text, and recorded streams as {@link SseEvent}s.
 *
 * <p>Two stream formats are understood: raw {@code text/event-stream} bodies ({@code *.sse}, parsed
 * per the SSE spec: {@code data:}/{@code event:}/{@code id:}/{@code retry:} fields, comments
 * skipped, an event dispatched at each blank line) and the AI SDK recorder format ({@code
 * *.chunks.txt}: one {@code data:} payload per line, nothing else).
 */
public final class Fixtures {

  private Fixtures() {}

  /** The resource's bytes; {@code path} is relative to the classpath root (no leading slash). */
  public static byte[] bytes(String path) {
    ClassLoader loader = Thread.currentThread().getContextClassLoader();
    try (InputStream in = loader.getResourceAsStream(path)) {
      if (in == null) {
        throw new IllegalArgumentException("No test resource " + path);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The resource as UTF-8 text. */
  public static String string(String path) {
    return new String(bytes(path), StandardCharsets.UTF_8);
  }

  /** Whether the resource exists on the classpath. */
  public static boolean exists(String path) {
    return Thread.currentThread().getContextClassLoader().getResource(path) != null;
  }

  /** A recorded stream as events: {@code *.chunks.txt} line by line, anything else as raw SSE. */
  public static List<SseEvent> sseEvents(String path) {
    String text = string(path);
    return path.endsWith(".chunks.txt") ? chunkLines(text) : parseSse(text);
  }

  /** AI SDK recorder format: each non-blank line is one {@code data:} payload. */
  public static List<SseEvent> chunkLines(String text) {
    List<SseEvent> events = new ArrayList<>();
    for (String line : text.split("\r\n|\n|\r")) {
      if (!line.isBlank()) {
        events.add(SseEvent.data(line));
      }
    }
    return events;
  }

  /** A raw {@code text/event-stream} body, parsed per the WHATWG SSE rules. */
  public static List<SseEvent> parseSse(String text) {
    List<SseEvent> events = new ArrayList<>();
    String event = null;
    String id = null;
    Long retry = null;
    StringBuilder data = null;
    for (String line : text.split("\r\n|\n|\r", -1)) {
      if (line.isEmpty()) {
        if (data != null) {
          events.add(new SseEvent(event, data.toString(), id, retry));
        }
        event = null;
        retry = null;
        data = null;
        continue;
      }
      if (line.startsWith(":")) {
        continue;
      }
      int colon = line.indexOf(':');
      String field = colon < 0 ? line : line.substring(0, colon);
      String value = colon < 0 ? "" : line.substring(colon + 1);
      if (value.startsWith(" ")) {
        value = value.substring(1);
      }
      switch (field) {
        case "data" -> {
          if (data == null) {
            data = new StringBuilder(value);
          } else {
            data.append('\n').append(value);
          }
        }
        case "event" -> event = value;
        case "id" -> id = value;
        case "retry" -> {
          try {
            retry = Long.parseLong(value);
          } catch (NumberFormatException ignored) {
            // the spec says: ignore the field
          }
        }
        default -> {
          // unknown fields are ignored
        }
      }
    }
    if (data != null) {
      events.add(new SseEvent(event, data.toString(), id, retry));
    }
    return events;
  }
}
