package dev.switchboard.client.internal;

import dev.switchboard.sse.SseEvent;
import dev.switchboard.sse.SseReader;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayDeque;

/**
 * Pulls SSE events out of a response body, blocking the calling thread until one is complete.
 * Comments ({@code : OPENROUTER PROCESSING}) are counted and skipped. Not thread-safe.
 */
public final class SseEventSource implements AutoCloseable {

  private final InputStream in;
  private final ArrayDeque<SseEvent> ready = new ArrayDeque<>();
  private final SseReader reader;
  private final byte[] buffer = new byte[8192];
  private boolean eof;
  private int comments;

  public SseEventSource(InputStream in) {
    this.in = in;
    this.reader = SseReader.builder().onEvent(ready::add).onComment(c -> comments++).build();
  }

  /** The next event, or null at the end of the body. */
  public SseEvent next() throws IOException {
    while (ready.isEmpty() && !eof) {
      int n = in.read(buffer);
      if (n < 0) {
        eof = true;
        reader.finish();
      } else if (n > 0) {
        reader.feed(buffer, 0, n);
      }
    }
    return ready.poll();
  }

  /** How many comments were skipped so far. */
  public int comments() {
    return comments;
  }

  @Override
  public void close() throws IOException {
    eof = true;
    in.close();
  }
}
