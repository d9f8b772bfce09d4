package dev.switchboard.server.http;

import dev.switchboard.core.error.FailureClass;
import dev.switchboard.core.error.GatewayError;
import dev.switchboard.core.error.GatewayException;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;

/**
 * Reads a request body up to a limit. A body over the limit (by {@code Content-Length} or as it
 * streams in) fails with 413 before more of it is buffered.
 */
final class BodyReader {

  private BodyReader() {}

  static Future<Buffer> read(HttpServerRequest request, long limit) {
    String length = request.getHeader("content-length");
    if (length != null) {
      try {
        if (Long.parseLong(length.trim()) > limit) {
          return Future.failedFuture(tooLarge(limit));
        }
      } catch (NumberFormatException e) {
        return Future.failedFuture(
            new GatewayException(
                GatewayError.of(FailureClass.INVALID_REQUEST, "Invalid Content-Length header")));
      }
    }
    Promise<Buffer> promise = Promise.promise();
    Buffer body = Buffer.buffer(length == null ? 1024 : (int) Math.min(limit, parse(length)));
    request.handler(
        chunk -> {
          if (body.length() + chunk.length() > limit) {
            if (promise.tryFail(tooLarge(limit))) {
              request.pause();
            }
            return;
          }
          body.appendBuffer(chunk);
        });
    request.endHandler(v -> promise.tryComplete(body));
    request.exceptionHandler(promise::tryFail);
    return promise.future();
  }

  private static long parse(String length) {
    return Long.parseLong(length.trim());
  }

  private static GatewayException tooLarge(long limit) {
    return new GatewayException(
        GatewayError.of(
            FailureClass.PAYLOAD_TOO_LARGE,
            413,
            "Request body is larger than the limit of " + limit + " bytes"));
  }

  /** Whether a Content-Type is JSON; an absent one is taken as JSON. */
  static boolean isJson(String contentType) {
    if (contentType == null || contentType.isBlank()) {
      return true;
    }
    String type = contentType;
    int semi = type.indexOf(';');
    if (semi >= 0) {
      type = type.substring(0, semi);
    }
    type = type.trim().toLowerCase(java.util.Locale.ROOT);
    return type.equals("application/json") || type.endsWith("+json");
  }
}
