package dev.switchboard.server.cluster;

import dev.switchboard.server.config.ClusterConfig;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This node's connections to the cluster's Redis (Lettuce, async API only): one command connection,
 * shared by every event loop (Lettuce pipelines what is sent on it: commands go out without waiting
 * for earlier answers), and one subscriber connection for invalidations. Commands are refused at
 * once while disconnected (so admission fails closed without waiting), each has the configured
 * time-out, and Lettuce reconnects by itself every half second. When Redis is down at start, the
 * node starts anyway and keeps trying; {@link #up()} says whether it is connected now.
 *
 * <p>Every key and channel starts with the configured prefix. Scripts are sent by digest and loaded
 * again when Redis has forgotten them (after a restart).
 */
public final class RedisLink implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(RedisLink.class);

  /** What every script starts with: the functions several of them share ({@code common.lua}). */
  private static final String COMMON = load("common.lua");

  private final ClusterConfig.Redis config;
  private final ClientResources resources;
  private final RedisClient client;
  private final ScheduledExecutorService timer;
  private final List<BiConsumer<String, String>> subscribers = new CopyOnWriteArrayList<>();
  private volatile StatefulRedisConnection<String, String> connection;
  private volatile StatefulRedisPubSubConnection<String, String> pubsub;
  private volatile boolean closed;
  private final java.util.concurrent.atomic.AtomicLong drops =
      new java.util.concurrent.atomic.AtomicLong();

  private RedisLink(ClusterConfig.Redis config) {
    this.config = config;
    this.resources =
        ClientResources.builder()
            .ioThreadPoolSize(2)
            .computationThreadPoolSize(1)
            .reconnectDelay(Delay.constant(Duration.ofMillis(500)))
            .build();
    RedisURI uri = RedisURI.create(config.url());
    uri.setTimeout(Duration.ofMillis(config.commandTimeoutMs()));
    this.client = RedisClient.create(resources, uri);
    client.setOptions(
        ClientOptions.builder()
            .autoReconnect(true)
            .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
            .socketOptions(
                SocketOptions.builder()
                    .connectTimeout(Duration.ofMillis(config.connectTimeoutMs()))
                    .keepAlive(true)
                    .build())
            .timeoutOptions(TimeoutOptions.enabled(Duration.ofMillis(config.commandTimeoutMs())))
            .build());
    client.addListener(
        new io.lettuce.core.RedisConnectionStateListener() {
          @Override
          public void onRedisDisconnected(io.lettuce.core.RedisChannelHandler<?, ?> c) {
            drops.incrementAndGet();
          }
        });
    this.timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "switchboard-redis");
              t.setDaemon(true);
              return t;
            });
  }

  /**
   * Opens the link. A Redis that cannot be reached now does not stop the start: the link keeps
   * trying every second in the background.
   */
  public static RedisLink open(ClusterConfig.Redis config) {
    RedisLink link = new RedisLink(config);
    link.connect();
    return link;
  }

  private void connect() {
    if (closed) {
      return;
    }
    try {
      if (connection == null) {
        connection = client.connect();
        log.info("Connected to Redis at {}", config.redactedUrl());
      }
      if (pubsub == null) {
        StatefulRedisPubSubConnection<String, String> ps = client.connectPubSub();
        ps.addListener(
            new RedisPubSubAdapter<>() {
              @Override
              public void message(String channel, String message) {
                for (BiConsumer<String, String> s : subscribers) {
                  try {
                    s.accept(channel, message);
                  } catch (RuntimeException e) {
                    log.warn("invalidation handler failed on {}", channel, e);
                  }
                }
              }
            });
        ps.sync().subscribe(channel("invalidate"));
        pubsub = ps;
      }
    } catch (RuntimeException e) {
      log.warn(
          "Redis at {} cannot be reached ({}); limits fail closed until it can; retrying",
          config.redactedUrl(),
          e.getMessage());
      timer.schedule(this::connect, 1, TimeUnit.SECONDS);
    }
  }

  /**
   * How many times a connection to Redis dropped so far. What a node holds on the strength of
   * Redis's data (an advance) is not used across a drop: Redis may have restarted without it.
   */
  public long drops() {
    return drops.get();
  }

  /** Whether the command connection is open now. */
  public boolean up() {
    StatefulRedisConnection<String, String> c = connection;
    return c != null && c.isOpen();
  }

  /** The async commands, or null while never connected. */
  RedisAsyncCommands<String, String> commands() {
    StatefulRedisConnection<String, String> c = connection;
    return c == null ? null : c.async();
  }

  /** {@code prefix + name}. */
  public String key(String name) {
    return config.keyPrefix() + name;
  }

  /** The name of a channel of this cluster. */
  public String channel(String name) {
    return config.keyPrefix() + name;
  }

  public ClusterConfig.Redis config() {
    return config;
  }

  /** Calls {@code handler(channel, message)} for every message on this cluster's channels. */
  public void subscribe(BiConsumer<String, String> handler) {
    subscribers.add(handler);
  }

  /** Publishes {@code message} on {@code channel} (prefixed), best effort. */
  public void publish(String channel, String message) {
    RedisAsyncCommands<String, String> c = commands();
    if (c == null || !up()) {
      log.warn("Redis is unavailable: the invalidation {} reaches no other node", message);
      return;
    }
    c.publish(channel(channel), message)
        .exceptionally(
            e -> {
              log.warn("Redis publish of {} failed: {}", message, e.getMessage());
              return 0L;
            });
  }

  /** Runs {@code task} every {@code periodMs} on the link's timer thread. */
  public void every(long periodMs, Runnable task) {
    timer.scheduleWithFixedDelay(
        () -> {
          try {
            task.run();
          } catch (RuntimeException e) {
            log.warn("periodic Redis task failed", e);
          }
        },
        periodMs,
        periodMs,
        TimeUnit.MILLISECONDS);
  }

  /** A Lua script of the gateway, after {@code common.lua}, sent by digest. */
  public Script script(String resource) {
    return new Script(this, COMMON + "\n" + load(resource));
  }

  @Override
  public void close() {
    closed = true;
    timer.shutdownNow();
    if (pubsub != null) {
      pubsub.closeAsync();
    }
    if (connection != null) {
      connection.close();
    }
    client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    resources.shutdown(0, 2, TimeUnit.SECONDS);
  }

  private static String load(String resource) {
    try (InputStream in = RedisLink.class.getResourceAsStream("/redis/" + resource)) {
      if (in == null) {
        throw new IllegalStateException("script " + resource + " is missing from the jar");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read script " + resource, e);
    }
  }

  /** A script and its SHA-1, run with EVALSHA and loaded with EVAL when Redis lacks it. */
  public static final class Script {
    private final RedisLink link;
    private final String body;
    private final String sha;

    Script(RedisLink link, String body) {
      this.link = link;
      this.body = body;
      try {
        this.sha =
            HexFormat.of()
                .formatHex(
                    MessageDigest.getInstance("SHA-1")
                        .digest(body.getBytes(StandardCharsets.UTF_8)));
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException(e);
      }
    }

    /** Runs the script; fails at once when the link is down. */
    public <T> CompletionStage<T> run(ScriptOutputType type, String[] keys, String... args) {
      RedisAsyncCommands<String, String> c = link.up() ? link.commands() : null;
      if (c == null) {
        return CompletableFuture.failedFuture(new RedisDown("not connected"));
      }
      CompletionStage<T> first = c.<T>evalsha(sha, type, keys, args);
      return first
          .handle(
              (T ok, Throwable err) -> {
                if (err == null) {
                  return CompletableFuture.completedFuture(ok);
                }
                Throwable cause =
                    err instanceof java.util.concurrent.CompletionException ce
                            && ce.getCause() != null
                        ? ce.getCause()
                        : err;
                if (cause.getMessage() != null && cause.getMessage().startsWith("NOSCRIPT")) {
                  return (CompletionStage<T>) c.<T>eval(body, type, keys, args);
                }
                return CompletableFuture.<T>failedFuture(cause);
              })
          .thenCompose(x -> x);
    }
  }

  /** Redis cannot be reached or did not answer in time. */
  public static final class RedisDown extends RuntimeException {
    public RedisDown(String message) {
      super(message, null, false, false);
    }
  }
}
