package dev.switchboard.server;

import dev.switchboard.core.error.FailureClass;
import dev.switchboard.core.error.GatewayError;
import dev.switchboard.core.media.AddressPolicy;
import dev.switchboard.core.media.MediaFetcher;
import dev.switchboard.core.media.MediaLoader;
import dev.switchboard.server.auth.Authenticator;
import dev.switchboard.server.catalog.Catalog;
import dev.switchboard.server.catalog.ProviderInfo;
import dev.switchboard.server.cluster.Cluster;
import dev.switchboard.server.config.GatewayConfig;
import dev.switchboard.server.config.GatewayConfig.ProviderConfig;
import dev.switchboard.server.config.ObservabilityConfig;
import dev.switchboard.server.http.ConnectionGuard;
import dev.switchboard.server.http.GatewayVerticle;
import dev.switchboard.server.http.GuardedTransport;
import dev.switchboard.server.http.MetricsServer;
import dev.switchboard.server.limits.Admission;
import dev.switchboard.server.limits.StorageSpendBook;
import dev.switchboard.server.pipeline.Services;
import dev.switchboard.server.plugins.PluginServices;
import dev.switchboard.server.plugins.ToolPlugins;
import dev.switchboard.server.routing.ProviderRegistry;
import dev.switchboard.server.routing.RoutePlanner;
import dev.switchboard.server.routing.StickyRoutes;
import dev.switchboard.server.stats.LiveStats;
import dev.switchboard.server.storage.ApiKey;
import dev.switchboard.server.storage.KeyKind;
import dev.switchboard.server.storage.KeyPatch;
import dev.switchboard.server.storage.Keys;
import dev.switchboard.server.storage.NewKey;
import dev.switchboard.server.storage.PostgresSettings;
import dev.switchboard.server.storage.Storage;
import dev.switchboard.server.storage.StorageOptions;
import dev.switchboard.server.telemetry.Metrics;
import dev.switchboard.server.telemetry.Telemetry;
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
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running gateway: storage, catalog, providers and one HTTP server per event loop; in demo mode
 * also the in-process simulator that stands in for every provider. {@link #close()} drains: it
 * marks the gateway not ready, stops accepting, lets requests in flight finish within the drain
 * time and ends those that do not, then drains the generation records to storage.
 */
public final class Gateway implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(Gateway.class);

  /** The inference key demo mode creates, so a newcomer can call the API at once. */
  public static final String DEMO_KEY = "sk-sb-v1-demo";

  private final Vertx vertx;
  private final ConnectionGuard guard;
  private final Storage storage;
  private final Simulator simulator;
  private final Services services;
  private final int port;
  private final String generatedMasterKey;
  private final List<String> deployments;
  private final Telemetry telemetry;
  private final int metricsPort;
  private final PluginServices plugins;
  private volatile boolean closed;

  private Gateway(
      Vertx vertx,
      ConnectionGuard guard,
      Storage storage,
      Simulator simulator,
      Services services,
      PluginServices plugins,
      int port,
      String generatedMasterKey,
      List<String> deployments,
      Telemetry telemetry,
      int metricsPort) {
    this.plugins = plugins;
    this.telemetry = telemetry;
    this.metricsPort = metricsPort;
    this.vertx = vertx;
    this.guard = guard;
    this.storage = storage;
    this.simulator = simulator;
    this.services = services;
    this.port = port;
    this.generatedMasterKey = generatedMasterKey;
    this.deployments = deployments;
  }

  /** Starts everything and returns once the server listens. */
  public static Gateway start(GatewayConfig config) {
    dev.switchboard.server.logging.NodeId.set(config.node().id());
    return start(config, openStorage(config.storage()));
  }

  /**
   * The storage {@code storage.kind} names: SQLite in the data folder (locked: one gateway per
   * folder), or PostgreSQL (no lock: several gateways share the database).
   */
  public static Storage openStorage(GatewayConfig.StorageConfig s) {
    StorageOptions options =
        StorageOptions.defaults().withMaxBacklog(s.backlog()).withRetentionDays(s.retentionDays());
    if (s.postgres()) {
      return Storage.postgres(
          new PostgresSettings(
              s.url(),
              s.user(),
              s.password(),
              s.poolSize(),
              java.time.Duration.ofMillis(s.connectTimeoutMs())),
          options);
    }
    return Storage.sqlite(s.dataDir(), options);
  }

  /** Starts on the given storage (tests pass an in-memory one). The gateway closes it. */
  public static Gateway start(GatewayConfig config, Storage storage) {
    int loops =
        config.server().eventLoops() > 0
            ? config.server().eventLoops()
            : Runtime.getRuntime().availableProcessors();
    GatewayConfig.ServerConfig server = config.server();
    ConnectionGuard guard =
        new ConnectionGuard(
            connectionLimit(server.maxConnections(), config.upstream().http2()),
            server.idleTimeoutMs(),
            server.headerTimeoutMs(),
            server.bodyTimeoutMs());
    // The HTTP clients' connection pools reach /metrics through Vert.x's metrics SPI, switched on
    // only with the metrics: with them off, Vert.x calls no metrics hook on any request.
    dev.switchboard.server.upstream.ClientPools clientPools =
        new dev.switchboard.server.upstream.ClientPools();
    boolean metricsOn = config.observability().metrics().enabled();
    io.vertx.core.VertxBuilder builder =
        Vertx.builder()
            .with(
                new VertxOptions()
                    .setEventLoopPoolSize(loops)
                    .setMetricsOptions(
                        new io.vertx.core.metrics.MetricsOptions().setEnabled(metricsOn)));
    if (metricsOn) {
      builder.withMetrics(clientPools);
    }
    Vertx vertx = builder.withTransport(GuardedTransport.around(guard)).build();
    Simulator simulator = null;
    Telemetry telemetry = null;
    Cluster cluster = Cluster.NONE;
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
      guard.guardPort(port);
      LiveStats stats =
          LiveStats.withBreaker(
              clock::millis,
              effective.routing().breakerFailures(),
              effective.routing().breakerOpenMs(),
              Math.max(effective.routing().breakerOpenMs(), 120_000));
      StickyRoutes sticky = new StickyRoutes();
      cluster = Cluster.open(effective.cluster(), effective.node().id());
      Authenticator authenticator =
          new Authenticator(
              storage.keys(),
              clock,
              java.time.Duration.ofMinutes(effective.dashboard().sessionTtlMinutes()));
      Admission admission =
          cluster.shared()
              ? new Admission(
                  effective.limits(),
                  catalog,
                  storage,
                  cluster.gate(new StorageSpendBook(storage)),
                  clock)
              : Admission.local(effective.limits(), catalog, storage, clock);
      admission.warmTokenizerIfCounting();
      if (cluster.shared()) {
        dev.switchboard.server.cluster.SharedStats.start(cluster.link(), stats, cluster.node());
        authenticator.sharedWith(cluster::keyChanged);
        // The storage's caches first, then the authenticator's: a lookup in between would put the
        // old row back into the authenticator's cache.
        cluster.onKeyChanged(
            hash -> {
              storage.keys().forget(hash);
              authenticator.invalidateHere(hash);
            });
        cluster.onChanged(() -> storage.refreshSoon(authenticator::invalidateAllHere));
        sticky.sharedWith(cluster::stickyLearned);
        cluster.onStickyLearned(sticky::learnedElsewhere);
      }
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
                  authenticator,
                  storage,
                  clock,
                  stats,
                  sticky,
                  mediaLoader(effective.media()),
                  admission)
              .inCluster(cluster);
      telemetry = Telemetry.of(effective.observability(), catalog, stats);
      if (telemetry.metrics() != null) {
        telemetry.metrics().bindPools(storage.connectionPools(), clientPools);
      }
      Services observed = shared.observedBy(telemetry);
      ObservabilityConfig.Metrics metricsConfig = effective.observability().metrics();
      Metrics onMainPort = metricsConfig.separatePort() ? null : telemetry.metrics();
      PluginServices toolServices = PluginServices.create(shared.config(), catalog, clock);
      dev.switchboard.server.pipeline.Plugins plugins =
          new ToolPlugins(
              dev.switchboard.server.plugins.StandardPlugins.of(observed, toolServices),
              toolServices);
      List<String> deployments =
          List.of(
              await(
                  vertx.deployVerticle(
                      () -> new GatewayVerticle(observed, guard, plugins, onMainPort),
                      new DeploymentOptions().setInstances(loops))));
      int metricsPort = -1;
      if (metricsConfig.separatePort()) {
        metricsPort =
            await(
                    MetricsServer.start(
                        vertx,
                        observed,
                        telemetry.metrics(),
                        metricsConfig.host(),
                        metricsConfig.port()))
                .actualPort();
      }
      // The listening socket's bootstrap is configured on Vert.x's side of the listen; a start
      // under load once found the flag not yet set when the deployment had completed (CI,
      // 2026-12-04), so it is given a moment before the start fails.
      for (int i = 0; i < 200 && !guard.isAttached(); i++) {
        java.util.concurrent.locks.LockSupport.parkNanos(10_000_000L);
      }
      if (!guard.isAttached()) {
        // Without it the server would run with no connection limit and no time-outs.
        throw new IllegalStateException("the connection guard is not on the listening socket");
      }
      Gateway gateway =
          new Gateway(
              vertx,
              guard,
              storage,
              simulator,
              observed,
              toolServices,
              port,
              generated,
              deployments,
              telemetry,
              metricsPort);
      gateway.logStart(loops);
      return gateway;
    } catch (RuntimeException e) {
      if (simulator != null) {
        simulator.close();
      }
      if (telemetry != null) {
        telemetry.close();
      }
      cluster.close();
      storage.close();
      vertx.close();
      throw e;
    }
  }

  /**
   * At most {@code configured} connections (0: 10,000), and no more than the file-descriptor limit
   * allows ({@link #allowedConnections}).
   */
  static int connectionLimit(int configured, boolean http2) {
    int wanted = configured > 0 ? configured : 10_000;
    long descriptors = maxFileDescriptors();
    if (descriptors <= 0) {
      return wanted;
    }
    int allowed = allowedConnections(descriptors, http2);
    if (wanted <= allowed) {
      return wanted;
    }
    if (configured > 0) {
      log.warn(
          "server.max-connections is {} but the file-descriptor limit of {} allows {}; using {}"
              + " (raise the limit with ulimit -n)",
          configured,
          descriptors,
          allowed,
          allowed);
    }
    return allowed;
  }

  /**
   * The client connections a file-descriptor limit allows. The process keeps 256 for its database,
   * logs and jars. Over HTTP/1.1 every client connection may hold an upstream connection too, so
   * half of the rest; over HTTP/2 many requests share one upstream connection, so the upstream
   * pools get at most 2,048 (or half, when the limit is small) and the clients the rest.
   */
  static int allowedConnections(long descriptors, boolean http2) {
    long usable = descriptors - 256;
    long clients = http2 ? usable - Math.min(usable / 2, 2_048) : usable / 2;
    return (int) Math.max(16, Math.min(Integer.MAX_VALUE, clients));
  }

  private static long maxFileDescriptors() {
    if (java.lang.management.ManagementFactory.getOperatingSystemMXBean()
        instanceof com.sun.management.UnixOperatingSystemMXBean unix) {
      return unix.getMaxFileDescriptorCount();
    }
    return -1;
  }

  private static MediaLoader mediaLoader(GatewayConfig.MediaConfig media) {
    return MediaLoader.create(
        MediaFetcher.Options.defaults()
            .withMaxBytes(media.maxBytes())
            .withTimeout(java.time.Duration.ofMillis(media.timeoutMs()))
            .withAddresses(new AddressPolicy(media.allowLoopback(), media.allowPrivate())),
        new MediaLoader.Limits(
            media.maxRequestBytes(),
            media.maxTotalBytes(),
            media.fetchThreads(),
            media.fetchQueue()));
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
    GatewayConfig demo = config.asDemo(providers);
    if (!demo.plugins().web().configured()) {
      // The simulator's search API stands in for Exa, as its providers stand in for the real ones.
      demo =
          demo.withPlugins(
              demo.plugins()
                  .withWeb(demo.plugins().web().withExa(simulator.url() + "/exa", "sim-exa")));
    }
    return demo;
  }

  private static GatewayConfig withPort(GatewayConfig c, int port) {
    return c.withServer(c.server().withPort(port));
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
        createUnlessThere(storage, NewKey.of(config.masterKey(), "master", KeyKind.MANAGEMENT));
      }
    } else if (!hasManagementKey(storage)) {
      generated = Keys.generateManagementKey();
      storage.keys().create(NewKey.of(generated, "master", KeyKind.MANAGEMENT));
    }
    demoKey(config.demo(), storage);
    return generated;
  }

  /**
   * The demo key is public (it is in the README), so it may only work in demo mode: demo mode
   * creates or re-enables it, any other start on the same data folder disables it and says so.
   */
  private static void demoKey(boolean demo, Storage storage) {
    String hash = Keys.hash(DEMO_KEY);
    Optional<ApiKey> existing = storage.keys().findByHash(hash);
    if (demo) {
      if (existing.isEmpty()) {
        createUnlessThere(storage, NewKey.of(DEMO_KEY, "demo", KeyKind.INFERENCE));
      } else if (existing.get().disabled()) {
        storage.keys().update(hash, KeyPatch.empty().withDisabled(false));
      }
    } else if (existing.isPresent() && !existing.get().disabled()) {
      storage.keys().update(hash, KeyPatch.empty().withDisabled(true));
      log.warn(
          "Disabled the public demo key {} left in this data folder by --demo: it works only in"
              + " demo mode",
          DEMO_KEY);
    }
  }

  /**
   * Creates a key unless another node sharing the database created the same one a moment ago (two
   * nodes starting at once with the same {@code SWITCHBOARD_MASTER_KEY}).
   */
  private static void createUnlessThere(Storage storage, NewKey key) {
    try {
      storage.keys().create(key);
    } catch (dev.switchboard.core.error.GatewayException e) {
      if (storage.keys().findByHash(key.hash()).isEmpty()) {
        throw e;
      }
    }
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
        .addKeyValue("node_id", config.node().id())
        .log("Switchboard listening on http://{}:{}/api/v1", config.server().host(), port);
    var server = config.server();
    log.info(
        "Connections: at most {} at once; time-outs: idle {} ms, request head {} ms, body {} ms;"
            + " drain on shutdown {} ms",
        guard.maxConnections(),
        server.idleTimeoutMs(),
        server.headerTimeoutMs(),
        server.bodyTimeoutMs(),
        server.drainTimeoutMs());
    if (config.storage().postgres()) {
      log.info(
          "Storage: PostgreSQL at {} (shared with other nodes; replies wait for their records)",
          config.storage().url().replaceAll("\\?.*$", ""));
    } else {
      log.info(
          "Storage: SQLite in {} (WAL, batched write-behind)",
          config.storage().dataDir().toAbsolutePath().normalize());
    }
    if (simulator != null) {
      log.info(
          "Demo mode: every provider is simulated in-process on port {}; no provider keys needed",
          simulator.port());
    }
    var metrics = config.observability().metrics();
    log.info(
        "Metrics: {}; traces: {}",
        !metrics.enabled()
            ? "off"
            : metrics.separatePort()
                ? "GET http://" + metrics.host() + ":" + metricsPort + "/metrics"
                : "GET /metrics with a management key",
        telemetry.tracing() ? "exported (OTEL_* variables)" : "off");
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

  /** The port of the separate metrics listener, or -1 when {@code /metrics} is on the main port. */
  public int metricsPort() {
    return metricsPort;
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
      drain();
    } catch (RuntimeException e) {
      log.warn("error while stopping the HTTP servers", e);
    }
    services.cluster().close();
    storage.close();
    services.media().close();
    plugins.close();
    telemetry.close(); // exports the spans still buffered
    if (simulator != null) {
      simulator.close();
    }
    await(vertx.close());
    log.info("Switchboard stopped; generation records drained");
  }

  /**
   * The graceful stop: not ready at once; after the unready delay (load balancers notice) no new
   * connections and idle ones closed; requests in flight get the drain time, then those still going
   * are ended (a stream with the in-band error chunk, other requests with a 503), and after a short
   * grace for those last bytes the servers close what is left.
   */
  private void drain() {
    var server = services.config().server();
    long drainMs = server.drainTimeoutMs();
    guard.markUnready();
    log.info(
        "Shutting down: not ready; {} connections open; requests in flight get up to {} ms",
        guard.openConnections(),
        drainMs);
    if (server.unreadyDelayMs() > 0) {
      sleep(server.unreadyDelayMs());
    }
    guard.refuseNew();
    List<io.vertx.core.Future<Void>> undeploys = new ArrayList<>();
    for (String id : deployments) {
      undeploys.add(vertx.undeploy(id));
    }
    var stopped = io.vertx.core.Future.all(undeploys).toCompletionStage().toCompletableFuture();
    guard.closeIdle();
    try {
      stopped.get(drainMs, TimeUnit.MILLISECONDS);
      return;
    } catch (java.util.concurrent.TimeoutException stillBusy) {
      int ended =
          guard.abortInFlight(
              GatewayError.of(
                  FailureClass.SHUTTING_DOWN,
                  503,
                  "The gateway is shutting down and its drain time of " + drainMs + " ms is over"));
      log.warn("Drain time of {} ms over: ended {} requests still in flight", drainMs, ended);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return;
    } catch (java.util.concurrent.ExecutionException e) {
      log.warn("error while stopping the HTTP servers", e.getCause());
      return;
    }
    try {
      stopped.get(GatewayVerticle.ABORT_GRACE_MS + 10_000, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      log.warn("the HTTP servers did not stop cleanly", e);
    }
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
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
