package dev.switchboard.server.config;

import dev.switchboard.server.catalog.ModelEntry;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The whole configuration, immutable. Built by {@link ConfigLoader} from one YAML file plus the
 * environment, or in code (tests do that). {@link #toString()} of every part that holds a secret
 * redacts it.
 */
public record GatewayConfig(
    ServerConfig server,
    UpstreamConfig upstream,
    StreamConfig stream,
    RoutingConfig routing,
    MediaConfig media,
    StorageConfig storage,
    LogConfig log,
    Map<String, ProviderConfig> providers,
    CatalogConfig catalog,
    String masterKey,
    boolean demo,
    LimitsConfig limits,
    ErrorsConfig errors,
    DashboardConfig dashboard,
    ObservabilityConfig observability,
    FeaturesConfig features,
    PluginsConfig plugins,
    ClusterConfig cluster,
    NodeConfig node) {

  public GatewayConfig {
    providers = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(providers));
    limits = limits == null ? LimitsConfig.DEFAULT : limits;
    errors = errors == null ? ErrorsConfig.DEFAULT : errors;
    dashboard = dashboard == null ? DashboardConfig.DEFAULT : dashboard;
    observability = observability == null ? ObservabilityConfig.DEFAULT : observability;
    features = features == null ? FeaturesConfig.DEFAULT : features;
    plugins = plugins == null ? PluginsConfig.DEFAULT : plugins;
    cluster = cluster == null ? ClusterConfig.NONE : cluster;
    node = node == null ? NodeConfig.generated() : node;
  }

  /**
   * This configuration with some sections replaced: {@code change} sets them on a mutable copy of
   * the parts, and the canonical constructor checks the result. Every {@code with...} method goes
   * through here, so a new section is added in one place.
   */
  private GatewayConfig copy(java.util.function.Consumer<Parts> change) {
    Parts p = new Parts(this);
    change.accept(p);
    return p.build();
  }

  /** The parts of a {@link GatewayConfig} while {@link #copy} changes some of them. */
  private static final class Parts {
    private ServerConfig server;
    private UpstreamConfig upstream;
    private StreamConfig stream;
    private RoutingConfig routing;
    private MediaConfig media;
    private StorageConfig storage;
    private LogConfig log;
    private Map<String, ProviderConfig> providers;
    private CatalogConfig catalog;
    private String masterKey;
    private boolean demo;
    private LimitsConfig limits;
    private ErrorsConfig errors;
    private DashboardConfig dashboard;
    private ObservabilityConfig observability;
    private FeaturesConfig features;
    private PluginsConfig plugins;
    private ClusterConfig cluster;
    private NodeConfig node;

    Parts(GatewayConfig c) {
      server = c.server;
      upstream = c.upstream;
      stream = c.stream;
      routing = c.routing;
      media = c.media;
      storage = c.storage;
      log = c.log;
      providers = c.providers;
      catalog = c.catalog;
      masterKey = c.masterKey;
      demo = c.demo;
      limits = c.limits;
      errors = c.errors;
      dashboard = c.dashboard;
      observability = c.observability;
      features = c.features;
      plugins = c.plugins;
      cluster = c.cluster;
      node = c.node;
    }

    GatewayConfig build() {
      return new GatewayConfig(
          server,
          upstream,
          stream,
          routing,
          media,
          storage,
          log,
          providers,
          catalog,
          masterKey,
          demo,
          limits,
          errors,
          dashboard,
          observability,
          features,
          plugins,
          cluster,
          node);
    }
  }

  /** The configuration with the defaults of the later sections and a generated node id. */
  public GatewayConfig(
      ServerConfig server,
      UpstreamConfig upstream,
      StreamConfig stream,
      RoutingConfig routing,
      MediaConfig media,
      StorageConfig storage,
      LogConfig log,
      Map<String, ProviderConfig> providers,
      CatalogConfig catalog,
      String masterKey,
      boolean demo,
      LimitsConfig limits,
      ErrorsConfig errors) {
    this(
        server,
        upstream,
        stream,
        routing,
        media,
        storage,
        log,
        providers,
        catalog,
        masterKey,
        demo,
        limits,
        errors,
        DashboardConfig.DEFAULT,
        ObservabilityConfig.DEFAULT,
        FeaturesConfig.DEFAULT,
        PluginsConfig.DEFAULT,
        ClusterConfig.NONE,
        null);
  }

  /** The configuration without {@code limits} and {@code errors} sections: their defaults. */
  public GatewayConfig(
      ServerConfig server,
      UpstreamConfig upstream,
      StreamConfig stream,
      RoutingConfig routing,
      MediaConfig media,
      StorageConfig storage,
      LogConfig log,
      Map<String, ProviderConfig> providers,
      CatalogConfig catalog,
      String masterKey,
      boolean demo) {
    this(
        server,
        upstream,
        stream,
        routing,
        media,
        storage,
        log,
        providers,
        catalog,
        masterKey,
        demo,
        LimitsConfig.DEFAULT,
        ErrorsConfig.DEFAULT);
  }

  /** This configuration with another features section. */
  public GatewayConfig withFeatures(FeaturesConfig features) {
    return copy(p -> p.features = features);
  }

  /** This configuration with another log section. */
  public GatewayConfig withLog(LogConfig log) {
    return copy(p -> p.log = log);
  }

  /** This configuration with another plugins section. */
  public GatewayConfig withPlugins(PluginsConfig plugins) {
    return copy(p -> p.plugins = plugins);
  }

  /** This configuration with another catalog section. */
  public GatewayConfig withCatalog(CatalogConfig catalog) {
    return copy(p -> p.catalog = catalog);
  }

  /** This configuration with another cluster section. */
  public GatewayConfig withCluster(ClusterConfig cluster) {
    return copy(p -> p.cluster = cluster);
  }

  /** This configuration with another node section. */
  public GatewayConfig withNode(NodeConfig node) {
    return copy(p -> p.node = node);
  }

  /** This configuration with another limits section. */
  public GatewayConfig withLimits(LimitsConfig limits) {
    return copy(p -> p.limits = limits);
  }

  /** This configuration with another server section. */
  public GatewayConfig withServer(ServerConfig server) {
    return copy(p -> p.server = server);
  }

  /** This configuration with another upstream section. */
  public GatewayConfig withUpstream(UpstreamConfig upstream) {
    return copy(p -> p.upstream = upstream);
  }

  /** This configuration with another media section. */
  public GatewayConfig withMedia(MediaConfig media) {
    return copy(p -> p.media = media);
  }

  /** This configuration with another errors section. */
  public GatewayConfig withErrors(ErrorsConfig errors) {
    return copy(p -> p.errors = errors);
  }

  /** This configuration with another observability section. */
  public GatewayConfig withObservability(ObservabilityConfig observability) {
    return copy(p -> p.observability = observability);
  }

  /** This configuration with another dashboard section. */
  public GatewayConfig withDashboard(DashboardConfig dashboard) {
    return copy(p -> p.dashboard = dashboard);
  }

  /**
   * The web dashboard at {@code /} and {@code /dashboard}: whether it is served, how long a login
   * session lasts, and when its cookie is marked {@code Secure} ({@code AUTO}: when the request
   * came over TLS, directly or per {@code X-Forwarded-Proto: https}; {@code ALWAYS}: on every
   * response, for a TLS proxy that does not say so).
   */
  public record DashboardConfig(
      boolean enabled, long sessionTtlMinutes, SecureCookie secureCookie) {

    public static final DashboardConfig DEFAULT = new DashboardConfig(true, 480, SecureCookie.AUTO);

    /** When the session cookie carries {@code Secure}. */
    public enum SecureCookie {
      AUTO,
      ALWAYS
    }
  }

  /** This configuration in demo mode, with {@code providers} (the simulated ones) instead. */
  public GatewayConfig asDemo(Map<String, ProviderConfig> providers) {
    return copy(
        p -> {
          p.providers = providers;
          p.demo = true;
        });
  }

  /**
   * Where and how the HTTP server listens, and what it allows one connection: at most {@code
   * maxConnections} at once (0: 10,000, and never more than the file-descriptor limit allows); a
   * connection with no request in flight is closed after {@code idleTimeoutMs} of silence; a
   * request head must arrive within {@code headerTimeoutMs} of its first byte (of the connection's
   * opening for the first request); a body within {@code bodyTimeoutMs} of its head. On shutdown
   * {@code /health/ready} answers 503 for {@code unreadyDelayMs} while requests are still served,
   * then the server stops accepting and waits up to {@code drainTimeoutMs} for requests in flight
   * before it ends them.
   */
  public record ServerConfig(
      String host,
      int port,
      long maxBodyBytes,
      int eventLoops,
      int maxConnections,
      long idleTimeoutMs,
      long headerTimeoutMs,
      long bodyTimeoutMs,
      long drainTimeoutMs,
      long unreadyDelayMs) {

    public static final int DEFAULT_MAX_CONNECTIONS = 0;
    public static final long DEFAULT_IDLE_TIMEOUT_MS = 120_000;
    public static final long DEFAULT_HEADER_TIMEOUT_MS = 10_000;
    public static final long DEFAULT_BODY_TIMEOUT_MS = 60_000;
    public static final long DEFAULT_DRAIN_TIMEOUT_MS = 25_000;

    /** The default limits and time-outs. */
    public ServerConfig(String host, int port, long maxBodyBytes, int eventLoops) {
      this(
          host,
          port,
          maxBodyBytes,
          eventLoops,
          DEFAULT_MAX_CONNECTIONS,
          DEFAULT_IDLE_TIMEOUT_MS,
          DEFAULT_HEADER_TIMEOUT_MS,
          DEFAULT_BODY_TIMEOUT_MS,
          DEFAULT_DRAIN_TIMEOUT_MS,
          0);
    }

    /** The same on another port. */
    public ServerConfig withPort(int port) {
      return new ServerConfig(
          host,
          port,
          maxBodyBytes,
          eventLoops,
          maxConnections,
          idleTimeoutMs,
          headerTimeoutMs,
          bodyTimeoutMs,
          drainTimeoutMs,
          unreadyDelayMs);
    }

    /** The same with other connection limits (tests make them small). */
    public ServerConfig withLimits(
        int maxConnections, long idleTimeoutMs, long headerTimeoutMs, long bodyTimeoutMs) {
      return new ServerConfig(
          host,
          port,
          maxBodyBytes,
          eventLoops,
          maxConnections,
          idleTimeoutMs,
          headerTimeoutMs,
          bodyTimeoutMs,
          drainTimeoutMs,
          unreadyDelayMs);
    }

    /** The same with another shutdown behaviour. */
    public ServerConfig withDrain(long drainTimeoutMs, long unreadyDelayMs) {
      return new ServerConfig(
          host,
          port,
          maxBodyBytes,
          eventLoops,
          maxConnections,
          idleTimeoutMs,
          headerTimeoutMs,
          bodyTimeoutMs,
          drainTimeoutMs,
          unreadyDelayMs);
    }
  }

  /**
   * Upstream HTTP client: pool size, the three time-outs in milliseconds, and the protocol spoken
   * to the upstreams: HTTP/1.1 ({@code http2} false, the default) or HTTP/2 ({@code http2} true:
   * ALPN over TLS, prior knowledge over cleartext, many streams on one connection; every upstream
   * must then speak it).
   */
  public record UpstreamConfig(
      long connectTimeoutMs,
      long firstByteTimeoutMs,
      long idleTimeoutMs,
      int maxConnectionsPerHost,
      boolean http2) {

    /** HTTP/1.1 to the upstreams. */
    public UpstreamConfig(
        long connectTimeoutMs,
        long firstByteTimeoutMs,
        long idleTimeoutMs,
        int maxConnectionsPerHost) {
      this(connectTimeoutMs, firstByteTimeoutMs, idleTimeoutMs, maxConnectionsPerHost, false);
    }
  }

  /** Streaming: when to start sending {@code : OPENROUTER PROCESSING} and how often. */
  public record StreamConfig(long keepaliveMs) {}

  /**
   * Routing defaults: hedging (off unless asked), its fixed delay (null: the first candidate's p90
   * time to first token), retries of the same endpoint when no other is left, the circuit breaker
   * (consecutive failures to open it, first open time), and the request deadline: how long a
   * request may wait for its answer across all its attempts (the whole answer when it does not
   * stream, the first output when it does), which is also the longest deadline a request may ask
   * for with {@code X-Switchboard-Timeout-Ms}.
   */
  public record RoutingConfig(
      boolean hedge,
      Long hedgeDelayMs,
      int maxRetries,
      int breakerFailures,
      long breakerOpenMs,
      long requestTimeoutMs) {

    /** The default request deadline: five minutes. */
    public static final long DEFAULT_REQUEST_TIMEOUT_MS = 300_000;

    public static final RoutingConfig DEFAULT =
        new RoutingConfig(false, null, 1, 5, 10_000, DEFAULT_REQUEST_TIMEOUT_MS);

    /** The same with the default request deadline. */
    public RoutingConfig(
        boolean hedge, Long hedgeDelayMs, int maxRetries, int breakerFailures, long breakerOpenMs) {
      this(
          hedge,
          hedgeDelayMs,
          maxRetries,
          breakerFailures,
          breakerOpenMs,
          DEFAULT_REQUEST_TIMEOUT_MS);
    }

    /** This configuration with another request deadline. */
    public RoutingConfig withRequestTimeoutMs(long ms) {
      return new RoutingConfig(hedge, hedgeDelayMs, maxRetries, breakerFailures, breakerOpenMs, ms);
    }
  }

  /**
   * Fetching media by URL when a provider needs the bytes (images and PDFs for Gemini): the largest
   * body per URL, the time limit per URL, whether loopback or private addresses may be contacted
   * (never by default: a request must not make the gateway reach its own network), the media bytes
   * one request may hold (over it: 413) and the whole process may hold (over it: 503), and the
   * fetch pool's threads and queue (full: 503).
   */
  public record MediaConfig(
      long maxBytes,
      long timeoutMs,
      boolean allowLoopback,
      boolean allowPrivate,
      long maxRequestBytes,
      long maxTotalBytes,
      int fetchThreads,
      int fetchQueue) {
    public static final MediaConfig DEFAULT =
        new MediaConfig(
            20L * 1024 * 1024,
            15_000,
            false,
            false,
            50L * 1024 * 1024,
            defaultMaxTotalBytes(),
            16,
            64);

    /** A quarter of the JVM's largest heap. */
    public static long defaultMaxTotalBytes() {
      return Math.max(1024 * 1024, Runtime.getRuntime().maxMemory() / 4);
    }

    /** These settings, allowing (or not) loopback media URLs: tests serve media locally. */
    public MediaConfig withLoopback(boolean allowed) {
      return new MediaConfig(
          maxBytes,
          timeoutMs,
          allowed,
          allowPrivate,
          maxRequestBytes,
          maxTotalBytes,
          fetchThreads,
          fetchQueue);
    }
  }

  /**
   * What error responses show: {@code metadata.raw}, the upstream's own error body, as OpenRouter
   * sends it, unless {@code exposeRaw} is false.
   */
  public record ErrorsConfig(boolean exposeRaw) {
    public static final ErrorsConfig DEFAULT = new ErrorsConfig(true);
  }

  /** Embedded storage. */
  /** This configuration with another storage section. */
  public GatewayConfig withStorage(StorageConfig storage) {
    return copy(p -> p.storage = storage);
  }

  /**
   * Where the gateway keeps its state: {@code sqlite} (one gateway, a file in {@code dataDir},
   * which it locks) or {@code postgres} (several gateways on one database at {@code url}; {@code
   * dataDir} then only holds a generated management key file). {@code backlog} bounds the records
   * and charges waiting to be written (also while PostgreSQL is down): at it new billable requests
   * get 503. {@code retentionDays} (0: keep all) prunes generation records and ledger rows. {@code
   * commitBeforeReply} holds each reply until its record and charge are committed (ADR 0026);
   * otherwise they are written behind, in the writer's next batch.
   */
  public record StorageConfig(
      String kind,
      Path dataDir,
      String url,
      String user,
      String password,
      int poolSize,
      long connectTimeoutMs,
      int backlog,
      int retentionDays,
      boolean commitBeforeReply) {

    public static final String SQLITE = "sqlite";
    public static final String POSTGRES = "postgres";

    /** SQLite in {@code dataDir}, with the defaults. */
    public StorageConfig(Path dataDir) {
      this(SQLITE, dataDir, null, null, null, 10, 5_000, 200_000, 0, false);
    }

    public boolean postgres() {
      return POSTGRES.equals(kind);
    }

    @Override
    public String toString() {
      String safeUrl = url == null ? null : url.replaceAll("\\?.*$", "");
      return "StorageConfig[kind="
          + kind
          + ", dataDir="
          + dataDir
          + ", url="
          + safeUrl
          + ", user="
          + user
          + ", password="
          + (password == null || password.isEmpty() ? "none" : "***")
          + ", poolSize="
          + poolSize
          + ", connectTimeoutMs="
          + connectTimeoutMs
          + ", backlog="
          + backlog
          + ", retentionDays="
          + retentionDays
          + ", commitBeforeReply="
          + commitBeforeReply
          + "]";
    }
  }

  /**
   * This gateway process among several: its id is in {@code /health/ready} and on every log line.
   */
  public record NodeConfig(String id) {

    /** The host name and four random hex digits, e.g. {@code web-1-3fa2}. */
    public static NodeConfig generated() {
      String host;
      try {
        host = java.net.InetAddress.getLocalHost().getHostName();
      } catch (java.net.UnknownHostException | RuntimeException e) {
        host = "node";
      }
      host = host.replaceAll("[^A-Za-z0-9._-]", "-");
      if (host.isEmpty()) {
        host = "node";
      }
      return new NodeConfig(
          host + "-" + String.format("%04x", new java.security.SecureRandom().nextInt(0x10000)));
    }
  }

  /** Logging: whether to write the per-request access line. */
  public record LogConfig(boolean access) {}

  /**
   * One upstream provider: its display name, the dialect profile (e.g. {@code openai}, {@code
   * groq}), base URL and credential. A provider without a credential where one is needed is
   * disabled at start, and the start log names {@code apiKeyVariable}, the environment variable the
   * credential is read from ({@code api-key: env:NAME}; null when the key is given literally or not
   * at all).
   */
  public record ProviderConfig(
      String slug,
      String name,
      String profile,
      String baseUrl,
      String apiKey,
      boolean enabled,
      String privacyPolicyUrl,
      String termsOfServiceUrl,
      String statusPageUrl,
      String apiKeyVariable) {

    /** A provider whose credential, if any, is given as is (tests, the demo's simulator). */
    public ProviderConfig(
        String slug,
        String name,
        String profile,
        String baseUrl,
        String apiKey,
        boolean enabled,
        String privacyPolicyUrl,
        String termsOfServiceUrl,
        String statusPageUrl) {
      this(
          slug,
          name,
          profile,
          baseUrl,
          apiKey,
          enabled,
          privacyPolicyUrl,
          termsOfServiceUrl,
          statusPageUrl,
          null);
    }

    @Override
    public String toString() {
      return "ProviderConfig[slug="
          + slug
          + ", name="
          + name
          + ", profile="
          + profile
          + ", baseUrl="
          + baseUrl
          + ", apiKey="
          + (apiKey == null || apiKey.isEmpty() ? "none" : "***")
          + ", enabled="
          + enabled
          + "]";
    }
  }

  /** Models added to, or overriding, the catalog that ships in the jar. */
  public record CatalogConfig(List<ModelEntry> models, boolean includeDefaults) {
    public CatalogConfig {
      models = models == null ? List.of() : List.copyOf(models);
    }
  }

  @Override
  public String toString() {
    return "GatewayConfig[server="
        + server
        + ", upstream="
        + upstream
        + ", stream="
        + stream
        + ", routing="
        + routing
        + ", media="
        + media
        + ", storage="
        + storage
        + ", log="
        + log
        + ", providers="
        + providers.values()
        + ", masterKey="
        + (masterKey == null ? "none" : "***")
        + ", demo="
        + demo
        + ", limits="
        + limits
        + ", errors="
        + errors
        + ", node="
        + node
        + "]";
  }
}
