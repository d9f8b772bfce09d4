package dev.switchboard.server.http;

import dev.switchboard.api.json.ApiJson;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import java.util.Map;

/** Writes JSON answers. */
final class Responses {

  private Responses() {}

  static void json(HttpServerResponse response, int status, Object body) {
    if (response.ended() || response.closed()) {
      return;
    }
    response
        .setStatusCode(status)
        .putHeader("content-type", "application/json")
        .end(Buffer.buffer(ApiJson.bytes(body)));
  }

  static void data(HttpServerResponse response, Object data) {
    json(response, 200, Map.of("data", data));
  }
}
