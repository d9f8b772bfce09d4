package dev.switchboard.server.upstream;

import dev.switchboard.core.error.FailureClass;
import dev.switchboard.core.error.GatewayError;
import dev.switchboard.core.error.GatewayException;
import dev.switchboard.core.provider.HttpCall;
import dev.switchboard.core.provider.UpstreamResponse;
import dev.switchboard.server.config.GatewayConfig.UpstreamConfig;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.util.HashMap;
import java.util.Map;

/**
 * The one place that talks HTTP to upstream providers: a pooled Vert.x {@link HttpClient} (keep-
 * alive, HTTP/1.1 or, with {@code upstream.protocol: http2}, HTTP/2) with three time-outs from
 * config: connect, first byte (until the response head) and idle (between body chunks). Create one
 * per event-loop context; it is not shared across verticle instances.
 */
public final class UpstreamClient implements AutoCloseable {

  private final Vertx vertx;
  private final HttpClient client;
  private final UpstreamConfig config;
  private static final int MAX_URLS = 1_024;
  private final Map<String, java.net.URL> urls = new java.util.concurrent.ConcurrentHashMap<>();

  public UpstreamClient(Vertx vertx, UpstreamConfig config) {
    this.vertx = vertx;
    this.config = config;
    HttpClientOptions options = options(config);
    PoolOptions pool = new PoolOptions().setMaxWaitQueueSize(-1);
    if (config.http2()) {
      pool.setHttp2MaxSize(config.maxConnectionsPerHost());
    } else {
      pool.setHttp1MaxSize(config.maxConnectionsPerHost());
    }
    this.client = vertx.createHttpClient(options, pool);
  }

