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
    ErrorsConfig errors) {

  public GatewayConfig {
    providers = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(providers));
    limits = limits == null ? LimitsConfig.DEFAULT : limits;
    errors = errors == null ? ErrorsConfig.DEFAULT : errors;
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

  /** This configuration with another limits section. */
  public GatewayConfig withLimits(LimitsConfig limits) {
    return new GatewayConfig(
        server, upstream, stream, routing, media, storage, log, providers, catalog, masterKey, demo,
        limits, errors);
  }

  /** This configuration with another server section. */
  public GatewayConfig withServer(ServerConfig server) {
    return new GatewayConfig(
        server, upstream, stream, routing, media, storage, log, providers, catalog, masterKey, demo,
        limits, errors);
  }

  /** This configuration with another upstream section. */
  public GatewayConfig withUpstream(UpstreamConfig upstream) {
    return new GatewayConfig(
        server, upstream, stream, routing, media, storage, log, providers, catalog, masterKey, demo,
        limits, errors);
  }

  /** This configuration with another media section. */
  public GatewayConfig withMedia(MediaConfig media) {
    return new GatewayConfig(
        server, upstream, stream, routing, media, storage, log, providers, catalog, masterKey, demo,
        limits, errors);
  }

  /** This configuration with another errors section. */
  public GatewayConfig withErrors(ErrorsConfig errors) {
    return new GatewayConfig(
        server, upstream, stream, routing, media, storage, log, providers, catalog, masterKey, demo,
        limits, errors);
  }

  /** This configuration with another catalog section. */
  public GatewayConfig withCatalog(CatalogConfig catalog) {
    return new GatewayConfig(
        server, upstream, stream, routing, media, storage, log, providers, catalog, masterKey, demo,
        limits, errors);
  }

  /** This configuration in demo mode, with {@code providers} (the simulated ones) instead. */
  public GatewayConfig asDemo(Map<String, ProviderConfig> providers) {
    return new GatewayConfig(
        server, upstream, stream, routing, media, storage, log, providers, catalog, masterKey, true,
        limits, errors);
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

  /** Upstream HTTP client: pool size and the three time-outs, in milliseconds. */
  public record UpstreamConfig(
      long connectTimeoutMs,
      long firstByteTimeoutMs,
      long idleTimeoutMs,
      int maxConnectionsPerHost) {}

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
  public record StorageConfig(Path dataDir) {}

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
        + "]";
  }
}
