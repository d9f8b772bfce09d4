package dev.switchboard.server.http;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.api.json.ApiJson;
import dev.switchboard.core.error.FailureClass;
import dev.switchboard.core.error.GatewayError;
import dev.switchboard.core.error.GatewayException;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import java.io.IOException;

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
    request.exceptionHandler(err -> promise.tryFail(unreadable(err)));
    return promise.future();
  }

  /**
   * A body that stopped arriving: a client that hung up (or was cut off by the body time-out) is
   * the caller's doing, not an internal error.
   */
  private static GatewayException unreadable(Throwable err) {
    if (err instanceof io.vertx.core.http.HttpClosedException) {
      return new GatewayException(
          GatewayError.of(
              FailureClass.CLIENT_CLOSED,
              499,
              "Client closed the connection before the request body was complete"));
    }
    return new GatewayException(
        GatewayError.of(
            FailureClass.INVALID_REQUEST,
            "The request body could not be read: " + err.getMessage()));
  }

  /**
   * Parses a body that must hold exactly one JSON value. Jackson stops after the first value and
   * would ignore whatever follows; a body with more than whitespace after it is refused instead.
   */
  static JsonNode jsonTree(Buffer body) {
    try (JsonParser parser = ApiJson.mapper().createParser(body.getBytes())) {
      JsonNode tree = ApiJson.mapper().readTree(parser);
      requireEnd(parser);
      return tree;
    } catch (IOException e) {
      throw GatewayException.invalid("Invalid JSON in request body: " + e.getMessage());
    }
  }

  /** Fails when {@code parser} has anything but whitespace left after the value it read. */
  static void requireEnd(JsonParser parser) {
    long offset = parser.currentLocation().getByteOffset();
    boolean more;
    try {
      more = parser.nextToken() != null;
    } catch (IOException e) {
      more = true;
    }
    if (more) {
      throw GatewayException.invalid(
          "Request body has more data after its JSON value (from byte "
              + offset
              + "); send exactly one JSON object");
    }
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
