package dev.switchboard.client;

import dev.switchboard.server.Gateway;
import dev.switchboard.server.config.ConfigLoader;
import dev.switchboard.server.config.GatewayConfig;
import dev.switchboard.simulator.Simulator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * The real gateway in demo mode, in this JVM: a free port, SQLite in a temporary folder, the
 * simulator standing in for every provider. Started once for all test classes that use it (as a
 * JUnit extension with a constructor or method parameter of this type) and closed at the end of the
 * run.
 *
 * <p>Configured through a YAML file, as a user would: a short first-byte time-out (so 408 tests are
 * quick), a short keep-alive (so slow first tokens produce {@code : OPENROUTER PROCESSING}), and
 * OpenRouter's free-model limits off: these tests send far more than 20 requests a minute to {@code
 * :free} models, and what they check is how the SDK meets the upstream's errors, not the gateway's
 * own rate limit (which {@code LimitsIT} in the gateway covers).
 */
final class InProcessGateway implements AutoCloseable {

  static final String MASTER_KEY = "sk-sb-mgmt-v1-client-test-master-key-0123";

  final Gateway gateway;
  private final Path dataDir;

  private InProcessGateway(Gateway gateway, Path dataDir) {
    this.gateway = gateway;
    this.dataDir = dataDir;
  }

  static InProcessGateway start() {
    try {
      Path dir = Files.createTempDirectory("switchboard-client-it");
      Path yaml = dir.resolve("switchboard.yaml");
      Files.writeString(
          yaml,
          """
          server:
            event-loops: 2
          upstream:
            connect-timeout-ms: 2000
            first-byte-timeout-ms: 1500
            idle-timeout-ms: 2000
          stream:
            keepalive-ms: 100
          log:
            access: false
          limits:
            free-models:
              enabled: false
          """);
      GatewayConfig config =
          ConfigLoader.load(
              yaml,
              Map.of("SWITCHBOARD_MASTER_KEY", MASTER_KEY),
              new ConfigLoader.Overrides("127.0.0.1", 0, dir.resolve("data"), true));
      return new InProcessGateway(Gateway.start(config), dir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  String baseUrl() {
    return gateway.baseUrl();
  }

  Simulator simulator() {
    return gateway.simulator();
  }

  /** A client with the demo inference key, fast retries (10 ms backoff) and no extra waits. */
  SwitchboardClient.Builder client() {
    return SwitchboardClient.builder()
        .baseUrl(baseUrl())
        .apiKey(Gateway.DEMO_KEY)
        .retryPolicy(
            RetryPolicy.defaults()
                .withBackoff(java.time.Duration.ofMillis(10), java.time.Duration.ofMillis(50)));
  }

  /** A client with the management key. */
  SwitchboardClient.Builder management() {
    return client().apiKey(MASTER_KEY);
  }

  @Override
  public void close() {
    gateway.close();
    try (Stream<Path> files = Files.walk(dataDir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // a leftover temporary folder is harmless
    }
  }

  /** Injects the shared gateway, starting it on first use. */
  static final class Extension implements ParameterResolver {

    @Override
    public boolean supportsParameter(ParameterContext p, ExtensionContext c) {
      return p.getParameter().getType() == InProcessGateway.class;
    }

    @Override
    public Object resolveParameter(ParameterContext p, ExtensionContext c) {
      return c.getRoot()
          .getStore(ExtensionContext.Namespace.create(InProcessGateway.class))
          .getOrComputeIfAbsent("gateway", k -> InProcessGateway.start(), InProcessGateway.class);
    }
  }
}
