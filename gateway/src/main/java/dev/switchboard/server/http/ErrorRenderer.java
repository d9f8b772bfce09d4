package dev.switchboard.server.http;

import dev.switchboard.core.error.GatewayError;
import dev.switchboard.server.inbound.ErrorEnvelope;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import java.util.Map;

/**
 * Writes an error answer of the management and catalog routes: OpenRouter's envelope and its
 * headers from {@link ErrorEnvelope}, logged once. Inference errors go through the pipeline's reply
 * stage instead.
 */
final class ErrorRenderer {

  private ErrorRenderer() {}

  static GatewayError from(Throwable t) {
    return ErrorEnvelope.from(t);
  }

  static void render(HttpServerResponse response, GatewayError e) {
    ErrorEnvelope.logOnce(e);
    if (response.headWritten() || response.ended() || response.closed()) {
      return;
    }
    response.setStatusCode(e.httpStatus());
    response.putHeader("content-type", "application/json");
    for (Map.Entry<String, String> h : ErrorEnvelope.headers(e).entrySet()) {
      response.putHeader(h.getKey(), h.getValue());
    }
    response.end(Buffer.buffer(ErrorEnvelope.bytes(e, null)));
  }
}
