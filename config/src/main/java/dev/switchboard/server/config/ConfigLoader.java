package dev.switchboard.server.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.switchboard.api.json.ApiJson;
import dev.switchboard.server.catalog.EndpointEntry;
import dev.switchboard.server.catalog.ModelEntry;
import dev.switchboard.server.config.GatewayConfig.CatalogConfig;
import dev.switchboard.server.config.GatewayConfig.LogConfig;
import dev.switchboard.server.config.GatewayConfig.ProviderConfig;
import dev.switchboard.server.config.GatewayConfig.ServerConfig;
import dev.switchboard.server.config.GatewayConfig.StorageConfig;
import dev.switchboard.server.config.GatewayConfig.StreamConfig;
import dev.switchboard.server.config.GatewayConfig.UpstreamConfig;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Loads the configuration: the catalog shipped in the jar, then the YAML file (optional), then the
 * environment, then command-line overrides. Fails fast with a message naming the key and the rule.
 */
public final class ConfigLoader {

  static final String DEFAULT_CATALOG = "/catalog/default-catalog.yaml";
  private static final YAMLFactory YAML = new YAMLFactory();
  private static final Set<String> TOP_KEYS =
      Set.of(
          "server",
          "upstream",
          "stream",
          "routing",
          "media",
          "storage",
          "log",
          "providers",
          "catalog",
          "limits",
          "errors",
          "dashboard",
          "metrics",
          "features",
          "plugins",
          "cluster",
          "node");
  private static final Set<String> PROVIDER_KEYS =
      Set.of(
          "name",
          "profile",
          "base-url",
          "api-key",
          "enabled",
          "privacy-policy-url",
          "terms-of-service-url",
          "status-page-url");

  /** What the command line may override. Null fields keep the file's or environment's value. */
  public record Overrides(String host, Integer port, Path dataDir, boolean demo) {
    public static final Overrides NONE = new Overrides(null, null, null, false);
  }

  private ConfigLoader() {}

  /** Loads with the process environment. */
  public static GatewayConfig load(Path file, Overrides overrides) {
    return load(file, System.getenv(), overrides);
  }

