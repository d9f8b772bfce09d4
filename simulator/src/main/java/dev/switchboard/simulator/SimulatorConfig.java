package dev.switchboard.simulator;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * How to run a {@link Simulator}. Start from {@link #defaults()} or {@link #builder()}.
 *
 * @param host the address to bind, default {@code 127.0.0.1}
 * @param port the port, 0 for a random free one (default)
 * @param latency the default timing of every provider: time to first token (default 0 ms) and
 *     tokens per second (default 0 = all at once)
 * @param providerLatency initial timing per provider name, overriding {@code latency}
 * @param seed seeds ids and the choice of filler sentences (default 42)
 * @param eventLoops event loops serving requests (default: available processors)
 * @param recordedRequests requests kept per provider for inspection (default 20; 0 keeps none)
 */
public record SimulatorConfig(
    String host,
    int port,
    Latency latency,
    Map<String, Latency> providerLatency,
    long seed,
    int eventLoops,
    int recordedRequests) {

  public SimulatorConfig {
    Objects.requireNonNull(host, "host");
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port must be 0..65535, was " + port);
    }
    Objects.requireNonNull(latency, "latency");
    providerLatency = Map.copyOf(providerLatency);
    if (eventLoops < 1) {
      throw new IllegalArgumentException("eventLoops must be at least 1, was " + eventLoops);
    }
    if (recordedRequests < 0) {
      throw new IllegalArgumentException("recordedRequests must not be negative");
    }
  }

  /** Loopback, random port, no latency, seed 42, one event loop per processor. */
  public static SimulatorConfig defaults() {
    return builder().build();
  }

  public static Builder builder() {
    return new Builder();
  }

  public Builder toBuilder() {
    Builder b = new Builder();
    b.host = host;
    b.port = port;
    b.latency = latency;
    b.providerLatency.putAll(providerLatency);
    b.seed = seed;
    b.eventLoops = eventLoops;
    b.recordedRequests = recordedRequests;
    return b;
  }

  /** Builds a {@link SimulatorConfig}. */
  public static final class Builder {
    private String host = "127.0.0.1";
    private int port;
    private Latency latency = Latency.NONE;
    private final Map<String, Latency> providerLatency = new LinkedHashMap<>();
    private long seed = 42;
    private int eventLoops = Runtime.getRuntime().availableProcessors();
    private int recordedRequests = 20;

    private Builder() {}

    public Builder host(String host) {
      this.host = host;
      return this;
    }

    public Builder port(int port) {
      this.port = port;
      return this;
    }

    /** Default milliseconds before the first token. */
    public Builder ttftMs(long ttftMs) {
      this.latency = new Latency(ttftMs, latency.tokensPerSecond());
      return this;
    }

    /** Default tokens per second; 0 sends everything at once. */
    public Builder tokensPerSecond(double tps) {
      this.latency = new Latency(latency.ttftMs(), tps);
      return this;
    }

    /** Initial timing for one provider. */
    public Builder providerLatency(String provider, Latency latency) {
      this.providerLatency.put(provider, latency);
      return this;
    }

    public Builder seed(long seed) {
      this.seed = seed;
      return this;
    }

    public Builder eventLoops(int eventLoops) {
      this.eventLoops = eventLoops;
      return this;
    }

    public Builder recordedRequests(int recordedRequests) {
      this.recordedRequests = recordedRequests;
      return this;
    }

    public SimulatorConfig build() {
      return new SimulatorConfig(
          host, port, latency, providerLatency, seed, eventLoops, recordedRequests);
    }
  }
}
