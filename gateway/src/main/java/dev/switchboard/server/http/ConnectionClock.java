package dev.switchboard.server.http;

import dev.switchboard.core.error.FailureClass;
import dev.switchboard.core.error.GatewayError;
import dev.switchboard.server.inbound.ErrorEnvelope;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.util.AttributeKey;
import io.netty.util.concurrent.ScheduledFuture;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The time-outs of one client connection, first in its Netty pipeline so that it sees every byte
 * before Vert.x parses it:
 *
 * <ul>
 *   <li><b>head</b>: a request head must be complete within {@code header} of its first byte (for
 *       the first request, of the connection's opening); else the connection is closed, with a 408
 *       in the error envelope when part of a head had arrived.
 *   <li><b>body</b>: a request body must be complete within {@code body} of its head; else a 408
 *       answers it (when no answer has started) and an HTTP/1 connection is closed. This holds too
 *       for a body still coming after its request was answered early (a 401, say).
 *   <li><b>idle</b>: a connection with no request in flight and no byte in or out for {@code idle}
 *       is closed.
 * </ul>
 *
 * A request is in flight from its head until its response ended, so a stream that is being written,
 * or a request waiting on a slow upstream, is never idle. The requests come from {@link #track},
 * called by the server's request handler for each one; whether they are over is read from their
 * responses when the clock is checked, so nothing else needs to report back.
 *
 * <p>It also keeps, per request in flight, how to end it early ({@link #onDrain}): a shutdown whose
 * drain time is over ends those still going.
 *
 * <p>Confined to the connection's event loop, which is also the Vert.x context of its requests.
 */
final class ConnectionClock extends ChannelDuplexHandler {

  private static final AttributeKey<ConnectionClock> KEY =
      AttributeKey.valueOf("switchboard.connection-clock");

  /** One request in flight on this connection. */
  private static final class Tracked {
    final HttpServerRequest request;
    final Context context;
    final long startNanos;
    Consumer<GatewayError> abort;
    boolean bodyTimedOut;

    Tracked(HttpServerRequest request, Context context, long startNanos) {
      this.request = request;
      this.context = context;
      this.startNanos = startNanos;
    }

    boolean over() {
      HttpServerResponse r = request.response();
      return r.ended() || r.closed();
    }
  }

  private final Channel channel;
  private final ConnectionGuard.Timeouts timeouts;
  private final List<Tracked> requests = new ArrayList<>(1);

  /** The latest request, kept after its answer: its body may still be arriving. */
  private HttpServerRequest latest;

  private long latestStartNanos;
  private ChannelHandlerContext ctx;
  private long lastActivityNanos;

  /** When the head being awaited started (its first byte, or the opening); 0 when none is. */
  private long headStartNanos;

  private boolean headBytes;
  private boolean http2;
  private ScheduledFuture<?> check;
  private long checkAtNanos;

  ConnectionClock(Channel channel, ConnectionGuard.Timeouts timeouts) {
    this.channel = channel;
    this.timeouts = timeouts;
    long now = System.nanoTime();
    this.lastActivityNanos = now;
    this.headStartNanos = now;
    channel.attr(KEY).set(this);
  }

  // ---- hooks for the request path -------------------------------------------------------------

  /** Starts the clock of a request whose head was just read. Call on the request's context. */
  static void track(HttpServerRequest request) {
    ConnectionClock clock = of(request.connection());
    if (clock != null) {
      clock.onEventLoop(() -> clock.started(request, Vertx.currentContext()));
    }
  }

  /**
   * Registers how to end {@code request} if a shutdown's drain time runs out while it is in flight
   * (the hook the inference path registers with). {@code abort} runs on the request's context.
   */
  static void onDrain(HttpServerRequest request, Consumer<GatewayError> abort) {
    ConnectionClock clock = of(request.connection());
    if (clock != null) {
      // The router hands out a wrapper of the request; the response is the same object.
      HttpServerResponse response = request.response();
      clock.onEventLoop(
          () -> {
            for (Tracked t : clock.requests) {
              if (t.request.response() == response) {
                t.abort = abort;
              }
            }
          });
    }
  }

  /**
   * The clock of a Vert.x connection. Vert.x's public API does not expose the Netty channel; its
   * connection classes all extend {@code ConnectionBase}, which does.
   */
  private static ConnectionClock of(HttpConnection connection) {
    if (connection instanceof io.vertx.core.net.impl.ConnectionBase base) {
      return base.channel().attr(KEY).get();
    }
    return null;
  }

  private void onEventLoop(Runnable task) {
    if (channel.eventLoop().inEventLoop()) {
      task.run();
    } else {
      channel.eventLoop().execute(task);
    }
  }

  private void started(HttpServerRequest request, Context context) {
    long now = System.nanoTime();
    prune();
    requests.add(new Tracked(request, context, now));
    latest = request;
    latestStartNanos = now;
    headStartNanos = 0;
    headBytes = false;
    if (request.version() == HttpVersion.HTTP_2) {
      http2 = true;
    }
    if (!request.isEnded()) {
      scheduleAt(now + timeouts.bodyNanos());
    }
  }

  // ---- for the guard ------------------------------------------------------------------------

  void closeIfIdle() {
    onEventLoop(
        () -> {
          if (!busy()) {
            channel.close();
          }
        });
  }

  /**
   * Asks every request in flight that registered with {@link #onDrain} to end with {@code e}. Call
   * from outside the event loops (it waits for this connection's loop to list its requests).
   */
  int abortAll(GatewayError e) {
    int n = 0;
    for (Tracked t : snapshot()) {
      if (t.abort != null && !t.over()) {
        Consumer<GatewayError> abort = t.abort;
        t.context.runOnContext(v -> abort.accept(e));
        n++;
      }
    }
    return n;
  }

  private List<Tracked> snapshot() {
    if (channel.eventLoop().inEventLoop()) {
      return List.copyOf(requests);
    }
    try {
      return channel.eventLoop().submit(() -> List.copyOf(requests)).get(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return List.of();
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      return List.of();
    }
  }

  // ---- Netty -------------------------------------------------------------------------------

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    this.ctx = ctx;
    scheduleAt(headStartNanos + timeouts.headerNanos());
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    long now = System.nanoTime();
    lastActivityNanos = now;
    if (headStartNanos == 0 && !http2 && !busy() && (latest == null || latest.isEnded())) {
      // The first byte of the next request's head (not the rest of a body answered early).
      headStartNanos = now;
      scheduleAt(now + timeouts.headerNanos());
    }
    if (headStartNanos != 0 && !headBytes && msg instanceof ByteBuf buf && buf.isReadable()) {
      headBytes = true;
      // HTTP/2 with prior knowledge opens with "PRI * HTTP/2.0"; never answer it in HTTP/1.
      http2 |= requests.isEmpty() && opensWith(buf, "PRI ");
    }
    ctx.fireChannelRead(msg);
  }

  private static boolean opensWith(ByteBuf buf, String prefix) {
    int n = Math.min(prefix.length(), buf.readableBytes());
    for (int i = 0; i < n; i++) {
      if (buf.getByte(buf.readerIndex() + i) != prefix.charAt(i)) {
        return false;
      }
    }
    return true;
  }

  @Override
  public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
    long now = System.nanoTime();
    lastActivityNanos = now;
    // This may be a response's last bytes: look again within the idle time. (It moves the check
    // only when that is sooner, so a stream's writes reschedule at most once per idle time.)
    scheduleAt(now + timeouts.idleNanos());
    ctx.write(msg, promise);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    cancelCheck();
    ctx.fireChannelInactive();
  }

  // ---- the clock ---------------------------------------------------------------------------

  private boolean busy() {
    prune();
    return !requests.isEmpty();
  }

  private void prune() {
    requests.removeIf(Tracked::over);
  }

  private void scheduleAt(long atNanos) {
    if (ctx == null) {
      return;
    }
    if (check != null) {
      if (checkAtNanos <= atNanos) {
        return;
      }
      check.cancel(false);
    }
    checkAtNanos = atNanos;
    check =
        ctx.executor()
            .schedule(this::check, Math.max(0, atNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
  }

  private void cancelCheck() {
    if (check != null) {
      check.cancel(false);
      check = null;
    }
  }

  private void check() {
    check = null;
    if (!channel.isActive()) {
      return;
    }
    long now = System.nanoTime();
    if (busy()) {
      long next = now + timeouts.idleNanos();
      for (Tracked t : List.copyOf(requests)) {
        if (t.bodyTimedOut || t.request.isEnded()) {
          continue;
        }
        long due = t.startNanos + timeouts.bodyNanos();
        if (now >= due) {
          t.bodyTimedOut = true;
          bodyTimedOut(t);
        } else {
          next = Math.min(next, due);
        }
      }
      // While busy, look again after at most the idle time: the request may have ended by then.
      scheduleAt(next);
      return;
    }
    if (!http2 && latest != null && !latest.isEnded()) {
      // Answered early while its body is still coming: the body time-out holds all the same.
      long due = Math.min(latestStartNanos + timeouts.bodyNanos(), idleDue());
      if (now >= due) {
        channel.close();
      } else {
        scheduleAt(due);
      }
      return;
    }
    if (headStartNanos != 0) {
      long due = headStartNanos + timeouts.headerNanos();
      if (now >= due) {
        headTimedOut();
      } else {
        scheduleAt(due);
      }
      return;
    }
    long due = idleDue();
    if (now >= due) {
      channel.close();
    } else {
      scheduleAt(due);
    }
  }

  private long idleDue() {
    return lastActivityNanos + timeouts.idleNanos();
  }

  private void headTimedOut() {
    if (!headBytes || http2) {
      channel.close();
      return;
    }
    long ms = TimeUnit.NANOSECONDS.toMillis(timeouts.headerNanos());
    GatewayError error =
        GatewayError.of(
                FailureClass.INVALID_REQUEST,
                408,
                "The request head did not arrive within " + ms + " ms")
            .withMetadata("error_type", "timeout");
    ErrorEnvelope.logOnce(error);
    byte[] body = ErrorEnvelope.bytes(error, null);
    String head =
        "HTTP/1.1 408 Request Timeout\r\ncontent-type: application/json\r\ncontent-length: "
            + body.length
            + "\r\nconnection: close\r\n\r\n";
    ByteBuf out = Unpooled.wrappedBuffer(head.getBytes(StandardCharsets.US_ASCII), body);
    ctx.writeAndFlush(out).addListener(ChannelFutureListener.CLOSE);
  }

  private void bodyTimedOut(Tracked t) {
    long ms = TimeUnit.NANOSECONDS.toMillis(timeouts.bodyNanos());
    boolean closeConnection = !http2;
    t.context.runOnContext(
        v -> {
          HttpServerResponse response = t.request.response();
          if (!response.headWritten() && !response.ended() && !response.closed()) {
            if (closeConnection) {
              response.putHeader("connection", "close");
            }
            ErrorRenderer.render(
                response,
                GatewayError.of(
                        FailureClass.INVALID_REQUEST,
                        408,
                        "The request body did not arrive within " + ms + " ms")
                    .withMetadata("error_type", "timeout"));
          } else if (!closeConnection) {
            response.reset();
          }
          if (closeConnection) {
            // The rest of the body would be read as the next request: the connection must go.
            t.request.connection().close();
          }
        });
  }
}
