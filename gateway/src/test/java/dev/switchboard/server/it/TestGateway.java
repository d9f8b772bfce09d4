package dev.switchboard.server.it;

import dev.switchboard.server.Gateway;
import dev.switchboard.server.config.ConfigLoader;
import dev.switchboard.server.config.GatewayConfig;
import dev.switchboard.simulator.Simulator;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Map;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A demo-mode gateway on a free port with its in-process simulator and SQLite in a temporary
 * folder, plus a plain JDK HTTP client for wire-level assertions.
 *
 * <p>Most test classes share one for all their tests: register it as a JUnit extension, and it
 * starts before the first test (in its own temporary folder), resets the simulator after each test
 * (faults, latency, recorded requests) and closes after the last:
 *
 * <pre>{@code
 * @RegisterExtension static final TestGateway gw = TestGateway.perClass();
 * }</pre>
 */
final class TestGateway
    implements AutoCloseable, BeforeAllCallback, AfterAllCallback, AfterEachCallback {

  static final String MASTER_KEY = "sk-sb-mgmt-v1-test-master-key-0123456789";
  static final String KEY = Gateway.DEMO_KEY;

  private final Function<Path, Gateway> starter;
  Gateway gateway;
  Path dataDir;
  final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();

  private TestGateway(Gateway gateway, Path dataDir) {
    this.starter = null;
    this.gateway = gateway;
    this.dataDir = dataDir;
  }

  private TestGateway(Function<Path, Gateway> starter) {
    this.starter = starter;
  }

  /** One gateway with the default test config for a whole test class (a JUnit extension). */
  static TestGateway perClass() {
    return perClass(UnaryOperator.identity());
  }

  /** The same, with its test config changed by {@code tweak} first. */
  static TestGateway perClass(UnaryOperator<GatewayConfig> tweak) {
    return new TestGateway(
        dir ->
            Gateway.start(
                tweak.apply(
                    config(dir, 5_000, 10L * 1024 * 1024, GatewayConfig.RoutingConfig.DEFAULT))));
  }

  /** The same with another keep-alive interval and body limit. */
  static TestGateway perClass(long keepaliveMs, long maxBodyBytes) {
    return new TestGateway(
        dir ->
            Gateway.start(
                config(dir, keepaliveMs, maxBodyBytes, GatewayConfig.RoutingConfig.DEFAULT)));
  }

  /** The same with other routing settings. */
  static TestGateway perClass(GatewayConfig.RoutingConfig routing) {
    return new TestGateway(dir -> Gateway.start(config(dir, 5_000, 10L * 1024 * 1024, routing)));
  }

  @Override
  public void beforeAll(ExtensionContext context) throws IOException {
    dataDir = Files.createTempDirectory("switchboard-it-");
    gateway = starter.apply(dataDir);
  }

  @Override
  public void afterEach(ExtensionContext context) {
    simulator().reset();
  }

  @Override
  public void afterAll(ExtensionContext context) throws IOException {
    close();
    try (Stream<Path> files = Files.walk(dataDir)) {
      for (Path f : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(f);
      }
    }
  }

  static TestGateway start(Path dataDir) {
    return start(dataDir, 5_000, 10L * 1024 * 1024);
  }

  static TestGateway start(Path dataDir, long keepaliveMs, long maxBodyBytes) {
    return new TestGateway(
        Gateway.start(
            config(dataDir, keepaliveMs, maxBodyBytes, GatewayConfig.RoutingConfig.DEFAULT)),
        dataDir);
  }

  static TestGateway start(Path dataDir, GatewayConfig.RoutingConfig routing) {
    return new TestGateway(
        Gateway.start(config(dataDir, 5_000, 10L * 1024 * 1024, routing)), dataDir);
  }

  /** A gateway whose default test config is changed by {@code tweak} first. */
  static TestGateway startWith(
      Path dataDir, java.util.function.UnaryOperator<GatewayConfig> tweak) {
    return new TestGateway(
        Gateway.start(
            tweak.apply(
                config(dataDir, 5_000, 10L * 1024 * 1024, GatewayConfig.RoutingConfig.DEFAULT))),
        dataDir);
  }

  /** A gateway with other routing settings, its default test config changed by tweak. */
  static TestGateway startWith(
      Path dataDir,
      GatewayConfig.RoutingConfig routing,
      java.util.function.UnaryOperator<GatewayConfig> tweak) {
    return new TestGateway(
        Gateway.start(tweak.apply(config(dataDir, 5_000, 10L * 1024 * 1024, routing))), dataDir);
  }

  /** A gateway on {@code storage} (which it closes), its default test config changed by tweak. */
  static TestGateway startOn(
      Path dataDir,
      dev.switchboard.server.storage.Storage storage,
      java.util.function.UnaryOperator<GatewayConfig> tweak) {
    return new TestGateway(
        Gateway.start(
            tweak.apply(
                config(dataDir, 5_000, 10L * 1024 * 1024, GatewayConfig.RoutingConfig.DEFAULT)),
            storage),
        dataDir);
  }

  static GatewayConfig config(
      Path dataDir, long keepaliveMs, long maxBodyBytes, GatewayConfig.RoutingConfig routing) {
    GatewayConfig base =
        ConfigLoader.load(
            null,
            Map.of("SWITCHBOARD_MASTER_KEY", MASTER_KEY),
            new ConfigLoader.Overrides("127.0.0.1", 0, dataDir, true));
    return new GatewayConfig(
        new GatewayConfig.ServerConfig("127.0.0.1", 0, maxBodyBytes, 2).withDrain(2_000, 0),
        new GatewayConfig.UpstreamConfig(2_000, 3_000, 2_000, 64),
        new GatewayConfig.StreamConfig(keepaliveMs),
        routing,
        base.media(),
        base.storage(),
        new GatewayConfig.LogConfig(false),
        base.providers(),
        base.catalog(),
        base.masterKey(),
        true,
        base.limits(),
        base.errors());
  }

  Simulator simulator() {
    return gateway.simulator();
  }

  String base() {
    return gateway.baseUrl();
  }

  HttpResponse<String> post(String path, String body, String key, String contentType)
      throws IOException, InterruptedException {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(base() + path))
            .timeout(Duration.ofSeconds(20))
            .POST(HttpRequest.BodyPublishers.ofString(body));
    if (key != null) {
      b.header("Authorization", "Bearer " + key);
    }
    if (contentType != null) {
      b.header("Content-Type", contentType);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  HttpResponse<String> chat(String body) throws IOException, InterruptedException {
    return post("/chat/completions", body, KEY, "application/json");
  }

  /** A chat request with the demo key whose body is read as it arrives (to leave it midway). */
  HttpResponse<java.io.InputStream> chatStream(String body)
      throws IOException, InterruptedException {
    HttpRequest req =
        HttpRequest.newBuilder(URI.create(base() + "/chat/completions"))
            .header("Authorization", "Bearer " + KEY)
            .header("Content-Type", "application/json")
            .timeout(Duration.ofSeconds(20))
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build();
    return http.send(req, HttpResponse.BodyHandlers.ofInputStream());
  }

  HttpResponse<String> send(String method, String path, String body, String key)
      throws IOException, InterruptedException {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(base() + path))
            .timeout(Duration.ofSeconds(20))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    if (key != null) {
      b.header("Authorization", "Bearer " + key);
    }
    if (body != null) {
      b.header("Content-Type", "application/json");
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  HttpResponse<String> get(String path, String key) throws IOException, InterruptedException {
    return send("GET", path, null, key);
  }

  @Override
  public void close() {
    gateway.close();
  }
}
