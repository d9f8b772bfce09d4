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
    boolean demo) {

  public GatewayConfig {
    providers = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(providers));
  }

  /** This configuration with another server section. */
  public GatewayConfig withServer(ServerConfig server) {
    return new GatewayConfig(
        server, upstream, stream, routing, media, storage, log, providers, catalog, masterKey,
        demo);
  }

  /** This configuration with another upstream section. */
  public GatewayConfig withUpstream(UpstreamConfig upstream) {
    return new GatewayConfig(
        server, upstream, stream, routing, media, storage, log, providers, catalog, masterKey,
        demo);
  }

  /** This configuration with another media section. */
  public GatewayConfig withMedia(MediaConfig media) {
    return new GatewayConfig(
        server, upstream, stream, routing, media, storage, log, providers, catalog, masterKey,
        demo);
  }

  /** This configuration in demo mode, with {@code providers} (the simulated ones) instead. */
  public GatewayConfig asDemo(Map<String, ProviderConfig> providers) {
    return new GatewayConfig(
        server, upstream, stream, routing, media, storage, log, providers, catalog, masterKey,
        true);
  }

  /** Where and how the HTTP server listens. */
  public record ServerConfig(String host, int port, long maxBodyBytes, int eventLoops) {}

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
   * body, the time limit, and whether loopback or private addresses may be contacted (never by
   * default: a request must not make the gateway reach its own network).
   */
  public record MediaConfig(
      long maxBytes, long timeoutMs, boolean allowLoopback, boolean allowPrivate) {
    public static final MediaConfig DEFAULT =
        new MediaConfig(20L * 1024 * 1024, 15_000, false, false);
  }

  /** Embedded storage. */
  public record StorageConfig(Path dataDir) {}

  /** Logging: whether to write the per-request access line. */
  public record LogConfig(boolean access) {}

  /**
   * One upstream provider: its display name, the dialect profile (e.g. {@code openai}, {@code
   * groq}), base URL and credential. A provider without a credential where one is needed is
   * disabled at start.
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
      String statusPageUrl) {

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
        + "]";
  }
}
