package dev.switchboard.server.upstream;

import dev.switchboard.core.media.SplicedBody;
import dev.switchboard.core.provider.HttpCall;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientRequest;

/**
 * Writes a call's body to the upstream: in one write, or, when the gateway fetched media for it, as
 * a {@link SplicedBody} with a {@code Content-Length}, one piece at a time as the connection
 * drains. So the base64 of fetched media is produced piece by piece (64 KiB) while the upload runs,
 * never held whole, and a slow upstream holds back the writer instead of filling the heap. Runs on
 * the request's event loop.
 */
final class BodyWriter {

  private final HttpClientRequest request;
  private final SplicedBody.Pieces pieces;
  private boolean stopped;

  private BodyWriter(HttpClientRequest request, SplicedBody.Pieces pieces) {
    this.request = request;
    this.pieces = pieces;
  }

  static void write(HttpClientRequest request, HttpCall call) {
    if (call.media().isEmpty()) {
      // Wrapped, not copied: the call's body is only read (a fallback sends the same bytes).
      request.end(
          io.vertx.core.internal.buffer.BufferInternal.buffer(
              io.netty.buffer.Unpooled.wrappedBuffer(call.body())));
      return;
    }
    SplicedBody body = SplicedBody.of(call.body(), call.media());
    request.putHeader("Content-Length", Long.toString(body.length()));
    new BodyWriter(request, body.pieces()).pump();
  }

  private void pump() {
    while (!stopped) {
      if (request.writeQueueFull()) {
        request.drainHandler(v -> pump());
        return;
      }
      byte[] piece = pieces.next();
      if (piece == null) {
        request.end();
        return;
      }
      // A reset request (time-out, cancel, the upstream gave up) fails its writes: stop there.
      request.write(Buffer.buffer(piece)).onFailure(err -> stopped = true);
    }
  }
}