  public static GatewayConfig load(Path file, Map<String, String> env, Overrides overrides) {
    JsonNode defaults = readYamlResource(DEFAULT_CATALOG);
    JsonNode user = file == null ? ApiJson.object() : readYamlFile(file);
    ConfigNode root = ConfigNode.root(user).allowOnly(TOP_KEYS);

    ConfigNode s =
        root.child("server")
            .allowOnly(
                Set.of(
                    "host",
                    "port",
                    "max-body-bytes",
                    "event-loops",
                    "max-connections",
                    "idle-timeout-ms",
                    "header-timeout-ms",
                    "body-timeout-ms",
                    "drain-timeout-ms",
                    "unready-delay-ms"));
    String host =
        first(overrides.host(), env.get("SWITCHBOARD_HOST"), s.string("host", "127.0.0.1"));
    int port =
        overrides.port() != null
            ? checkPort(overrides.port(), "--port")
            : env.containsKey("SWITCHBOARD_PORT")
                ? parsePort(env.get("SWITCHBOARD_PORT"))
                : s.integer("port", 8080, 0, 65535);
    long maxBody =
        env.containsKey("SWITCHBOARD_MAX_BODY_BYTES")
            ? parseLong("SWITCHBOARD_MAX_BODY_BYTES", env.get("SWITCHBOARD_MAX_BODY_BYTES"), 1024)
            : s.number("max-body-bytes", 10L * 1024 * 1024, 1024, 1L << 31);
    ServerConfig server =
        new ServerConfig(
            host,
            port,
            maxBody,
            s.integer("event-loops", 0, 0, 256),
            s.integer("max-connections", ServerConfig.DEFAULT_MAX_CONNECTIONS, 0, 1_000_000),
            s.number("idle-timeout-ms", ServerConfig.DEFAULT_IDLE_TIMEOUT_MS, 100, 86_400_000),
            s.number("header-timeout-ms", ServerConfig.DEFAULT_HEADER_TIMEOUT_MS, 100, 600_000),
            s.number("body-timeout-ms", ServerConfig.DEFAULT_BODY_TIMEOUT_MS, 100, 3_600_000),
            s.number("drain-timeout-ms", ServerConfig.DEFAULT_DRAIN_TIMEOUT_MS, 0, 3_600_000),
            s.number("unready-delay-ms", 0, 0, 600_000));

    ConfigNode u =
        root.child("upstream")
            .allowOnly(
                Set.of(
                    "connect-timeout-ms",
                    "first-byte-timeout-ms",
                    "idle-timeout-ms",
                    "max-connections-per-host",
                    "protocol"));
    String protocol = u.string("protocol", "http1");
    if (!protocol.equals("http1") && !protocol.equals("http2")) {
      throw ConfigNode.fail(
          u.path() + ".protocol", "must be http1 or http2, was \"" + protocol + "\"");
    }
    UpstreamConfig upstream =
        new UpstreamConfig(
            u.number("connect-timeout-ms", 5_000, 1, 600_000),
            u.number("first-byte-timeout-ms", 120_000, 1, 3_600_000),
            u.number("idle-timeout-ms", 60_000, 1, 3_600_000),
            u.integer("max-connections-per-host", 256, 1, 100_000),
            protocol.equals("http2"));

    ConfigNode st = root.child("stream").allowOnly(Set.of("keepalive-ms"));
    StreamConfig stream = new StreamConfig(st.number("keepalive-ms", 5_000, 10, 600_000));

    ConfigNode rt =
        root.child("routing")
            .allowOnly(
                Set.of(
                    "hedge",
                    "hedge-delay-ms",
                    "max-retries",
                    "breaker-failures",
                    "breaker-open-ms",
                    "request-timeout-ms"));
    GatewayConfig.RoutingConfig routing =
        new GatewayConfig.RoutingConfig(
            rt.bool("hedge", false),
            rt.has("hedge-delay-ms") ? rt.number("hedge-delay-ms", 0, 0, 600_000) : null,
            rt.integer("max-retries", 1, 0, 10),
            rt.integer("breaker-failures", 5, 1, 1_000),
            rt.number("breaker-open-ms", 10_000, 100, 3_600_000),
            rt.number(
                "request-timeout-ms",
                GatewayConfig.RoutingConfig.DEFAULT_REQUEST_TIMEOUT_MS,
                100,
                3_600_000));

    ConfigNode md =
        root.child("media")
            .allowOnly(
                Set.of(
                    "max-bytes",
                    "timeout-ms",
                    "allow-loopback",
                    "allow-private",
                    "max-request-bytes",
                    "max-total-bytes",
                    "fetch-threads",
                    "fetch-queue"));
    GatewayConfig.MediaConfig media =
        new GatewayConfig.MediaConfig(
            md.number("max-bytes", 20L * 1024 * 1024, 1024, 1L << 30),
            md.number("timeout-ms", 15_000, 100, 600_000),
            md.bool("allow-loopback", false),
            md.bool("allow-private", false),
            md.number("max-request-bytes", 50L * 1024 * 1024, 1024, 1L << 40),
            md.number(
                "max-total-bytes",
                GatewayConfig.MediaConfig.defaultMaxTotalBytes(),
                1024,
                1L << 40),
            md.integer("fetch-threads", 16, 1, 1_024),
            md.integer("fetch-queue", 64, 1, 100_000));

    StorageConfig storage = storage(root.child("storage"), env, overrides);
    GatewayConfig.NodeConfig node = node(root.child("node"), env);

    ConfigNode er = root.child("errors").allowOnly(Set.of("expose-raw"));
    GatewayConfig.ErrorsConfig errors = new GatewayConfig.ErrorsConfig(er.bool("expose-raw", true));

    ConfigNode lg = root.child("log").allowOnly(Set.of("access"));
    String logProblem = dev.switchboard.server.logging.LogFormat.problem(env);
    if (logProblem != null) {
      throw new ConfigException("env: " + logProblem);
    }
    LogConfig log = new LogConfig(lg.bool("access", true));

    Map<String, ProviderConfig> providers =
        providers(ConfigNode.root(defaults).child("providers"), root.child("providers"), env);

    ConfigNode cat = root.child("catalog").allowOnly(Set.of("include-defaults", "models"));
    boolean includeDefaults = cat.bool("include-defaults", true);
    Map<String, ModelEntry> models = new LinkedHashMap<>();
    if (includeDefaults) {
      for (ModelEntry m : CatalogReader.models(ConfigNode.root(defaults))) {
        models.put(m.id(), m);
      }
    }
    for (ModelEntry m : CatalogReader.models(cat)) {
      models.put(m.id(), m);
    }
    for (ModelEntry m : models.values()) {
      for (EndpointEntry e : m.endpoints()) {
        if (!providers.containsKey(e.provider())) {
          throw new ConfigException(
              "config: catalog model "
                  + m.id()
                  + ": endpoint provider \""
                  + e.provider()
                  + "\" is not a configured provider; known providers are "
                  + providers.keySet());
        }
      }
    }

    LimitsConfig limits = limits(root.child("limits"));
    ObservabilityConfig observability =
        new ObservabilityConfig(
            metrics(root.child("metrics"), env), ObservabilityConfig.otelOf(env));
    FeaturesConfig features = features(root.child("features"), env);
    ClusterConfig cluster = cluster(root.child("cluster"), env);

    ConfigNode db =
        root.child("dashboard")
            .allowOnly(Set.of("enabled", "session-ttl-minutes", "secure-cookie"));
    String secure = db.string("secure-cookie", "auto");
    if (!secure.equals("auto") && !secure.equals("always")) {
      throw ConfigNode.fail(db.path() + ".secure-cookie", "must be auto or always, was " + secure);
    }
    GatewayConfig.DashboardConfig dashboard =
        new GatewayConfig.DashboardConfig(
            db.bool("enabled", true),
            db.number("session-ttl-minutes", 480, 5, 43_200),
            secure.equals("auto")
                ? GatewayConfig.DashboardConfig.SecureCookie.AUTO
                : GatewayConfig.DashboardConfig.SecureCookie.ALWAYS);

    String masterKey = env.get("SWITCHBOARD_MASTER_KEY");
    if (masterKey != null && masterKey.length() < 16) {
      throw new ConfigException("env: SWITCHBOARD_MASTER_KEY: must be at least 16 characters");
    }
    return new GatewayConfig(
        server,
        upstream,
        stream,
        routing,
        media,
        storage,
        log,
        providers,
        new CatalogConfig(List.copyOf(models.values()), includeDefaults),
        masterKey,
        overrides.demo(),
        limits,
        errors,
        dashboard,
        observability,
        features,
        PluginsConfig.read(root.child("plugins"), env),
        cluster,
        node);
  }

