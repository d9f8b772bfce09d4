package dev.switchboard.server.http;

import dev.switchboard.server.pipeline.ClientChannel;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import java.util.Map;

/**
 * The pipeline's {@link ClientChannel} over a Vert.x response: a stream's bytes are batched in one
 * buffer and go out in one write per flush; a full socket reports back so the serving upstream is
 * paused until it drains.
 */
final class HttpClientChannel implements ClientChannel {

  private final HttpServerResponse response;
  private Buffer pending;

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
    // Wrapped, not copied (Buffer.buffer(byte[]) copies): the body is ours and never changes.
    response.end(
        io.vertx.core.internal.buffer.BufferInternal.buffer(
            io.netty.buffer.Unpooled.wrappedBuffer(body)));
  }

  @Override
  public void startStream(Map<String, String> headers) {
    response.setStatusCode(200).setChunked(true);
    headers.forEach(response::putHeader);
  }

  @Override
  public void append(byte[] bytes) {
    if (pending == null) {
      pending = Buffer.buffer(1024);
    }
    pending.appendBytes(bytes);
  }

  @Override
  public boolean flush(Runnable onDrain) {
    if (pending == null || response.closed()) {
      pending = null;
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
      pending = null;
      return;
    }
    response.end(take());
  }

  @Override
  public void end(Map<String, String> trailers) {
    if (closed()) {
      pending = null;
      return;
    }
    if (response.isChunked()) {
      trailers.forEach(response::putTrailer);
    }
    response.end(take());
  }

  @Override
  public void abort() {
    pending = null;
    if (!closed()) {
      // HTTP/1.x: closes the connection mid-body (the chunked body never gets its last chunk);
      // HTTP/2: resets the stream.
      response.reset();
    }
  }

  private Buffer take() {
    Buffer out = pending != null ? pending : Buffer.buffer(0);
    pending = null;
    return out;
  }
}
