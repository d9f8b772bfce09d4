package dev.switchboard.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.api.json.ApiJson;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.StringJoiner;

/**
 * The CLI's side of the gateway's HTTP API: JSON in and out, the caller's key as a bearer token,
 * and every failure turned into one sentence that says what to do (the error envelope's message,
 * the address it could not reach, the option that sets the key).
 */
final class GatewayClient {

  private final HttpClient http;
  private final URI base;
  private final String key;
  private final String keyHint;

  /**
   * @param base the API base ending in {@code /}
   * @param key the bearer key, or null for the public endpoints
   * @param keyHint where the key came from, for the message of a 401 or 403
   */
  GatewayClient(URI base, String key, String keyHint) {
    this.base = base;
    this.key = key;
    this.keyHint = keyHint;
    this.http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
  }

  URI base() {
    return base;
  }

  JsonNode get(String path) {
    return send("GET", path, null);
  }

  /** Sends {@code body} (any value ApiJson writes) and returns the parsed answer. */
  JsonNode send(String method, String path, Object body) {
    HttpResponse<byte[]> r = exchange(method, path, body, HttpResponse.BodyHandlers.ofByteArray());
    if (r.statusCode() >= 400) {
      throw failure(method, path, r.statusCode(), r.body());
    }
    try {
      return r.body().length == 0 ? ApiJson.object() : ApiJson.tree(r.body());
    } catch (IOException e) {
      throw new CliException(
          method
              + " "
              + url(path)
              + " answered "
              + r.statusCode()
              + " with a body that is not JSON");
    }
  }

  /** The raw answer as a stream (an SSE body); the caller checks the status. */
  HttpResponse<InputStream> stream(String path, Object body) {
    return exchange("POST", path, body, HttpResponse.BodyHandlers.ofInputStream());
  }

  /** The failure of an answer with an error status, for {@link #stream} callers. */
  CliException failure(String method, String pathAndQuery, int status, byte[] body) {
    int q = pathAndQuery.indexOf('?');
    String path = q < 0 ? pathAndQuery : pathAndQuery.substring(0, q);
    String message = null;
    try {
      JsonNode error = ApiJson.tree(body).path("error");
      if (error.isObject()) {
        message = error.path("message").asText(null);
        JsonNode raw = error.path("metadata").path("raw");
        if (!raw.isMissingNode() && !raw.isNull()) {
          message = message + " (" + (raw.isTextual() ? raw.asText() : raw.toString()) + ")";
        }
      }
    } catch (IOException | RuntimeException e) {
      // not an error envelope: fall through to the status alone
    }
    if (status == 404 && message != null && message.startsWith("No route for")) {
      return CliException.missingEndpoint(
          "this gateway has no "
              + method
              + " "
              + base.getPath()
              + path
              + " (it answered 404: "
              + message
              + "); it may be an older build");
    }
    StringBuilder out = new StringBuilder();
    out.append(method).append(' ').append(base.getPath()).append(path);
    out.append(" failed with ").append(status);
    if (message != null && !message.isBlank()) {
      out.append(": ").append(message);
    }
    if ((status == 401 || status == 403) && keyHint != null) {
      out.append(" (").append(keyHint).append(')');
    }
    return new CliException(out.toString());
  }

  private <T> HttpResponse<T> exchange(
      String method, String path, Object body, HttpResponse.BodyHandler<T> handler) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(url(path))
            .header("Accept", "application/json")
            .header("User-Agent", "switchboard-cli")
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofByteArray(ApiJson.bytes(body)));
    if (body != null) {
      b.header("Content-Type", "application/json");
    }
    if (key != null) {
      b.header("Authorization", "Bearer " + key);
    }
    try {
      return http.send(b.build(), handler);
    } catch (ConnectException | HttpConnectTimeoutException e) {
      throw new CliException(
          "cannot reach the gateway at "
              + origin()
              + " ("
              + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage())
              + "); is it running? Point --url or SWITCHBOARD_URL at it");
    } catch (HttpTimeoutException e) {
      throw new CliException(method + " " + url(path) + " timed out");
    } catch (IOException e) {
      throw new CliException(
          method
              + " "
              + url(path)
              + " failed: "
              + e.getClass().getSimpleName()
              + " "
              + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CliException("interrupted");
    }
  }

  private URI url(String path) {
    return base.resolve(path.startsWith("/") ? path.substring(1) : path);
  }

  private String origin() {
    return base.getScheme() + "://" + base.getRawAuthority();
  }

  /** {@code path?k=v&...} with the values URL-encoded; null values are left out. */
  static String query(String path, Map<String, ?> params) {
    StringJoiner q = new StringJoiner("&");
    params.forEach(
        (k, v) -> {
          if (v != null) {
            q.add(k + "=" + URLEncoder.encode(String.valueOf(v), StandardCharsets.UTF_8));
          }
        });
    return q.length() == 0 ? path : path + "?" + q;
  }
}