  /**
   * The {@code metrics} section: {@code enabled} (true), {@code port} (absent: on the gateway's own
   * port behind a management key; {@code SWITCHBOARD_METRICS_PORT}) and {@code host} (where that
   * separate listener binds, 127.0.0.1).
   */
  private static ObservabilityConfig.Metrics metrics(ConfigNode m, Map<String, String> env) {
    m.allowOnly(Set.of("enabled", "port", "host"));
    Integer port =
        env.containsKey("SWITCHBOARD_METRICS_PORT")
            ? Integer.valueOf(
                checkPort(
                    parseLong("SWITCHBOARD_METRICS_PORT", env.get("SWITCHBOARD_METRICS_PORT"), 0),
                    "SWITCHBOARD_METRICS_PORT"))
            : m.optionalInteger("port", 0, 65535);
    String host = m.string("host", "127.0.0.1");
    if (m.has("host") && port == null) {
      throw ConfigNode.fail(
          "metrics.host", "applies only to a separate port; set metrics.port too");
    }
    return new ObservabilityConfig.Metrics(m.bool("enabled", true), host, port);
  }

  /** The {@code features} section: the default model, compression and the response cache. */
  private static FeaturesConfig features(ConfigNode f, Map<String, String> env) {
    f.allowOnly(Set.of("default-model", "context-compression", "response-cache"));
    ConfigNode cc = f.child("context-compression").allowOnly(Set.of("default-up-to-context"));
    ConfigNode rc =
        f.child("response-cache").allowOnly(Set.of("default-ttl-seconds", "max-entries"));
    FeaturesConfig d = FeaturesConfig.DEFAULT;
    String model = first(env.get("SWITCHBOARD_DEFAULT_MODEL"), f.string("default-model", null));
    if (model != null && model.isBlank()) {
      throw ConfigNode.fail(f.path() + ".default-model", "must be a model slug");
    }
    return new FeaturesConfig(
        model,
        cc.number("default-up-to-context", d.compressUpToContext(), 0, Integer.MAX_VALUE),
        rc.integer("default-ttl-seconds", d.cacheDefaultTtlSeconds(), 1, 86_400),
        rc.number("max-entries", d.cacheMaxEntries(), 1, 100_000_000));
  }

