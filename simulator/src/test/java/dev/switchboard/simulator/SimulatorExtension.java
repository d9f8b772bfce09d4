package dev.switchboard.simulator;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One simulator for a test class: started on a free port before the first test, reset before each
 * test (faults, latency, recorded requests, as {@code POST /_sim/reset}), closed after the last.
 * Register it as a static field:
 *
 * <pre>{@code
 * @RegisterExtension static final SimulatorExtension sim = SimulatorExtension.withEventLoops(1);
 * ... sim.simulator().addFault("openai", Fault.status(429)); sim.client().chat("openai", body);
 * }</pre>
 */
final class SimulatorExtension implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback {

  private final SimulatorConfig config;
  private Simulator simulator;
  private SimClient client;

  private SimulatorExtension(SimulatorConfig config) {
    this.config = config;
  }

  /** The default simulator on {@code loops} event loops. */
  static SimulatorExtension withEventLoops(int loops) {
    return of(SimulatorConfig.builder().eventLoops(loops).build());
  }

  static SimulatorExtension of(SimulatorConfig config) {
    return new SimulatorExtension(config);
  }

  Simulator simulator() {
    return simulator;
  }

  /** A JDK HTTP client that talks to it. */
  SimClient client() {
    return client;
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    simulator = Simulator.start(config);
    client = new SimClient(simulator);
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    simulator.reset();
  }

  @Override
  public void afterAll(ExtensionContext context) {
    simulator.close();
  }
}
