package dev.switchboard.server.upstream;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.net.SocketAddress;
import io.vertx.core.spi.VertxMetricsFactory;
import io.vertx.core.spi.metrics.HttpClientMetrics;
import io.vertx.core.spi.metrics.PoolMetrics;
import io.vertx.core.spi.metrics.VertxMetrics;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The connection pools of the gateway's HTTP clients (upstream providers, media and web fetches),
 * through Vert.x's metrics SPI: Vert.x reports each client's connection pool per endpoint ({@code
 * http}, named after the endpoint, with its size) and each client's open connections. Only those
 * two are taken; every other hook keeps Vert.x's no-op default, so the server's request path calls
 * nothing more. Bound to a registry by {@link Metrics#bindPools}: gauges {@code
 * switchboard.http.client.pool.*} per endpoint (summed over the clients that pool connections to
 * it) and {@code switchboard.http.client.connections} per client name. Pools come and go with their
 * endpoints; their gauges with them.
 */
public final class ClientPools implements VertxMetrics, VertxMetricsFactory {

  /**
   * The connection pools of one endpoint, summed over the clients that have one for it (each event
   * loop's verticle has its own upstream client): connections lent, requests waiting, sizes.
   */
  static final class Endpoint {
    final String name;
    final AtomicInteger inUse = new AtomicInteger();
    final AtomicInteger waiting = new AtomicInteger();
    final AtomicInteger max = new AtomicInteger();
    int pools; // guarded by the owner
    final List<Meter> meters = new ArrayList<>(); // guarded by the owner

    Endpoint(String name) {
      this.name = name;
    }

    void register(MeterRegistry r) {
      String[] tags = {"pool", name};
      meters.add(
          Gauge.builder("switchboard.http.client.pool.in.use", inUse, AtomicInteger::get)
              .description("Connections to the endpoint lent to a request")
              .tags(tags)
              .register(r));
      meters.add(
          Gauge.builder("switchboard.http.client.pool.waiting", waiting, AtomicInteger::get)
              .description("Requests waiting for a connection to the endpoint")
              .tags(tags)
              .register(r));
      meters.add(
          Gauge.builder("switchboard.http.client.pool.max", max, AtomicInteger::get)
              .description("The most connections opened to the endpoint")
              .tags(tags)
              .register(r));
    }
  }

  /** One client's pool for one endpoint, as Vert.x reports it. */
  private final class Pool implements PoolMetrics<Object, Object> {
    private final Endpoint endpoint;
    private final int size;

    Pool(Endpoint endpoint, int size) {
      this.endpoint = endpoint;
      this.size = size;
    }

    @Override
    public Object enqueue() {
      endpoint.waiting.incrementAndGet();
      return this;
    }

    @Override
    public void dequeue(Object queued) {
      endpoint.waiting.decrementAndGet();
    }

    @Override
    public Object begin() {
      endpoint.inUse.incrementAndGet();
      return this;
    }

    @Override
    public void end(Object used) {
      endpoint.inUse.decrementAndGet();
    }

    @Override
    public void close() {
      synchronized (ClientPools.this) {
        endpoint.max.addAndGet(-size);
        if (--endpoint.pools == 0) {
          endpoints.remove(endpoint.name);
          if (registry != null) {
            endpoint.meters.forEach(registry::remove);
          }
        }
      }
    }
  }

  private final Map<String, Endpoint> endpoints = new ConcurrentHashMap<>(); // written under this
  private final Map<String, AtomicInteger> connections = new ConcurrentHashMap<>();
  private MeterRegistry registry; // guarded by this

  /** The Vert.x metrics of this instance (the factory hands out itself). */
  @Override
  public VertxMetrics metrics(VertxOptions options) {
    return this;
  }

  @Override
  public boolean isMetricsEnabled() {
    return true;
  }

  @Override
  public PoolMetrics<?, ?> createPoolMetrics(String poolType, String poolName, int maxPoolSize) {
    if (!poolType.equals("http")) {
      return null; // worker pools: not connection pools
    }
    synchronized (this) {
      Endpoint endpoint = endpoints.get(poolName);
      if (endpoint == null) {
        endpoint = new Endpoint(poolName);
        endpoints.put(poolName, endpoint);
        if (registry != null) {
          endpoint.register(registry);
        }
      }
      endpoint.pools++;
      endpoint.max.addAndGet(maxPoolSize);
      return new Pool(endpoint, maxPoolSize);
    }
  }

  @Override
  public HttpClientMetrics<?, ?, ?> createHttpClientMetrics(HttpClientOptions options) {
    String client = options.getName() == null ? "default" : options.getName();
    AtomicInteger open =
        connections.computeIfAbsent(
            client,
            c -> {
              AtomicInteger n = new AtomicInteger();
              synchronized (this) {
                if (registry != null) {
                  registerConnections(registry, c, n);
                }
              }
              return n;
            });
    return new HttpClientMetrics<Object, Object, Object>() {
      @Override
      public Object connected(SocketAddress remoteAddress, String remoteName) {
        open.incrementAndGet();
        return open;
      }

      @Override
      public void disconnected(Object socket, SocketAddress remoteAddress) {
        open.decrementAndGet();
      }
    };
  }

  private static void registerConnections(MeterRegistry r, String client, AtomicInteger n) {
    Gauge.builder("switchboard.http.client.connections", n, AtomicInteger::get)
        .description("Open connections of an HTTP client")
        .tags("client", client)
        .register(r);
  }

  /**
   * Registers the gauges of every pool and client known now, and of those to come, on {@code r}.
   */
  public synchronized void bindTo(MeterRegistry r) {
    registry = r;
    endpoints.values().forEach(e -> e.register(r));
    connections.forEach((client, n) -> registerConnections(r, client, n));
  }
}
