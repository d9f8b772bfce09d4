package dev.switchboard.server.upstream;

import dev.switchboard.core.provider.UpstreamResponse;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import java.util.Map;
import java.util.function.Consumer;

/**
 * An upstream response whose head has arrived and whose body is read as it comes, with the idle
 * time-out between chunks enforced by one lazily re-armed timer. Handlers run on the event loop.
 */
public final class UpstreamStream {

  private final Vertx vertx;
  private final HttpClientRequest request;
  private final HttpClientResponse response;
  private final Map<String, String> headers;
  private final long idleTimeoutMs;
  private final long startedNanos;
  private final long headNanos;
  private volatile long lastActivityNanos;
  private long idleTimer = -1;
  private boolean done;
  private Consumer<Throwable> errorHandler = e -> {};

  /**
   * A failure that came before {@link #read} (the connection broke after the head): read reports
   * it.
   */
  private Throwable early;

  UpstreamStream(
      Vertx vertx,
      HttpClientRequest request,
      HttpClientResponse response,
      Map<String, String> headers,
      long idleTimeoutMs,
      long startedNanos) {
    this.vertx = vertx;
    this.request = request;
    this.response = response;
    this.headers = headers;
    this.idleTimeoutMs = idleTimeoutMs;
    this.startedNanos = startedNanos;
    this.headNanos = System.nanoTime();
    this.lastActivityNanos = headNanos;
    response.pause();
    // From the head on, the response always has an exception handler: without one Vert.x logs a
    // reset at ERROR ("Stream reset: 0"), which is what cancel() does to a response never read
    // because the client went away while the upstream was thinking.
    response.exceptionHandler(
        err -> {
          if (!done && early == null) {
            early = err;
          }
        });
  }

  public int status() {
    return response.statusCode();
  }

  public Map<String, String> headers() {
    return headers;
  }

  /** When the request was sent ({@link System#nanoTime()}). */
  public long startedNanos() {
    return startedNanos;
  }

  /** When the response head arrived. */
  public long headNanos() {
    return headNanos;
  }

  /**
   * Starts reading: {@code onData} per body chunk, then exactly one of {@code onEnd} or {@code
   * onError} (a time-out, a reset, a broken connection).
   */
  public void read(Consumer<Buffer> onData, Runnable onEnd, Consumer<Throwable> onError) {
    this.errorHandler = onError;
    response.handler(
        chunk -> {
          lastActivityNanos = System.nanoTime();
          onData.accept(chunk);
        });
    response.endHandler(
        v -> {
          if (finish()) {
            onEnd.run();
          }
        });
    response.exceptionHandler(
        err -> {
          if (finish()) {
            onError.accept(broken(err));
          }
        });
    if (early != null) {
      if (finish()) {
        onError.accept(broken(early));
      }
      return;
    }
    armIdleTimer(idleTimeoutMs);
    response.resume();
  }

  /** A connection that broke mid-body is a transient upstream failure, not an internal error. */
  private static Throwable broken(Throwable err) {
    if (err instanceof dev.switchboard.core.error.GatewayException) {
      return err;
    }
    String what = err.getMessage() == null ? err.getClass().getSimpleName() : err.getMessage();
    return new dev.switchboard.core.error.GatewayException(
        dev.switchboard.core.error.GatewayError.of(
            dev.switchboard.core.error.FailureClass.UPSTREAM_TRANSIENT,
            502,
            "Upstream connection broke: " + what),
        err);
  }

  /** Collects the whole body (for non-streaming calls and for error bodies). */
  public Future<UpstreamResponse> collect() {
    Promise<UpstreamResponse> promise = Promise.promise();
    Collected body = new Collected();
    read(
        body::add,
        () -> promise.tryComplete(new UpstreamResponse(status(), headers, body.bytes())),
        promise::tryFail);
    return promise.future();
  }

  /**
   * A whole body as it arrives. Most answers come in one chunk, which is kept as it is (the chunks
   * handed to us are our own copies); a second one starts a buffer sized for both. Before, every
   * body went through a growing buffer: about 2.6 KB of garbage a request (JFR, 2026-12-04).
   */
  static final class Collected {
    private Buffer first;
    private Buffer joined;

    void add(Buffer chunk) {
      if (joined != null) {
        joined.appendBuffer(chunk);
      } else if (first == null) {
        first = chunk;
      } else {
        joined = Buffer.buffer(Math.max(4096, 2 * (first.length() + chunk.length())));
        joined.appendBuffer(first).appendBuffer(chunk);
        first = null;
      }
    }

    byte[] bytes() {
      Buffer b = joined != null ? joined : first;
      return b == null ? new byte[0] : b.getBytes();
    }
  }

  public void pause() {
    response.pause();
  }

  public void resume() {
    response.resume();
  }

  /** Aborts the upstream request (client went away, or we gave up); no handler runs after. */
  public void cancel() {
    if (finish()) {
      request.reset();
    }
  }

  private boolean finish() {
    if (done) {
      return false;
    }
    done = true;
    if (idleTimer >= 0) {
      vertx.cancelTimer(idleTimer);
    }
    return true;
  }

  private void armIdleTimer(long delayMs) {
    idleTimer =
        vertx.setTimer(
            Math.max(1, delayMs),
            t -> {
              if (done) {
                return;
              }
              long idleMs = (System.nanoTime() - lastActivityNanos) / 1_000_000;
              if (idleMs >= idleTimeoutMs) {
                if (finish()) {
                  request.reset();
                  errorHandler.accept(
                      UpstreamClient.timeout(
                          "upstream sent nothing for " + idleTimeoutMs + " ms mid-response"));
                }
              } else {
                armIdleTimer(idleTimeoutMs - idleMs);
              }
            });
  }
}
