package dev.switchboard.simulator;

import io.vertx.core.Context;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A running fake upstream: OpenAI's chat completions dialect for any number of providers, each
 * under {@code /p/{provider}/v1} with its own fault script, timing and recorded requests (plain
 * {@code /v1} is provider {@code default}). Replies are deterministic functions of the request; see
 * {@code docs/simulator.md} for the rules and the {@code /_sim/} control API, which has the same
 * semantics as the methods here.
 *
 * <pre>{@code
 * try (Simulator sim = Simulator.start(SimulatorConfig.defaults())) {
 *   sim.addFault("openai", Fault.status(429).times(1));
 *   String baseUrl = sim.baseUrl("openai"); // http://127.0.0.1:PORT/p/openai/v1
 * }
 * }</pre>
 *
 * <p>Thread-safe. {@link #start} blocks and must not be called on an event loop; use {@link
 * #startAsync} there.
 */
public final class Simulator implements AutoCloseable {

  /** The provider that plain {@code /v1/chat/completions} serves. */
  public static final String DEFAULT_PROVIDER = "default";

  private static final long START_TIMEOUT_SECONDS = 30;
  private static final AtomicInteger SHARED_RANDOM_PORT = new AtomicInteger(-1);

  private final Vertx vertx;
  private final boolean ownsVertx;
  private final SimState state;
  private final int port;
  private final List<String> deployments;

  private Simulator(
      Vertx vertx, boolean ownsVertx, SimState state, int port, List<String> deployments) {
    this.vertx = vertx;
    this.ownsVertx = ownsVertx;
    this.state = state;
    this.port = port;
    this.deployments = deployments;
  }

  /** Starts a simulator on its own Vert.x instance and waits until it listens. */
  public static Simulator start(SimulatorConfig config) {
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(config.eventLoops()));
    try {
      return await(deploy(vertx, config, true));
    } catch (RuntimeException e) {
      vertx.close();
      throw e;
    }
  }

  /** Starts a simulator on {@code vertx} and waits until it listens; close leaves vertx open. */
  public static Simulator start(Vertx vertx, SimulatorConfig config) {
    return await(startAsync(vertx, config));
  }

  /** Starts a simulator on {@code vertx}; for callers on an event loop. */
  public static Future<Simulator> startAsync(Vertx vertx, SimulatorConfig config) {
    return deploy(vertx, config, false);
  }

  private static Future<Simulator> deploy(Vertx vertx, SimulatorConfig config, boolean owns) {
    SimState state = new SimState(config);
    // Vert.x shares one listening socket among servers asking for the same port; a negative port
    // means "one random port shared by everyone asking for this negative value".
    int port = config.port() != 0 ? config.port() : SHARED_RANDOM_PORT.getAndDecrement();
    List<SimulatorVerticle> verticles = new CopyOnWriteArrayList<>();
    return vertx
        .deployVerticle(
            () -> {
              SimulatorVerticle verticle = new SimulatorVerticle(state, port);
              verticles.add(verticle);
              return verticle;
            },
            new DeploymentOptions().setInstances(config.eventLoops()))
        .map(
            id ->
                new Simulator(vertx, owns, state, verticles.getFirst().actualPort(), List.of(id)));
  }

  /** The port the simulator listens on. */
  public int port() {
    return port;
  }

  /** {@code http://HOST:PORT}, where the control API lives under {@code /_sim/}. */
  public String url() {
    String host = state.config.host();
    if (host.equals("0.0.0.0") || host.equals("::")) {
      host = "127.0.0.1";
    } else if (host.contains(":")) {
      host = "[" + host + "]";
    }
    return "http://" + host + ":" + port;
  }

  /** The OpenAI-style base URL of a provider, e.g. {@code http://127.0.0.1:PORT/p/openai/v1}. */
  public String baseUrl(String provider) {
    return url() + "/p/" + provider + "/v1";
  }

  public SimulatorConfig config() {
    return state.config;
  }

  /** Queues {@code fault} for the provider's next requests, after any faults already queued. */
  public void addFault(String provider, Fault fault) {
    state.provider(provider).addFault(fault);
  }

  /** The provider's queued faults, each with the count it has left. */
  public List<Fault> faults(String provider) {
    ProviderState target = state.existing(provider);
    return target == null ? List.of() : target.faults();
  }

  /** All queued faults by provider. */
  public Map<String, List<Fault>> faults() {
    return state.faults();
  }

  public void clearFaults(String provider) {
    ProviderState target = state.existing(provider);
    if (target != null) {
      target.clearFaults();
    }
  }

  public void clearFaults() {
    state.clearFaults();
  }

  /** Sets the provider's timing (requests may still override it with headers). */
  public void setLatency(String provider, Latency latency) {
    state.provider(provider).latency(latency);
  }

  /** Returns the provider to its configured timing. */
  public void clearLatency(String provider) {
    ProviderState target = state.existing(provider);
    if (target != null) {
      target.latency(null);
    }
  }

  /** The timing the provider uses now. */
  public Latency latency(String provider) {
    return state.latency(provider);
  }

  /** The provider's last requests, oldest first (at most {@code recordedRequests} of them). */
  public List<RecordedRequest> requests(String provider) {
    return state.requests(provider, Integer.MAX_VALUE);
  }

  /** The provider's last request, if it had one. */
  public Optional<RecordedRequest> lastRequest(String provider) {
    List<RecordedRequest> last = state.requests(provider, 1);
    return last.isEmpty() ? Optional.empty() : Optional.of(last.getFirst());
  }

  /** Requests the provider has received (faulted ones included). */
  public long requestCount(String provider) {
    ProviderState target = state.existing(provider);
    return target == null ? 0 : target.requestCount();
  }

  /** Searches its Exa-compatible search API ({@code POST /exa/search}) has served. */
  public long searchCount() {
    return state.search.searches();
  }

  /**
   * Forgets faults, timing changes, recorded requests and counters, and restarts the id sequence.
   */
  public void reset() {
    state.reset();
  }

  /** Stops listening; closes the Vert.x instance when the simulator created it. */
  @Override
  public void close() {
    Future<?> closing;
    if (ownsVertx) {
      closing = vertx.close();
    } else {
      closing = Future.join(deployments.stream().map(vertx::undeploy).toList());
    }
    if (!Context.isOnEventLoopThread()) {
      await(closing);
    }
  }

  private static <T> T await(Future<T> future) {
    if (Context.isOnEventLoopThread()) {
      throw new IllegalStateException(
          "Simulator.start blocks and cannot run on an event loop; use Simulator.startAsync");
    }
    try {
      return future
          .toCompletionStage()
          .toCompletableFuture()
          .get(START_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for the simulator", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException(
          "simulator failed: " + e.getCause().getMessage(), e.getCause());
    } catch (TimeoutException e) {
      throw new IllegalStateException("simulator did not start or stop within 30 s", e);
    }
  }
}
