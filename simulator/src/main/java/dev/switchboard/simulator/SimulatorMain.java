package dev.switchboard.simulator;

import java.util.concurrent.CountDownLatch;

/**
 * Runs the simulator standalone until the process is stopped.
 *
 * <pre>
 * java -cp ... dev.switchboard.simulator.SimulatorMain --port 9090 [--host 127.0.0.1]
 *     [--ttft-ms 0] [--tps 0] [--seed 42] [--event-loops N] [--recorded-requests 20]
 * </pre>
 */
public final class SimulatorMain {

  private static final String USAGE =
      """
      Usage: SimulatorMain [--host HOST] [--port PORT] [--ttft-ms MS] [--tps N] [--seed N]
                           [--event-loops N] [--recorded-requests N]
        --host               address to bind (default 127.0.0.1)
        --port               port, 0 for a random one (default 0)
        --ttft-ms            default time to first token in ms (default 0)
        --tps                default tokens per second, 0 = all at once (default 0)
        --seed               seed for ids and filler text (default 42)
        --event-loops        event loops (default: available processors)
        --recorded-requests  requests kept per provider for /_sim/requests (default 20)
      """;

  private SimulatorMain() {}

  public static void main(String[] args) throws InterruptedException {
    SimulatorConfig config;
    try {
      config = parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.err.print(USAGE);
      System.exit(2);
      return;
    }
    if (config == null) {
      System.out.print(USAGE);
      return;
    }
    Simulator simulator = Simulator.start(config);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  simulator.close();
                  stopped.countDown();
                },
                "simulator-shutdown"));
    System.out.println("Switchboard simulator listening on " + simulator.url());
    System.out.println(
        "  OpenAI dialect: " + simulator.baseUrl("{provider}") + "/chat/completions");
    System.out.println("  control API:    " + simulator.url() + "/_sim/");
    stopped.await();
  }

  /** The configuration the arguments describe, or null when help was asked for. */
  static SimulatorConfig parse(String[] args) {
    SimulatorConfig.Builder b = SimulatorConfig.builder();
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      if (arg.equals("--help") || arg.equals("-h")) {
        return null;
      }
      int eq = arg.indexOf('=');
      String name = eq > 0 ? arg.substring(0, eq) : arg;
      String value;
      if (eq > 0) {
        value = arg.substring(eq + 1);
      } else if (i + 1 < args.length) {
        value = args[++i];
      } else {
        throw new IllegalArgumentException("missing value for " + name);
      }
      try {
        switch (name) {
          case "--host" -> b.host(value);
          case "--port" -> b.port(Integer.parseInt(value));
          case "--ttft-ms" -> b.ttftMs(Long.parseLong(value));
          case "--tps" -> b.tokensPerSecond(Double.parseDouble(value));
          case "--seed" -> b.seed(Long.parseLong(value));
          case "--event-loops" -> b.eventLoops(Integer.parseInt(value));
          case "--recorded-requests" -> b.recordedRequests(Integer.parseInt(value));
          default -> throw new IllegalArgumentException("unknown option " + name);
        }
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("not a number for " + name + ": " + value);
      }
    }
    return b.build();
  }
}
