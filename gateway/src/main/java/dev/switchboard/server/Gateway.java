package dev.switchboard.server;

import dev.switchboard.core.media.AddressPolicy;
import dev.switchboard.core.media.MediaFetcher;
import dev.switchboard.server.auth.Authenticator;
import dev.switchboard.server.catalog.Catalog;
import dev.switchboard.server.catalog.ProviderInfo;
import dev.switchboard.server.config.GatewayConfig;
import dev.switchboard.server.config.GatewayConfig.ProviderConfig;
import dev.switchboard.server.http.GatewayVerticle;
import dev.switchboard.server.pipeline.Services;
import dev.switchboard.server.routing.ProviderRegistry;
import dev.switchboard.server.routing.RoutePlanner;
import dev.switchboard.server.routing.StickyRoutes;
import dev.switchboard.server.stats.LiveStats;
import dev.switchboard.server.storage.ApiKey;
import dev.switchboard.server.storage.KeyKind;
import dev.switchboard.server.storage.Keys;
import dev.switchboard.server.storage.NewKey;
import dev.switchboard.server.storage.Storage;
import dev.switchboard.server.storage.StorageOptions;
import dev.switchboard.simulator.Simulator;
import dev.switchboard.simulator.SimulatorConfig;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running gateway: storage, catalog, providers and one HTTP server per event loop; in demo mode
 * also the in-process simulator that stands in for every provider. {@link #close()} stops taking
 * requests, then drains the generation records to storage.
 */
public final class Gateway implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(Gateway.class);

  /** The inference key demo mode creates, so a newcomer can call the API at once. */
  public static final String DEMO_KEY = "sk-sb-v1-demo";

  private final Vertx vertx;
  private final Storage storage;
  private final Simulator simulator;
  private final Services services;
  private final int port;
  private final String generatedMasterKey;
  private final List<String> deployments;
  private volatile boolean closed;

  private Gateway(
      Vertx vertx,
      Storage storage,
      Simulator simulator,
      Services services,
      int port,
      String generatedMasterKey,
      List<String> deployments) {
    this.vertx = vertx;
    this.storage = storage;
    this.simulator = simulator;
    this.services = services;
    this.port = port;
    this.generatedMasterKey = generatedMasterKey;
    this.deployments = deployments;
  }

  /** Starts everything and returns once the server listens. */
  public static Gateway start(GatewayConfig config) {
    return start(config, Storage.sqlite(config.storage().dataDir(), StorageOptions.defaults()));
  }

  /** Starts on the given storage (tests pass an in-memory one). The gateway closes it. */
  public static Gateway start(GatewayConfig config, Storage storage) {
    int loops =
        config.server().eventLoops() > 0
            ? config.server().eventLoops()
            : Runtime.getRuntime().availableProcessors();
    Vertx vertx =
        Vertx.vertx(new VertxOptions().setEventLoopPoolSize(loops).setPreferNativeTransport(true));
    Simulator simulator = null;
    try {
      GatewayConfig effective = config;
      if (config.demo()) {
        simulator =
            Simulator.start(
                vertx,
                SimulatorConfig.defaults().toBuilder()
                    .port(freePortIfZero("127.0.0.1", 0))
                    .build());
        effective = demoProviders(config, simulator);
      }
      String generated = ensureKeys(effective, storage);
      ProviderRegistry registry = ProviderRegistry.of(effective.providers(), effective.demo());
      Catalog catalog = catalog(effective);
      Clock clock = Clock.systemUTC();
      // Every instance binds the same port. Vert.x shares a port only between servers that ask
      // for the same number, so port 0 is resolved to a free port first.
      int port = freePortIfZero(effective.server().host(), effective.server().port());
      LiveStats stats =
          LiveStats.withBreaker(
              clock::millis,
              effective.routing().breakerFailures(),
              effective.routing().breakerOpenMs(),
              Math.max(effective.routing().breakerOpenMs(), 120_000));
      StickyRoutes sticky = new StickyRoutes();
      Services shared =
          new Services(
              withPort(effective, port),
              catalog,
              registry,
              new RoutePlanner(
                  catalog,
                  registry,
                  stats,
                  sticky,
                  java.util.concurrent.ThreadLocalRandom::current),
              new Authenticator(storage.keys(), clock),
              storage,
              clock,
              stats,
              sticky,
              mediaFetcher(effective.media()));
      List<String> deployments =
          List.of(
              await(
                  vertx.deployVerticle(
                      () -> new GatewayVerticle(shared),
                      new DeploymentOptions().setInstances(loops))));
      Gateway gateway =
          new Gateway(vertx, storage, simulator, shared, port, generated, deployments);
      gateway.logStart(loops);
      return gateway;
    } catch (RuntimeException e) {
      if (simulator != null) {
        simulator.close();
      }
      storage.close();
      vertx.close();
      throw e;
    }
  }

  private static MediaFetcher mediaFetcher(GatewayConfig.MediaConfig media) {
    return MediaFetcher.create(
        MediaFetcher.Options.defaults()
            .withMaxBytes(media.maxBytes())
            .withTimeout(java.time.Duration.ofMillis(media.timeoutMs()))
            .withAddresses(new AddressPolicy(media.allowLoopback(), media.allowPrivate())));
  }

  private static int freePortIfZero(String host, int port) {
    if (port != 0) {
      return port;
    }
    try (java.net.ServerSocket socket =
        new java.net.ServerSocket(0, 1, java.net.InetAddress.getByName(host))) {
      return socket.getLocalPort();
    } catch (java.io.IOException e) {
      throw new IllegalStateException("cannot find a free port on " + host, e);
    }
  }

  private static GatewayConfig demoProviders(GatewayConfig config, Simulator simulator) {
    Map<String, ProviderConfig> providers = new LinkedHashMap<>();
    for (ProviderConfig p : config.providers().values()) {
      providers.put(
          p.slug(),
          new ProviderConfig(
              p.slug(),
              p.name(),
              "openai",
              simulator.baseUrl(p.slug()),
              "sim-" + p.slug(),
              true,
              p.privacyPolicyUrl(),
              p.termsOfServiceUrl(),
              p.statusPageUrl()));
    }
    return config.asDemo(providers);
  }

  private static GatewayConfig withPort(GatewayConfig c, int port) {
    return c.withServer(
        new GatewayConfig.ServerConfig(
            c.server().host(), port, c.server().maxBodyBytes(), c.server().eventLoops()));
  }

  private static Catalog catalog(GatewayConfig config) {
    List<ProviderInfo> providers = new ArrayList<>();
    for (ProviderConfig p : config.providers().values()) {
      providers.add(
          new ProviderInfo(
              p.slug(), p.name(), p.privacyPolicyUrl(), p.termsOfServiceUrl(), p.statusPageUrl()));
    }
    return new Catalog(config.catalog().models(), providers);
  }

  /**
   * Makes sure a management key exists: the one from {@code SWITCHBOARD_MASTER_KEY}, or a new one
   * whose plaintext is returned (to be shown once). In demo mode also the demo inference key.
   */
  private static String ensureKeys(GatewayConfig config, Storage storage) {
    String generated = null;
    if (config.masterKey() != null) {
      String hash = Keys.hash(config.masterKey());
      if (storage.keys().findByHash(hash).isEmpty()) {
        storage.keys().create(NewKey.of(config.masterKey(), "master", KeyKind.MANAGEMENT));
      }
    } else if (!hasManagementKey(storage)) {
      generated = Keys.generateManagementKey();
      storage.keys().create(NewKey.of(generated, "master", KeyKind.MANAGEMENT));
    }
    if (config.demo() && storage.keys().findByHash(Keys.hash(DEMO_KEY)).isEmpty()) {
      storage.keys().create(NewKey.of(DEMO_KEY, "demo", KeyKind.INFERENCE));
    }
    return generated;
  }

  private static boolean hasManagementKey(Storage storage) {
    for (int offset = 0; ; offset += 100) {
      List<ApiKey> page = storage.keys().list(offset, 100, true);
      for (ApiKey k : page) {
        if (k.kind() == KeyKind.MANAGEMENT) {
          return true;
        }
      }
      if (page.size() < 100) {
        return false;
      }
    }
  }

  private void logStart(int loops) {
    var config = services.config();
    log.atInfo()
        .addKeyValue("host", config.server().host())
        .addKeyValue("port", port)
        .addKeyValue("event_loops", loops)
        .log("Switchboard listening on http://{}:{}/api/v1", config.server().host(), port);
    log.info(
        "Storage: SQLite in {} (WAL, batched write-behind)",
        config.storage().dataDir().toAbsolutePath().normalize());
    if (simulator != null) {
      log.info(
          "Demo mode: every provider is simulated in-process on port {}; no provider keys needed",
          simulator.port());
    }
    log.info(
        "Providers enabled ({}): {}",
        services.providers().active().size(),
        String.join(", ", services.providers().active().keySet()));
    for (ProviderRegistry.Skipped s : services.providers().skipped()) {
      log.info("Provider {} not enabled: {}", s.slug(), s.reason());
    }
  }

  public int port() {
    return port;
  }

  public String baseUrl() {
    return "http://" + services.config().server().host() + ":" + port + "/api/v1";
  }

  public Services services() {
    return services;
  }

  /** The management key generated on this start (shown once), or null. */
  public String generatedMasterKey() {
    return generatedMasterKey;
  }

  /** The in-process simulator in demo mode, or null. */
  public Simulator simulator() {
    return simulator;
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      for (String id : deployments) {
        await(vertx.undeploy(id));
      }
    } catch (RuntimeException e) {
      log.warn("error while stopping the HTTP servers", e);
    }
    storage.close();
    services.mediaFetcher().close();
    if (simulator != null) {
      simulator.close();
    }
    await(vertx.close());
    log.info("Switchboard stopped; generation records drained");
  }

  private static <T> T await(io.vertx.core.Future<T> future) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    } catch (java.util.concurrent.ExecutionException e) {
      if (e.getCause() instanceof RuntimeException re) {
        throw re;
      }
      throw new IllegalStateException(e.getCause());
    } catch (java.util.concurrent.TimeoutException e) {
      throw new IllegalStateException("timed out", e);
    }
  }
}