  /**
   * The client's options. Over HTTP/2 a connection carries many requests at once (up to the
   * server's stream limit) and a host gets at most {@code max-connections-per-host} of them: TLS
   * upstreams negotiate it with ALPN (falling back to HTTP/1.1 when the server does not offer h2),
   * cleartext ones are spoken to with prior knowledge (h2c, no upgrade round trip), so a cleartext
   * upstream must speak HTTP/2. The connection's flow-control window is 16 MiB: the streams that
   * slow clients have paused keep their unread bytes (up to a stream's window each) against it, and
   * 256 of them at the default 64 KiB must not hold back the others sharing the connection.
   */
  static HttpClientOptions options(UpstreamConfig config) {
    HttpClientOptions options =
        new HttpClientOptions()
            .setName("upstream") // the client label of its connection metrics
            .setKeepAlive(true)
            .setTcpNoDelay(true)
            .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, config.connectTimeoutMs()))
            .setDecompressionSupported(true)
            .setMaxInitialLineLength(16 * 1024)
            .setMaxHeaderSize(64 * 1024);
    if (config.http2()) {
      options
          .setProtocolVersion(HttpVersion.HTTP_2)
          .setUseAlpn(true)
          .setAlpnVersions(java.util.List.of(HttpVersion.HTTP_2, HttpVersion.HTTP_1_1))
          .setHttp2ClearTextUpgrade(false)
          .setHttp2ConnectionWindowSize(16 * 1024 * 1024);
    }
    return options;
  }

  /** Sends a call and collects the whole response, whatever its status. */
  public Future<UpstreamResponse> send(HttpCall call) {
    return open(call).compose(UpstreamStream::collect);
  }

  /**
   * Sends a call and resolves with the response head; the body is then read through the returned
   * {@link UpstreamStream}. Fails with a classified {@link GatewayException} on connection errors
   * and time-outs.
   */
  public Future<UpstreamStream> open(HttpCall call) {
    Promise<UpstreamStream> promise = Promise.promise();
    RequestOptions options =
        new RequestOptions()
            .setMethod(HttpMethod.valueOf(call.method()))
            .setAbsoluteURI(url(call.url()));
    for (Map.Entry<String, String> h : call.headers().entrySet()) {
      options.putHeader(h.getKey(), h.getValue());
    }
    long started = System.nanoTime();
    // One timer from now to the response head: it covers waiting for a pooled connection, the
    // connect (bounded on its own by connect-timeout-ms) and the upstream's time to answer.
    java.util.concurrent.atomic.AtomicReference<io.vertx.core.http.HttpClientRequest> sent =
        new java.util.concurrent.atomic.AtomicReference<>();
    long timer =
        vertx.setTimer(
            config.firstByteTimeoutMs(),
            t -> {
              if (promise.tryFail(
                  timeout(
                      "upstream sent no response within " + config.firstByteTimeoutMs() + " ms"))) {
                var request = sent.get();
                if (request != null) {
                  request.reset();
                }
              }
            });
    client
        .request(options)
        .onFailure(
            err -> {
              vertx.cancelTimer(timer);
              promise.tryFail(connectFailure(call, err));
            })
        .onSuccess(
            request -> {
              sent.set(request);
              if (promise.future().isComplete()) {
                request.exceptionHandler(err -> {});
                request.reset();
                return;
              }
              request
                  .response()
                  .onComplete(
                      ar -> {
                        vertx.cancelTimer(timer);
                        if (ar.failed()) {
                          promise.tryFail(connectFailure(call, ar.cause()));
                          return;
                        }
                        HttpClientResponse response = ar.result();
                        UpstreamStream stream =
                            new UpstreamStream(
                                vertx,
                                request,
                                response,
                                headers(response),
                                config.idleTimeoutMs(),
                                started);
                        if (!promise.tryComplete(stream)) {
                          request.reset();
                        }
                      });
              request.exceptionHandler(err -> promise.tryFail(connectFailure(call, err)));
              BodyWriter.write(request, call);
            });
    return promise.future();
  }

  /**
   * The call's URL, parsed once: {@code RequestOptions.setAbsoluteURI(String)} parses a {@code
   * java.net.URL} on every call (about 2 % of a request's CPU), and an upstream's URLs are few (its
   * base URL and paths). Up to {@value #MAX_URLS} are kept; a malformed one is refused as before.
   */
  @SuppressWarnings("deprecation") // new URL(String): exactly what Vert.x parses with
  private java.net.URL url(String url) {
    java.net.URL parsed = urls.get(url);
    if (parsed != null) {
      return parsed;
    }
    try {
      parsed = new java.net.URL(url);
    } catch (java.net.MalformedURLException e) {
      throw new io.vertx.core.VertxException("Invalid url: " + url, e);
    }
    if (urls.size() < MAX_URLS) {
      urls.put(url, parsed);
    }
    return parsed;
  }

  private static Map<String, String> headers(HttpClientResponse response) {
    Map<String, String> out = new HashMap<>();
    response.headers().forEach(e -> out.putIfAbsent(e.getKey().toLowerCase(), e.getValue()));
    return out;
  }

  static GatewayException timeout(String message) {
    return new GatewayException(GatewayError.of(FailureClass.TIMEOUT, 408, message));
  }

  /**
   * A connection that failed or timed out. The client is told which provider and what went wrong in
   * general terms; the upstream's address and the transport's own message (which names the address)
   * go only to the operator, as the error's detail.
   */
  private static Throwable connectFailure(HttpCall call, Throwable err) {
    if (err instanceof GatewayException) {
      return err;
    }
    String what = err.getMessage() == null ? err.getClass().getSimpleName() : err.getMessage();
    boolean timeout =
        err instanceof java.util.concurrent.TimeoutException
            || err instanceof io.netty.channel.ConnectTimeoutException;
    String provider = call.provider() == null ? "the provider" : call.provider();
    return new GatewayException(
        GatewayError.of(
                timeout ? FailureClass.TIMEOUT : FailureClass.UPSTREAM_TRANSIENT,
                timeout ? 408 : 502,
                (timeout ? "Upstream connection timed out: " : "Upstream connection failed: ")
                    + provider
                    + " ("
                    + (timeout ? "no connection in time" : reason(err))
                    + ")")
            .withDetail(hostOf(call.url()) + ": " + what),
        err);
  }

  /** What went wrong, in words that name no address. */
  private static String reason(Throwable err) {
    if (err instanceof java.net.ConnectException) {
      return "connection refused";
    }
    if (err instanceof java.net.UnknownHostException) {
      return "host not found";
    }
    if (err instanceof javax.net.ssl.SSLException) {
      return "TLS failed";
    }
    if (err instanceof java.nio.channels.ClosedChannelException
        || (err.getMessage() != null && err.getMessage().contains("closed"))) {
      return "connection closed";
    }
    return "connection error";
  }

  /** Scheme, host and port only: a URL may carry a key in its query string for some vendors. */
  private static String hostOf(String url) {
    int scheme = url.indexOf("://");
    int pathStart = url.indexOf('/', scheme < 0 ? 0 : scheme + 3);
    return pathStart < 0 ? url : url.substring(0, pathStart);
  }

  @Override
  public void close() {
    client.close();
  }
}