  /**
   * The {@code cluster} section. {@code SWITCHBOARD_REDIS_URL} (the environment) wins over {@code
   * cluster.redis.url}; the other Redis keys need a URL from one of them.
   */
  private static ClusterConfig cluster(ConfigNode c, Map<String, String> env) {
    c.allowOnly(Set.of("redis"));
    Set<String> keys =
        Set.of(
            "url",
            "connect-timeout-ms",
            "command-timeout-ms",
            "key-prefix",
            "hold-ttl-ms",
            "stats-publish-ms");
    ConfigNode r = c.child("redis").allowOnly(keys);
    String envUrl = env.get("SWITCHBOARD_REDIS_URL");
    String url = first(envUrl, r.string("url", null));
    if (url == null) {
      if (keys.stream().anyMatch(r::has)) {
        throw ConfigNode.fail(
            r.path() + ".url", "is required when other cluster.redis keys are set");
      }
      return ClusterConfig.NONE;
    }
    String where = envUrl != null && !envUrl.isBlank() ? "env: SWITCHBOARD_REDIS_URL" : null;
    url = url.trim();
    try {
      java.net.URI u = java.net.URI.create(url);
      if (!("redis".equals(u.getScheme()) || "rediss".equals(u.getScheme()))
          || u.getHost() == null) {
        throw new IllegalArgumentException();
      }
    } catch (IllegalArgumentException e) {
      String rule = "must be a redis:// or rediss:// URL with a host";
      throw where != null
          ? new ConfigException(where + ": " + rule)
          : ConfigNode.fail(r.path() + ".url", rule);
    }
    String prefix = r.string("key-prefix", ClusterConfig.Redis.DEFAULT_KEY_PREFIX);
    if (prefix.isEmpty() || prefix.length() > 64 || !prefix.matches("[A-Za-z0-9_.:{}-]+")) {
      throw ConfigNode.fail(
          r.path() + ".key-prefix",
          "must be 1 to 64 letters, digits or the characters _ . : { } -");
    }
    long commandTimeout =
        r.number("command-timeout-ms", ClusterConfig.Redis.DEFAULT_COMMAND_TIMEOUT_MS, 10, 60_000);
    long holdTtl =
        r.number("hold-ttl-ms", ClusterConfig.Redis.DEFAULT_HOLD_TTL_MS, 3_000, 3_600_000);
    return new ClusterConfig(
        new ClusterConfig.Redis(
            url,
            r.number(
                "connect-timeout-ms", ClusterConfig.Redis.DEFAULT_CONNECT_TIMEOUT_MS, 10, 60_000),
            commandTimeout,
            prefix,
            holdTtl,
            r.number(
                "stats-publish-ms", ClusterConfig.Redis.DEFAULT_STATS_PUBLISH_MS, 100, 60_000)));
  }

