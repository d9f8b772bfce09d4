package dev.switchboard.server.config;

import java.util.Map;
import java.util.TreeMap;

/**
 * Metrics and traces (docs/operations.md).
 *
 * @param metrics the Prometheus endpoint
 * @param otel the process's {@code OTEL_*} environment variables, which configure tracing as the
 *     OpenTelemetry SDK's autoconfiguration reads them (tracing is off unless they ask for an
 *     exporter)
 */
public record ObservabilityConfig(Metrics metrics, Map<String, String> otel) {

  public static final ObservabilityConfig DEFAULT =
      new ObservabilityConfig(Metrics.DEFAULT, Map.of());

  public ObservabilityConfig {
    metrics = metrics == null ? Metrics.DEFAULT : metrics;
    otel = otel == null ? Map.of() : Map.copyOf(otel);
  }

  /** This configuration with other {@code OTEL_*} variables (tests set them this way). */
  public ObservabilityConfig withOtel(Map<String, String> otel) {
    return new ObservabilityConfig(metrics, otel);
  }

  /** The {@code OTEL_*} entries of an environment. */
  public static Map<String, String> otelOf(Map<String, String> env) {
    Map<String, String> out = new TreeMap<>();
    env.forEach(
        (k, v) -> {
          if (k.startsWith("OTEL_")) {
            out.put(k, v);
          }
        });
    return out;
  }

  /**
   * The {@code /metrics} endpoint.
   *
   * @param enabled whether metrics are kept and served at all
   * @param host where the separate metrics listener binds (only with {@code port})
   * @param port null: served on the gateway's own port and protected by a management key; a port (0
   *     = any free one): served there instead, without a key, and no longer on the gateway's port
   */
  public record Metrics(boolean enabled, String host, Integer port) {
    public static final Metrics DEFAULT = new Metrics(true, "127.0.0.1", null);

    /** Whether {@code /metrics} has a listener of its own. */
    public boolean separatePort() {
      return enabled && port != null;
    }
  }

  @Override
  public String toString() {
    // OTEL_EXPORTER_OTLP_HEADERS may carry a collector's credentials: names only.
    return "ObservabilityConfig[metrics=" + metrics + ", otel=" + otel.keySet() + "]";
  }
}
