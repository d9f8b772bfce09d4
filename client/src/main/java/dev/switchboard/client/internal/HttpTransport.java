package dev.switchboard.client.internal;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/**
 * The SDK's one HTTP client: the JDK's {@link HttpClient}, with the base URL, the key and the
 * default headers applied to every request. One attempt per call; retries live above it.
 *
 * <p>Plain {@code http://} base URLs (a local Switchboard) use HTTP/1.1; {@code https://} lets the
 * JDK negotiate HTTP/2. Thread-safe.
 */
public final class HttpTransport implements AutoCloseable {

  private final HttpClient http;
  private final boolean ownsClient;
  private final String baseUrl;
  private final String apiKey;
  private final Map<String, String> headers;
  private final Duration timeout;

  private HttpTransport(
      HttpClient http,
      boolean ownsClient,
      String baseUrl,
      String apiKey,
      Map<String, String> headers,
      Duration timeout) {
    this.http = http;
    this.ownsClient = ownsClient;
    this.baseUrl = baseUrl;
    this.apiKey = apiKey;
    this.headers = Map.copyOf(headers);
    this.timeout = timeout;
  }

  /**
   * A transport on {@code baseUrl} (without a trailing slash). {@code shared} is used when given
   * (and then not closed by {@link #close()}); otherwise a client is built with {@code
   * connectTimeout}.
   */
  public static HttpTransport create(
      String baseUrl,
      String apiKey,
      Map<String, String> headers,
      Duration connectTimeout,
      Duration timeout,
      HttpClient shared) {
    if (shared != null) {
      return new HttpTransport(shared, false, baseUrl, apiKey, headers, timeout);
    }
    HttpClient client =
        HttpClient.newBuilder()
            .version(
                baseUrl.startsWith("https:")
                    ? HttpClient.Version.HTTP_2
                    : HttpClient.Version.HTTP_1_1)
            .connectTimeout(connectTimeout)
            .followRedirects(HttpClient.Redirect.NORMAL)
            .build();
    return new HttpTransport(client, true, baseUrl, apiKey, headers, timeout);
  }

  /** One request, the whole answer read into memory. {@code body} null means no body. */
  public RawResponse send(String method, String path, byte[] body)
      throws IOException, InterruptedException {
    HttpResponse<byte[]> r =
        http.send(
            request(method, path, body, "application/json"),
            HttpResponse.BodyHandlers.ofByteArray());
    return new RawResponse(r.statusCode(), r.headers(), r.body());
  }

  /**
   * A POST whose answer is read as it arrives. The caller must close the body; closing it early
   * cancels the request (the connection is closed and the server sees the client go away).
   */
  public HttpResponse<InputStream> open(String path, byte[] body)
      throws IOException, InterruptedException {
    return http.send(
        request("POST", path, body, "text/event-stream"),
        HttpResponse.BodyHandlers.ofInputStream());
  }

  private HttpRequest request(String method, String path, byte[] body, String accept) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(baseUrl + path))
            .timeout(timeout)
            .header("Accept", accept)
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofByteArray(body));
    if (apiKey != null) {
      b.header("Authorization", "Bearer " + apiKey);
    }
    if (body != null) {
      b.header("Content-Type", "application/json");
    }
    headers.forEach(b::header);
    return b.build();
  }

  /** The base URL, without a trailing slash. */
  public String baseUrl() {
    return baseUrl;
  }

  /** The JDK client, so a derived SDK client can share connections. */
  public HttpClient client() {
    return http;
  }

  /**
   * Stops the JDK client when this transport built it: idle connections close, requests still in
   * flight are aborted. Never waits (the JDK's {@code close()} would wait for every exchange).
   */
  @Override
  public void close() {
    if (ownsClient) {
      http.shutdownNow();
    }
  }
}