  /**
   * The {@code storage} section: {@code kind} (sqlite, postgres), {@code data-dir}, and for
   * postgres {@code url} (required), {@code user}, {@code password} ({@code env:NAME}) and {@code
   * pool}; {@code backlog}, {@code retention} and {@code commit-before-reply} for both. Keys that
   * belong to the other kind are refused, so that nothing is accepted and ignored.
   */
  private static StorageConfig storage(
      ConfigNode sto, Map<String, String> env, Overrides overrides) {
    sto.allowOnly(
        Set.of(
            "kind",
            "data-dir",
            "url",
            "user",
            "password",
            "pool",
            "backlog",
            "retention",
            "commit-before-reply"));
    Path dataDir =
        overrides.dataDir() != null
            ? overrides.dataDir()
            : Path.of(first(env.get("SWITCHBOARD_DATA_DIR"), sto.string("data-dir", "./data")));
    String kind =
        first(env.get("SWITCHBOARD_STORAGE_KIND"), sto.string("kind", StorageConfig.SQLITE));
    if (!kind.equals(StorageConfig.SQLITE) && !kind.equals(StorageConfig.POSTGRES)) {
      String rule = "must be sqlite or postgres, was \"" + kind + "\"";
      if (env.containsKey("SWITCHBOARD_STORAGE_KIND")) {
        throw new ConfigException("env: SWITCHBOARD_STORAGE_KIND: " + rule);
      }
      throw ConfigNode.fail(sto.path() + ".kind", rule);
    }
    ConfigNode pool = sto.child("pool").allowOnly(Set.of("max-size", "connect-timeout-ms"));
    ConfigNode retention = sto.child("retention").allowOnly(Set.of("days"));
    int backlog = sto.integer("backlog", 200_000, 100, 100_000_000);
    int retentionDays = retention.integer("days", 0, 0, 36_500);
    boolean commitBeforeReply = sto.bool("commit-before-reply", false);
    String url = first(env.get("SWITCHBOARD_STORAGE_URL"), sto.string("url", null));
    if (kind.equals(StorageConfig.SQLITE)) {
      for (String postgresOnly : List.of("url", "user", "password", "pool")) {
        if (sto.has(postgresOnly)) {
          throw ConfigNode.fail(
              sto.path() + "." + postgresOnly, "applies only to storage.kind: postgres");
        }
      }
      if (env.containsKey("SWITCHBOARD_STORAGE_URL")) {
        throw new ConfigException(
            "env: SWITCHBOARD_STORAGE_URL: applies only to storage.kind: postgres");
      }
      return new StorageConfig(
          kind, dataDir, null, null, null, 10, 5_000, backlog, retentionDays, commitBeforeReply);
    }
    if (url == null) {
      throw ConfigNode.fail(
          sto.path() + ".url",
          "is required with storage.kind: postgres (jdbc:postgresql://host:5432/database), or set"
              + " SWITCHBOARD_STORAGE_URL");
    }
    if (!url.startsWith("jdbc:postgresql://")) {
      throw ConfigNode.fail(
          sto.path() + ".url",
          "must be a JDBC URL starting with jdbc:postgresql://, was \""
              + url.replaceAll("\\?.*$", "")
              + "\"");
    }
    String password = resolveSecret(sto.string("password", null), env, sto.path() + ".password");
    return new StorageConfig(
        kind,
        dataDir,
        url,
        sto.string("user", null),
        password.isEmpty() ? null : password,
        pool.integer("max-size", 10, 2, 1_000),
        pool.number("connect-timeout-ms", 5_000, 250, 600_000),
        backlog,
        retentionDays,
        commitBeforeReply);
  }

