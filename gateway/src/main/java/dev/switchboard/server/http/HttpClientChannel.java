package dev.switchboard.server.http;

import dev.switchboard.server.pipeline.ClientChannel;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import java.util.Map;

/**
 * The pipeline's {@link ClientChannel} over a Vert.x response: a stream's bytes are batched and go
 * out in one write per flush; a full socket reports back so the serving upstream is paused until it
 * drains.
 */
final class HttpClientChannel implements ClientChannel {

  private final HttpServerResponse response;
  private static final byte[][] NONE = new byte[0][];
  private static final int[] NO_LENGTHS = new int[0];
  private byte[][] parts = NONE;
  private int[] lengths = NO_LENGTHS;
  private int count;
  private int size;

  HttpClientChannel(HttpServerResponse response) {
    this.response = response;
  }

  @Override
  public boolean closed() {
    return response.closed() || response.ended();
  }

  @Override
  public void onClose(Runnable onClose) {
    response.closeHandler(v -> onClose.run());
  }

  @Override
  public boolean headWritten() {
    return response.headWritten();
  }

  @Override
  public void respond(int status, Map<String, String> headers, byte[] body) {
    if (closed()) {
      return;
    }
    response.setStatusCode(status);
    headers.forEach(response::putHeader);
    response.end(wrapped(body, body.length));
  }

  @Override
  public void startStream(Map<String, String> headers) {
    response.setStatusCode(200).setChunked(true);
    headers.forEach(response::putHeader);
  }

  /**
   * Kept as they come and joined once, at the flush, into one array of the exact size (one alone is
   * sent as it is): a buffer that grew from 1 KB as a turn's frames arrived copied a 15 KB stream
   * about twice over (24 KB of garbage a stream, JFR 2026-12-04). The arrays are never changed
   * after they are appended.
   */
  @Override
  public void append(byte[] bytes) {
    append(bytes, bytes.length);
  }

  @Override
  public void append(byte[] bytes, int length) {
    if (parts.length == count) {
      parts = java.util.Arrays.copyOf(parts, Math.max(16, count * 2));
      lengths = java.util.Arrays.copyOf(lengths, parts.length);
    }
    parts[count] = bytes;
    lengths[count++] = length;
    size += length;
  }

  @Override
  public boolean flush(Runnable onDrain) {
    if (count == 0 || response.closed()) {
      clear();
      return true;
    }
    response.write(take());
    if (response.writeQueueFull()) {
      response.drainHandler(v -> onDrain.run());
      return false;
    }
    return true;
  }

  @Override
  public void end() {
    if (closed()) {
      clear();
      return;
    }
    response.end(take());
  }

  @Override
  public void end(Map<String, String> trailers) {
    if (closed()) {
      clear();
      return;
    }
    if (response.isChunked()) {
      trailers.forEach(response::putTrailer);
    }
    response.end(take());
  }

  @Override
  public void abort() {
    clear();
    if (!closed()) {
      // HTTP/1.x: closes the connection mid-body (the chunked body never gets its last chunk);
      // HTTP/2: resets the stream.
      response.reset();
    }
  }

  private Buffer take() {
    byte[] out;
    int length = size;
    if (count == 1) {
      out = parts[0];
    } else {
      out = new byte[size];
      int at = 0;
      for (int i = 0; i < count; i++) {
        System.arraycopy(parts[i], 0, out, at, lengths[i]);
        at += lengths[i];
      }
    }
    clear();
    return wrapped(out, length);
  }

  /** {@code bytes[0, length)} as a buffer, wrapped: {@code Buffer.buffer(byte[])} would copy it. */
  private static Buffer wrapped(byte[] bytes, int length) {
    return io.vertx.core.internal.buffer.BufferInternal.buffer(
        io.netty.buffer.Unpooled.wrappedBuffer(bytes, 0, length));
  }

  private void clear() {
    java.util.Arrays.fill(parts, 0, count, null);
    count = 0;
    size = 0;
  }
}
