package dev.switchboard.server.http;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFactory;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.ServerChannel;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.InternetProtocolFamily;
import io.vertx.core.datagram.DatagramSocketOptions;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.ClientOptionsBase;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.spi.transport.Transport;
import java.net.SocketAddress;
import java.util.concurrent.ThreadFactory;

/**
 * The usual Vert.x transport (native epoll where available, else NIO) plus one thing: the gateway's
 * listening socket gets the {@link ConnectionGuard} as its accept handler. Vert.x offers no public
 * hook at accept time (its connection handler runs only once a request head has been read, too late
 * for connections that send nothing or drip their headers), but it lets the transport configure the
 * server bootstrap, and that is where Netty takes an accept handler.
 */
public final class GuardedTransport implements io.vertx.core.transport.Transport {

  private final io.vertx.core.transport.Transport base;
  private final Transport implementation;

  private GuardedTransport(io.vertx.core.transport.Transport base, ConnectionGuard guard) {
    this.base = base;
    this.implementation = new Guarded(base.implementation(), guard);
  }

  /** The native transport when it is available, else NIO, guarded by {@code guard}. */
  public static GuardedTransport around(ConnectionGuard guard) {
    io.vertx.core.transport.Transport nativeTransport =
        io.vertx.core.transport.Transport.nativeTransport();
    io.vertx.core.transport.Transport base =
        nativeTransport != null && nativeTransport.available()
            ? nativeTransport
            : io.vertx.core.transport.Transport.NIO;
    return new GuardedTransport(base, guard);
  }

  @Override
  public String name() {
    return base.name();
  }

  @Override
  public boolean available() {
    return true;
  }

  @Override
  public Throwable unavailabilityCause() {
    return null;
  }

  @Override
  public Transport implementation() {
    return implementation;
  }

  /** Delegates everything; adds the guard to the bootstrap of the guarded port's server. */
  private record Guarded(Transport delegate, ConnectionGuard guard) implements Transport {

    @Override
    public void configure(NetServerOptions options, boolean domainSocket, ServerBootstrap b) {
      delegate.configure(options, domainSocket, b);
      if (options instanceof HttpServerOptions && options.getPort() == guard.port()) {
        b.handler(guard);
        guard.attached();
      }
    }

    @Override
    public boolean supportsDomainSockets() {
      return delegate.supportsDomainSockets();
    }

    @Override
    public boolean supportFileRegion() {
      return delegate.supportFileRegion();
    }

    @Override
    public boolean isAvailable() {
      return delegate.isAvailable();
    }

    @Override
    public Throwable unavailabilityCause() {
      return delegate.unavailabilityCause();
    }

    @Override
    public SocketAddress convert(io.vertx.core.net.SocketAddress address) {
      return delegate.convert(address);
    }

    @Override
    public io.vertx.core.net.SocketAddress convert(SocketAddress address) {
      return delegate.convert(address);
    }

    @Override
    public IoHandlerFactory ioHandlerFactory() {
      return delegate.ioHandlerFactory();
    }

    @Override
    public EventLoopGroup eventLoopGroup(
        int type, int nThreads, ThreadFactory threadFactory, int ioRatio) {
      return delegate.eventLoopGroup(type, nThreads, threadFactory, ioRatio);
    }

    @Override
    public DatagramChannel datagramChannel() {
      return delegate.datagramChannel();
    }

    @Override
    public DatagramChannel datagramChannel(InternetProtocolFamily family) {
      return delegate.datagramChannel(family);
    }

    @Override
    public ChannelFactory<? extends Channel> channelFactory(boolean domainSocket) {
      return delegate.channelFactory(domainSocket);
    }

    @Override
    public ChannelFactory<? extends ServerChannel> serverChannelFactory(boolean domainSocket) {
      return delegate.serverChannelFactory(domainSocket);
    }

    @Override
    public void configure(DatagramChannel channel, DatagramSocketOptions options) {
      delegate.configure(channel, options);
    }

    @Override
    public void configure(
        ClientOptionsBase options, int connectTimeout, boolean domainSocket, Bootstrap b) {
      delegate.configure(options, connectTimeout, domainSocket, b);
    }
  }
}