  /** The {@code node} section: {@code id} (or SWITCHBOARD_NODE_ID); generated when absent. */
  private static GatewayConfig.NodeConfig node(ConfigNode n, Map<String, String> env) {
    n.allowOnly(Set.of("id"));
    String id = first(env.get("SWITCHBOARD_NODE_ID"), n.string("id", null));
    if (id == null) {
      return GatewayConfig.NodeConfig.generated();
    }
    if (!id.matches("[A-Za-z0-9._-]{1,64}")) {
      String rule = "must be 1 to 64 letters, digits, '.', '_' or '-', was \"" + id + "\"";
      if (env.containsKey("SWITCHBOARD_NODE_ID")) {
        throw new ConfigException("env: SWITCHBOARD_NODE_ID: " + rule);
      }
      throw ConfigNode.fail(n.path() + ".id", rule);
    }
    return new GatewayConfig.NodeConfig(id);
  }

  /** The {@code limits} section; every key optional, defaults as OpenRouter has them. */
  private static LimitsConfig limits(ConfigNode l) {
    l.allowOnly(
        Set.of(
            "requests-per-minute",
            "tokens-per-minute",
            "in-flight-retry-after-seconds",
            "free-models"));
    ConfigNode f =
        l.child("free-models")
            .allowOnly(
                Set.of(
                    "enabled",
                    "per-minute",
                    "per-day",
                    "per-day-with-credits",
                    "credits-threshold"));
    LimitsConfig.FreeModels d = LimitsConfig.FreeModels.DEFAULT;
    java.math.BigDecimal threshold =
        f.has("credits-threshold") ? f.decimal("credits-threshold") : d.creditsThreshold();
    if (threshold.signum() < 0) {
      throw ConfigNode.fail(f.path() + ".credits-threshold", "must not be negative");
    }
    return new LimitsConfig(
        l.integer("requests-per-minute", 0, 0, 10_000_000),
        l.integer("tokens-per-minute", 0, 0, 2_000_000_000),
        new LimitsConfig.FreeModels(
            f.bool("enabled", d.enabled()),
            f.integer("per-minute", d.perMinute(), 1, 10_000_000),
            f.integer("per-day", d.perDayLow(), 1, 100_000_000),
            f.integer("per-day-with-credits", d.perDayHigh(), 1, 100_000_000),
            threshold),
        l.number("in-flight-retry-after-seconds", 1, 1, 3_600));
  }

  private static Map<String, ProviderConfig> providers(
      ConfigNode defaults, ConfigNode user, Map<String, String> env) {
    Map<String, ConfigNode> merged = new LinkedHashMap<>(defaults.entries());
    Map<String, ConfigNode> userEntries = user.entries();
    Map<String, ProviderConfig> out = new LinkedHashMap<>();
    for (String slug : merged.keySet()) {
      out.put(slug, provider(slug, merged.get(slug), userEntries.get(slug), env));
    }
    for (Map.Entry<String, ConfigNode> e : userEntries.entrySet()) {
      if (!out.containsKey(e.getKey())) {
        out.put(e.getKey(), provider(e.getKey(), null, e.getValue(), env));
      }
    }
    return out;
  }

