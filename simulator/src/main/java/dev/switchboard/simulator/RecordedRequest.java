package dev.switchboard.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.api.json.ApiJson;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;

/**
 * A request the simulator received, kept so tests can assert what the gateway sent. Header names
 * are lower-case; repeated headers are joined with {@code ", "}. Headers are kept as sent, {@code
 * Authorization} included. {@code httpVersion} is the protocol it came over: {@code "1.0"}, {@code
 * "1.1"} or {@code "2"}.
 */
public record RecordedRequest(
    String provider,
    String method,
    String path,
    Map<String, String> headers,
    String body,
    Instant receivedAt,
    String httpVersion) {

  public RecordedRequest {
    headers = Map.copyOf(headers);
  }

  /** The protocol version of a Vert.x request, as {@link #httpVersion} names it. */
  static String versionOf(io.vertx.core.http.HttpVersion version) {
    return switch (version) {
      case HTTP_1_0 -> "1.0";
      case HTTP_1_1 -> "1.1";
      default -> "2";
    };
  }

  /** The value of header {@code name} (any case), or null. */
  public String header(String name) {
    return headers.get(name.toLowerCase(Locale.ROOT));
  }

  /** The body parsed as JSON. */
  public JsonNode json() {
    try {
      return ApiJson.tree(body);
    } catch (IOException e) {
      throw new UncheckedIOException("recorded body is not JSON", e);
    }
  }
}
