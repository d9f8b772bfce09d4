package dev.switchboard.server.http;

import dev.switchboard.core.error.GatewayError;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches the gateway's listening socket: every accepted connection passes here before Vert.x sees
 * it (see {@link GuardedTransport}). Beyond {@code maxConnections} open at once, a new connection
 * is closed at once, so that idle or slow clients cannot use up the process's file descriptors; the
 * others get a {@link ConnectionClock} for their time-outs. It also holds the serving state a
 * shutdown moves through: ready, then unready ({@code /health/ready} answers 503), then refusing
 * new connections while the requests in flight drain.
 *
 * <p>Runs on the acceptor thread; the counters are shared with the connections' event loops.
 */
@ChannelHandler.Sharable
public final class ConnectionGuard extends ChannelInboundHandlerAdapter {

  private static final Logger log = LoggerFactory.getLogger(ConnectionGuard.class);
  private static final long WARN_EVERY_NANOS = TimeUnit.SECONDS.toNanos(10);

  /** The time-outs every connection gets, in nanoseconds. */
  record Timeouts(long idleNanos, long headerNanos, long bodyNanos) {}

  private final int maxConnections;
  private final Timeouts timeouts;
  private final AtomicInteger open = new AtomicInteger();
  private final AtomicLong refused = new AtomicLong();
  private final Set<ConnectionClock> clocks = ConcurrentHashMap.newKeySet();
  private volatile int port = -1;
  private volatile boolean attached;
  private volatile boolean unready;
  private volatile boolean refusing;
  private volatile long lastWarnNanos = System.nanoTime() - WARN_EVERY_NANOS;

  public ConnectionGuard(
      int maxConnections, long idleTimeoutMs, long headerTimeoutMs, long bodyTimeoutMs) {
    this.maxConnections = maxConnections;
    this.timeouts =
        new Timeouts(
            TimeUnit.MILLISECONDS.toNanos(idleTimeoutMs),
            TimeUnit.MILLISECONDS.toNanos(headerTimeoutMs),
            TimeUnit.MILLISECONDS.toNanos(bodyTimeoutMs));
  }

  /** The port of the server to guard; other servers on the same Vert.x (the demo simulator) not. */
  public void guardPort(int port) {
    this.port = port;
  }

  int port() {
    return port;
  }

  /** Called by the transport when it puts this guard on the listening socket. */
  void attached() {
    attached = true;
  }

  /** Whether the guard watches the listening socket (a server without it has no limits). */
  public boolean isAttached() {
    return attached;
  }

  public int maxConnections() {
    return maxConnections;
  }

  /** Connections open now. */
  public int openConnections() {
    return open.get();
  }

  /** Connections closed at once because the limit was reached, since the start. */
  public long refusedConnections() {
    return refused.get();
  }

  /** From now on {@code /health/ready} answers 503: the gateway is about to stop. */
  public void markUnready() {
    unready = true;
  }

  public boolean ready() {
    return !unready;
  }

  /** From now on new connections are closed at once (the listener is about to close). */
  public void refuseNew() {
    unready = true;
    refusing = true;
  }

  /** Closes every connection with no request in flight. */
  public void closeIdle() {
    for (ConnectionClock clock : clocks) {
      clock.closeIfIdle();
    }
  }

  /**
   * Ends every inference request still in flight with {@code error}: streams get the in-band error
   * chunk, others the error as their answer. Returns how many requests were asked to end.
   */
  public int abortInFlight(GatewayError error) {
    int n = 0;
    for (ConnectionClock clock : clocks) {
      n += clock.abortAll(error);
    }
    return n;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (!(msg instanceof Channel child)) {
      ctx.fireChannelRead(msg);
      return;
    }
    if (refusing) {
      child.unsafe().closeForcibly();
      return;
    }
    if (open.incrementAndGet() > maxConnections) {
      open.decrementAndGet();
      refused.incrementAndGet();
      // Not yet registered with an event loop: close the socket directly.
      child.unsafe().closeForcibly();
      warnLimitReached();
      return;
    }
    ConnectionClock clock = new ConnectionClock(child, timeouts);
    clocks.add(clock);
    child
        .closeFuture()
        .addListener(
            f -> {
              open.decrementAndGet();
              clocks.remove(clock);
            });
    child.pipeline().addFirst("switchboard-clock", clock);
    ctx.fireChannelRead(child);
  }

  private void warnLimitReached() {
    long now = System.nanoTime();
    long last = lastWarnNanos;
    if (now - last >= WARN_EVERY_NANOS) {
      lastWarnNanos = now;
      log.atWarn()
          .addKeyValue("max_connections", maxConnections)
          .addKeyValue("refused_total", refused.get())
          .log(
              "Connection limit of {} reached: new connections are closed at once until some end"
                  + " (server.max-connections)",
              maxConnections);
    }
  }
}