  private static ProviderConfig provider(
      String slug, ConfigNode base, ConfigNode override, Map<String, String> env) {
    if (!slug.matches("[a-z0-9][a-z0-9._-]*")) {
      throw ConfigNode.fail(
          "providers." + slug, "provider slugs are lower-case letters, digits, '.', '_' and '-'");
    }
    if (override != null) {
      override.allowOnly(PROVIDER_KEYS);
    }
    if (base != null) {
      base.allowOnly(PROVIDER_KEYS);
    }
    ConfigNode primary = override != null ? override : base;
    ConfigNode fallback = base != null ? base : override;
    String name = pick(primary, fallback, "name", slug);
    String profile = pick(primary, fallback, "profile", "openai");
    String baseUrl = pick(primary, fallback, "base-url", null);
    if (baseUrl == null || !(baseUrl.startsWith("http://") || baseUrl.startsWith("https://"))) {
      throw ConfigNode.fail(
          primary.path() + ".base-url", "is required and must be an http:// or https:// URL");
    }
    while (baseUrl.endsWith("/")) {
      baseUrl = baseUrl.substring(0, baseUrl.length() - 1);
    }
    String keyRef = pick(primary, fallback, "api-key", "");
    String apiKey = resolveSecret(keyRef, env, primary.path() + ".api-key");
    boolean enabled =
        primary.has("enabled") ? primary.bool("enabled", true) : fallback.bool("enabled", true);
    return new ProviderConfig(
        slug,
        name,
        profile,
        baseUrl,
        apiKey,
        enabled,
        pick(primary, fallback, "privacy-policy-url", null),
        pick(primary, fallback, "terms-of-service-url", null),
        pick(primary, fallback, "status-page-url", null),
        keyRef.startsWith("env:") ? keyRef.substring(4) : null);
  }

  /** {@code env:NAME} reads the environment (empty when unset); anything else is a literal. */
  static String resolveSecret(String ref, Map<String, String> env, String path) {
    if (ref == null || ref.isEmpty()) {
      return "";
    }
    if (ref.startsWith("env:")) {
      String name = ref.substring(4);
      if (!name.matches("[A-Za-z_][A-Za-z0-9_]*")) {
        throw ConfigNode.fail(path, "env: must name an environment variable, was \"" + ref + "\"");
      }
      String value = env.get(name);
      return value == null ? "" : value.trim();
    }
    return ref;
  }

  private static String pick(ConfigNode primary, ConfigNode fallback, String key, String def) {
    String v = primary.string(key, null);
    if (v == null && fallback != primary) {
      v = fallback.string(key, null);
    }
    return v == null ? def : v;
  }

  private static String first(String... values) {
    for (String v : values) {
      if (v != null && !v.isBlank()) {
        return v;
      }
    }
    return null;
  }

  private static int parsePort(String value) {
    return (int) checkPort(parseLong("SWITCHBOARD_PORT", value, 0), "SWITCHBOARD_PORT");
  }

  private static int checkPort(long port, String what) {
    if (port < 0 || port > 65535) {
      throw new ConfigException(what + ": must be between 0 and 65535, was " + port);
    }
    return (int) port;
  }

  private static long parseLong(String name, String value, long min) {
    try {
      long v = Long.parseLong(value.trim());
      if (v < min) {
        throw new ConfigException("env: " + name + ": must be at least " + min + ", was " + v);
      }
      return v;
    } catch (NumberFormatException e) {
      throw new ConfigException("env: " + name + ": must be a whole number, was \"" + value + "\"");
    }
  }

  static JsonNode readYamlFile(Path file) {
    if (!Files.isRegularFile(file)) {
      throw new ConfigException("config: file " + file + " does not exist or is not a file");
    }
    try (InputStream in = Files.newInputStream(file)) {
      return readYaml(in, file.toString());
    } catch (IOException e) {
      throw new ConfigException("config: cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  static JsonNode readYamlResource(String resource) {
    try (InputStream in = ConfigLoader.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new ConfigException("config: resource " + resource + " is missing from the jar");
      }
      return readYaml(in, resource);
    } catch (IOException e) {
      throw new ConfigException("config: cannot read " + resource + ": " + e.getMessage(), e);
    }
  }

  private static JsonNode readYaml(InputStream in, String source) throws IOException {
    try (JsonParser parser = YAML.createParser(in)) {
      JsonNode node = ApiJson.mapper().readTree(parser);
      if (node == null || node.isMissingNode() || node.isNull()) {
        return ApiJson.object();
      }
      if (!node.isObject()) {
        throw new ConfigException("config: " + source + ": the top level must be a mapping");
      }
      return node;
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new ConfigException(
          "config: " + source + " is not valid YAML: " + e.getOriginalMessage(), e);
    }
  }
}
