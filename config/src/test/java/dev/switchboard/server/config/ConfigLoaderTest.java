package dev.switchboard.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.server.catalog.ModelEntry;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {

  @TempDir Path dir;

  private GatewayConfig load(String yaml, Map<String, String> env) throws IOException {
    Path file = dir.resolve("switchboard.yaml");
    Files.writeString(file, yaml);
    return ConfigLoader.load(file, env, ConfigLoader.Overrides.NONE);
  }

  @Test
  void defaultsNeedNoFile() {
    GatewayConfig c = ConfigLoader.load(null, Map.of(), ConfigLoader.Overrides.NONE);
    assertThat(c.server().host()).isEqualTo("127.0.0.1");
    assertThat(c.server().port()).isEqualTo(8080);
    assertThat(c.catalog().models()).extracting(ModelEntry::id).contains("openai/gpt-5.2");
    assertThat(c.providers()).containsKeys("openai", "anthropic", "deepseek");
  }

  @Test
  void shippedCatalogHasTheDemoModelsWithExactPrices() {
    GatewayConfig c = ConfigLoader.load(null, Map.of(), ConfigLoader.Overrides.NONE);
    ModelEntry sonnet =
        c.catalog().models().stream()
            .filter(m -> m.id().equals("anthropic/claude-sonnet-4"))
            .findFirst()
            .orElseThrow();
    assertThat(sonnet.contextLength()).isEqualTo(200_000);
    assertThat(sonnet.endpoints()).hasSize(3);
    assertThat(sonnet.endpoints().getFirst().pricing().prompt())
        .isEqualByComparingTo(new BigDecimal("0.000003"));
    assertThat(c.catalog().models())
        .extracting(ModelEntry::id)
        .contains(
            "openai/gpt-5.3-codex",
            "anthropic/claude-opus-4.6",
            "google/gemini-3-flash-preview",
            "deepseek/deepseek-chat-v3-0324",
            "minimax/minimax-m2.1",
            "xiaomi/mimo-v2-flash:free",
            "mistralai/devstral-2-2512:free",
            "nvidia/nemotron-3-nano:free",
            "deepseek/deepseek-v3.1-nex-n1:free");
  }

  @Test
  void environmentOverridesFileAndCommandLineOverridesEnvironment() throws IOException {
    GatewayConfig c = load("server:\n  port: 9000\n", Map.of("SWITCHBOARD_PORT", "9100"));
    assertThat(c.server().port()).isEqualTo(9100);
    Path file = dir.resolve("switchboard.yaml");
    GatewayConfig d =
        ConfigLoader.load(
            file,
            Map.of("SWITCHBOARD_PORT", "9100"),
            new ConfigLoader.Overrides(null, 9200, null, false));
    assertThat(d.server().port()).isEqualTo(9200);
  }

  @Test
  void connectionLimitsAndDrainHaveDefaultsAndAreChecked() throws IOException {
    GatewayConfig d = ConfigLoader.load(null, Map.of(), ConfigLoader.Overrides.NONE);
    assertThat(d.server().maxConnections()).isZero(); // 10,000 within the descriptor limit
    assertThat(d.server().idleTimeoutMs()).isEqualTo(120_000);
    assertThat(d.server().headerTimeoutMs()).isEqualTo(10_000);
    assertThat(d.server().bodyTimeoutMs()).isEqualTo(60_000);
    assertThat(d.server().drainTimeoutMs()).isEqualTo(25_000);
    assertThat(d.server().unreadyDelayMs()).isZero();

    GatewayConfig c =
        load(
            "server:\n  max-connections: 500\n  idle-timeout-ms: 30000\n"
                + "  header-timeout-ms: 5000\n  body-timeout-ms: 20000\n"
                + "  drain-timeout-ms: 10000\n  unready-delay-ms: 2000\n",
            Map.of());
    assertThat(c.server().maxConnections()).isEqualTo(500);
    assertThat(c.server().idleTimeoutMs()).isEqualTo(30_000);
    assertThat(c.server().headerTimeoutMs()).isEqualTo(5_000);
    assertThat(c.server().bodyTimeoutMs()).isEqualTo(20_000);
    assertThat(c.server().drainTimeoutMs()).isEqualTo(10_000);
    assertThat(c.server().unreadyDelayMs()).isEqualTo(2_000);

    assertThatThrownBy(() -> load("server:\n  header-timeout-ms: 0\n", Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessage("config: server.header-timeout-ms: must be between 100 and 600000, was 0");
    assertThatThrownBy(() -> load("server:\n  max-connections: -1\n", Map.of()))
        .hasMessage("config: server.max-connections: must be between 0 and 1000000, was -1");
    assertThatThrownBy(() -> load("server:\n  read-timeout-ms: 5000\n", Map.of()))
        .hasMessageStartingWith("config: server.read-timeout-ms: is not a known key");
  }

  @Test
  void storageIsSqliteByDefaultAndPostgresWithAUrlPoolBacklogAndRetention() throws IOException {
    GatewayConfig.StorageConfig sqlite =
        load("storage:\n  data-dir: /srv/sb\n", Map.of()).storage();
    assertThat(sqlite.kind()).isEqualTo("sqlite");
    assertThat(sqlite.postgres()).isFalse();
    assertThat(sqlite.backlog()).isEqualTo(200_000);
    assertThat(sqlite.retentionDays()).isZero();
    assertThat(sqlite.commitBeforeReply()).as("written behind by default").isFalse();

    GatewayConfig.StorageConfig pg =
        load(
                "storage:\n  kind: postgres\n  url: jdbc:postgresql://db:5432/sb?ssl=true\n"
                    + "  user: sb\n  password: env:PGPASSWORD\n"
                    + "  pool: {max-size: 20, connect-timeout-ms: 2000}\n"
                    + "  backlog: 5000\n  retention: {days: 90}\n  commit-before-reply: true\n",
                Map.of("PGPASSWORD", "s3cret"))
            .storage();
    assertThat(pg.postgres()).isTrue();
    assertThat(pg.url()).isEqualTo("jdbc:postgresql://db:5432/sb?ssl=true");
    assertThat(pg.user()).isEqualTo("sb");
    assertThat(pg.password()).isEqualTo("s3cret");
    assertThat(pg.poolSize()).isEqualTo(20);
    assertThat(pg.connectTimeoutMs()).isEqualTo(2000);
    assertThat(pg.backlog()).isEqualTo(5000);
    assertThat(pg.retentionDays()).isEqualTo(90);
    assertThat(pg.commitBeforeReply()).isTrue();
    assertThat(pg.toString()).doesNotContain("s3cret").doesNotContain("ssl=true");

    GatewayConfig.StorageConfig fromEnv =
        load(
                "",
                Map.of(
                    "SWITCHBOARD_STORAGE_KIND", "postgres",
                    "SWITCHBOARD_STORAGE_URL", "jdbc:postgresql://127.0.0.1/sb"))
            .storage();
    assertThat(fromEnv.url()).isEqualTo("jdbc:postgresql://127.0.0.1/sb");
  }

  @Test
  void storageRefusesWhatItWouldIgnoreOrCannotUse() {
    assertThatThrownBy(() -> load("storage:\n  kind: mysql\n", Map.of()))
        .hasMessage("config: storage.kind: must be sqlite or postgres, was \"mysql\"");
    assertThatThrownBy(() -> load("storage:\n  kind: postgres\n", Map.of()))
        .hasMessageStartingWith("config: storage.url: is required with storage.kind: postgres");
    assertThatThrownBy(() -> load("storage:\n  url: jdbc:postgresql://db/sb\n", Map.of()))
        .hasMessage("config: storage.url: applies only to storage.kind: postgres");
    assertThatThrownBy(
            () -> load("storage:\n  kind: postgres\n  url: postgres://db/sb\n", Map.of()))
        .hasMessageStartingWith("config: storage.url: must be a JDBC URL");
    assertThatThrownBy(
            () ->
                load(
                    "storage:\n  kind: postgres\n  url: jdbc:postgresql://db/sb\n"
                        + "  pool: {size: 3}\n",
                    Map.of()))
        .hasMessageStartingWith("config: storage.pool.size: is not a known key");
    assertThatThrownBy(() -> load("storage:\n  retention: {days: -1}\n", Map.of()))
        .hasMessageStartingWith("config: storage.retention.days: must be between 0");
    assertThatThrownBy(() -> load("storage:\n  commit-before-reply: sometimes\n", Map.of()))
        .hasMessageStartingWith("config: storage.commit-before-reply: must be true or false");
  }

  @Test
  void nodeIdIsGeneratedOrSetAndChecked() throws IOException {
    assertThat(load("", Map.of()).node().id()).matches(".+-[0-9a-f]{4}");
    assertThat(load("node:\n  id: web-1\n", Map.of()).node().id()).isEqualTo("web-1");
    assertThat(load("", Map.of("SWITCHBOARD_NODE_ID", "web-2")).node().id()).isEqualTo("web-2");
    assertThatThrownBy(() -> load("node:\n  id: 'a b'\n", Map.of()))
        .hasMessageStartingWith("config: node.id: must be 1 to 64 letters");
  }

  @Test
  void badPortNamesTheKeyAndTheRule() {
    assertThatThrownBy(() -> load("server:\n  port: 70000\n", Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessage("config: server.port: must be between 0 and 65535, was 70000");
  }

  @Test
  void limitsDefaultToOpenRoutersAndCanBeSet() throws IOException {
    assertThat(load("", Map.of()).limits()).isEqualTo(LimitsConfig.DEFAULT);
    var l =
        load(
                "limits:\n  requests-per-minute: 60\n  tokens-per-minute: 100000\n"
                    + "  in-flight-retry-after-seconds: 2\n  free-models:\n    enabled: false\n"
                    + "    per-minute: 5\n    per-day: 10\n    per-day-with-credits: 100\n"
                    + "    credits-threshold: 2.5\n",
                Map.of())
            .limits();
    assertThat(l.requestsPerMinute()).isEqualTo(60);
    assertThat(l.tokensPerMinute()).isEqualTo(100_000);
    assertThat(l.inFlightRetryAfterSeconds()).isEqualTo(2);
    assertThat(l.freeModels().enabled()).isFalse();
    assertThat(l.freeModels().perDayHigh()).isEqualTo(100);
    assertThat(l.freeModels().creditsThreshold()).isEqualByComparingTo("2.5");
    assertThatThrownBy(() -> load("limits:\n  free-models:\n    per-hour: 3\n", Map.of()))
        .hasMessageContaining("config: limits.free-models.per-hour: is not a known key");
    assertThatThrownBy(() -> load("limits:\n  requests-per-minute: -1\n", Map.of()))
        .hasMessageContaining("limits.requests-per-minute");
  }

  @Test
  void clusterRedisIsOffByDefaultAndValidatedWhenSet() throws IOException {
    assertThat(load("", Map.of()).cluster().shared()).isFalse();
    var r =
        load(
                "cluster:\n  redis:\n    url: redis://:s3cret@cache.internal:6380/2\n"
                    + "    command-timeout-ms: 250\n    key-prefix: \"sb-prod:\"\n"
                    + "    hold-ttl-ms: 10000\n",
                Map.of())
            .cluster()
            .redis();
    assertThat(r.url()).isEqualTo("redis://:s3cret@cache.internal:6380/2");
    assertThat(r.commandTimeoutMs()).isEqualTo(250);
    assertThat(r.connectTimeoutMs()).isEqualTo(2_000);
    assertThat(r.keyPrefix()).isEqualTo("sb-prod:");
    assertThat(r.holdTtlMs()).isEqualTo(10_000);
    assertThat(r.toString()).doesNotContain("s3cret").contains("cache.internal:6380");
    assertThat(
            load("", Map.of("SWITCHBOARD_REDIS_URL", "redis://127.0.0.1:6379")).cluster().redis())
        .isEqualTo(ClusterConfig.Redis.at("redis://127.0.0.1:6379"));
    assertThatThrownBy(() -> load("cluster:\n  redis:\n    url: http://x:1\n", Map.of()))
        .hasMessageContaining("config: cluster.redis.url: must be a redis:// or rediss:// URL");
    assertThatThrownBy(() -> load("cluster:\n  redis:\n    key-prefix: a\n", Map.of()))
        .hasMessageContaining("cluster.redis.url: is required");
    assertThatThrownBy(
            () -> load("cluster:\n  redis:\n    url: redis://h\n    pool: 3\n", Map.of()))
        .hasMessageContaining("config: cluster.redis.pool: is not a known key");
    assertThatThrownBy(
            () ->
                load("cluster:\n  redis:\n    url: redis://h\n    key-prefix: \"a b\"\n", Map.of()))
        .hasMessageContaining("cluster.redis.key-prefix");
    assertThatThrownBy(() -> load("cluster:\n  nodes: 3\n", Map.of()))
        .hasMessageContaining("config: cluster.nodes: is not a known key");
  }

  @Test
  void mediaLimitsAndTheRawSwitchAreReadWithDefaults() throws IOException {
    GatewayConfig d = load("", Map.of());
    assertThat(d.media().maxRequestBytes()).isEqualTo(50L * 1024 * 1024);
    assertThat(d.media().maxTotalBytes()).isEqualTo(Runtime.getRuntime().maxMemory() / 4);
    assertThat(d.media().fetchThreads()).isEqualTo(16);
    assertThat(d.media().fetchQueue()).isEqualTo(64);
    assertThat(d.errors().exposeRaw()).isTrue();

    GatewayConfig c =
        load(
            "media:\n  max-request-bytes: 2048\n  max-total-bytes: 4096\n  fetch-threads: 3\n"
                + "  fetch-queue: 5\nerrors:\n  expose-raw: false\n",
            Map.of());
    assertThat(c.media().maxRequestBytes()).isEqualTo(2048);
    assertThat(c.media().maxTotalBytes()).isEqualTo(4096);
    assertThat(c.media().fetchThreads()).isEqualTo(3);
    assertThat(c.media().fetchQueue()).isEqualTo(5);
    assertThat(c.errors().exposeRaw()).isFalse();

    assertThatThrownBy(() -> load("media:\n  fetch-threads: 0\n", Map.of()))
        .hasMessage("config: media.fetch-threads: must be between 1 and 1024, was 0");
    assertThatThrownBy(() -> load("errors:\n  expose: false\n", Map.of()))
        .hasMessageContaining("config: errors.expose: is not a known key");
  }

  @Test
  void dashboardSectionHasDefaultsAndIsChecked() throws IOException {
    GatewayConfig.DashboardConfig d = load("", Map.of()).dashboard();
    assertThat(d.enabled()).isTrue();
    assertThat(d.sessionTtlMinutes()).isEqualTo(480);
    assertThat(d.secureCookie()).isEqualTo(GatewayConfig.DashboardConfig.SecureCookie.AUTO);
    GatewayConfig.DashboardConfig c =
        load(
                "dashboard:\n  enabled: false\n  session-ttl-minutes: 60\n  secure-cookie: always\n",
                Map.of())
            .dashboard();
    assertThat(c.enabled()).isFalse();
    assertThat(c.sessionTtlMinutes()).isEqualTo(60);
    assertThat(c.secureCookie()).isEqualTo(GatewayConfig.DashboardConfig.SecureCookie.ALWAYS);
    assertThatThrownBy(() -> load("dashboard:\n  secure-cookie: never\n", Map.of()))
        .hasMessage("config: dashboard.secure-cookie: must be auto or always, was never");
    assertThatThrownBy(() -> load("dashboard:\n  session-ttl-minutes: 1\n", Map.of()))
        .hasMessageContaining("dashboard.session-ttl-minutes: must be between 5 and 43200");
    assertThatThrownBy(() -> load("dashboard:\n  ttl: 5\n", Map.of()))
        .hasMessageContaining("config: dashboard.ttl: is not a known key");
  }

  @Test
  void upstreamProtocolIsHttp1UnlessHttp2IsAsked() throws IOException {
    assertThat(load("", Map.of()).upstream().http2()).isFalse();
    assertThat(load("upstream:\n  protocol: http1\n", Map.of()).upstream().http2()).isFalse();
    GatewayConfig.UpstreamConfig h2 =
        load("upstream:\n  protocol: http2\n  max-connections-per-host: 4\n", Map.of()).upstream();
    assertThat(h2.http2()).isTrue();
    assertThat(h2.maxConnectionsPerHost()).isEqualTo(4);
    assertThatThrownBy(() -> load("upstream:\n  protocol: h2\n", Map.of()))
        .hasMessage("config: upstream.protocol: must be http1 or http2, was \"h2\"");
  }

  @Test
  void requestDeadlineIsFiveMinutesUnlessConfigured() throws IOException {
    assertThat(load("", Map.of()).routing().requestTimeoutMs()).isEqualTo(300_000);
    assertThat(
            load("routing:\n  request-timeout-ms: 30000\n", Map.of()).routing().requestTimeoutMs())
        .isEqualTo(30_000);
    assertThatThrownBy(() -> load("routing:\n  request-timeout-ms: 5\n", Map.of()))
        .hasMessageContaining("routing.request-timeout-ms");
  }

  @Test
  void featuresSectionSetsTheDefaultModelCompressionAndTheCache() throws IOException {
    FeaturesConfig d = load("", Map.of()).features();
    assertThat(d).isEqualTo(FeaturesConfig.DEFAULT);
    FeaturesConfig f =
        load(
                """
                features:
                  default-model: openai/gpt-5.2
                  context-compression:
                    default-up-to-context: 4096
                  response-cache:
                    default-ttl-seconds: 60
                    max-entries: 500
                """,
                Map.of())
            .features();
    assertThat(f).isEqualTo(new FeaturesConfig("openai/gpt-5.2", 4_096, 60, 500));
    assertThat(load("", Map.of("SWITCHBOARD_DEFAULT_MODEL", "x/y")).features().defaultModel())
        .isEqualTo("x/y");
    assertThatThrownBy(
            () -> load("features:\n  response-cache:\n    default-ttl-seconds: 0\n", Map.of()))
        .hasMessageContaining("features.response-cache.default-ttl-seconds");
    assertThatThrownBy(() -> load("features:\n  cache: {}\n", Map.of()))
        .hasMessageContaining("features.cache");
  }

  @Test
  void unknownKeyIsRejectedWithTheKnownOnes() {
    assertThatThrownBy(() -> load("server:\n  prot: 1\n", Map.of()))
        .hasMessageContaining("config: server.prot: is not a known key")
        .hasMessageContaining("port");
  }

  @Test
  void providerKeyComesFromTheEnvironmentAndIsRedactedInToString() throws IOException {
    GatewayConfig c = load("", Map.of("OPENAI_API_KEY", "sk-secret-value"));
    assertThat(c.providers().get("openai").apiKey()).isEqualTo("sk-secret-value");
    assertThat(c.toString()).doesNotContain("sk-secret-value");
    assertThat(c.providers().get("openai").toString()).contains("apiKey=***");
  }

  @Test
  void configAddsAProviderAndAModel() throws IOException {
    GatewayConfig c =
        load(
            """
            providers:
              local:
                profile: vllm
                base-url: http://127.0.0.1:8000/v1/
            catalog:
              models:
                - id: acme/small
                  context-length: 8192
                  endpoints:
                    - provider: local
                      pricing: {prompt: "0.0000001", completion: 0.0000002}
            """,
            Map.of());
    assertThat(c.providers().get("local").baseUrl()).isEqualTo("http://127.0.0.1:8000/v1");
    ModelEntry m =
        c.catalog().models().stream()
            .filter(x -> x.id().equals("acme/small"))
            .findFirst()
            .orElseThrow();
    assertThat(m.endpoints().getFirst().upstreamModel()).isEqualTo("acme/small");
    assertThat(m.endpoints().getFirst().pricing().completion()).isEqualByComparingTo("0.0000002");
  }

  @Test
  void endpointOfAnUnknownProviderIsRejected() {
    assertThatThrownBy(
            () ->
                load(
                    """
                    catalog:
                      models:
                        - id: acme/x
                          context-length: 100
                          endpoints: [{provider: nowhere, pricing: {prompt: "0", completion: "0"}}]
                    """,
                    Map.of()))
        .hasMessageContaining("endpoint provider \"nowhere\" is not a configured provider");
  }

  @Test
  void negativePriceIsRejected() {
    assertThatThrownBy(
            () ->
                load(
                    """
                    catalog:
                      models:
                        - id: acme/x
                          context-length: 100
                          endpoints: [{provider: openai, pricing: {prompt: "-1", completion: "0"}}]
                    """,
                    Map.of()))
        .hasMessageContaining(
            "catalog.models[0].endpoints[0].pricing.prompt: must not be negative");
  }

  @Test
  void invalidYamlSaysSo() {
    assertThatThrownBy(() -> load("server: [unclosed\n", Map.of()))
        .hasMessageContaining("is not valid YAML");
  }

  @Test
  void shortMasterKeyIsRejected() {
    assertThatThrownBy(() -> load("", Map.of("SWITCHBOARD_MASTER_KEY", "short")))
        .hasMessageContaining("SWITCHBOARD_MASTER_KEY: must be at least 16 characters");
  }

  @Test
  void metricsAreOnTheGatewaysPortByDefaultOrOnTheirOwnAndUnknownKeysAreRefused()
      throws IOException {
    GatewayConfig d = ConfigLoader.load(null, Map.of(), ConfigLoader.Overrides.NONE);
    assertThat(d.observability().metrics().enabled()).isTrue();
    assertThat(d.observability().metrics().separatePort()).isFalse();
    assertThat(d.observability().otel()).isEmpty();

    GatewayConfig own = load("metrics:\n  port: 9464\n  host: 0.0.0.0\n", Map.of());
    assertThat(own.observability().metrics().port()).isEqualTo(9464);
    assertThat(own.observability().metrics().host()).isEqualTo("0.0.0.0");
    assertThat(
            load("", Map.of("SWITCHBOARD_METRICS_PORT", "9465")).observability().metrics().port())
        .isEqualTo(9465);
    assertThat(load("metrics:\n  enabled: false\n", Map.of()).observability().metrics().enabled())
        .isFalse();

    GatewayConfig otel =
        load("", Map.of("OTEL_TRACES_EXPORTER", "otlp", "OTEL_SERVICE_NAME", "gw", "HOME", "/x"));
    assertThat(otel.observability().otel())
        .containsOnlyKeys("OTEL_TRACES_EXPORTER", "OTEL_SERVICE_NAME");

    assertThatThrownBy(() -> load("metrics:\n  path: /m\n", Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("metrics")
        .hasMessageContaining("path");
    assertThatThrownBy(() -> load("metrics:\n  host: 0.0.0.0\n", Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("metrics.host");
    assertThatThrownBy(() -> load("", Map.of("SWITCHBOARD_METRICS_PORT", "70000")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("SWITCHBOARD_METRICS_PORT");
  }
}
