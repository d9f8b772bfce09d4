package dev.switchboard.server.cli;

import dev.switchboard.simulator.Simulator;
import dev.switchboard.simulator.SimulatorConfig;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code switchboard simulator}: the fake upstream providers on their own. */
@Command(
    name = "simulator",
    mixinStandardHelpOptions = true,
    description = {
      "Runs the simulated upstream providers (OpenAI dialect) on their own.",
      "POST /p/{provider}/v1/chat/completions; control API under /_sim/ (see docs/simulator.md)."
    })
public final class SimulatorCommand implements java.util.concurrent.Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(names = "--host", description = "Address to listen on (default 127.0.0.1).")
  String host = "127.0.0.1";

  @Option(names = "--port", description = "Port to listen on (default 9090; 0 picks a free one).")
  int port = 9090;

  @Override
  public Integer call() {
    Simulator sim =
        Simulator.start(SimulatorConfig.defaults().toBuilder().host(host).port(port).build());
    spec.commandLine()
        .getOut()
        .println("Simulator listening on http://" + host + ":" + sim.port() + " (Ctrl-C stops it)");
    spec.commandLine().getOut().flush();
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  sim.close();
                  stopped.countDown();
                }));
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return 0;
  }
}
