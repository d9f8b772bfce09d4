package dev.switchboard.server;

import dev.switchboard.server.cli.ServeCommand;
import dev.switchboard.server.cli.SimulatorCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code switchboard} command line: {@code serve} and {@code simulator}. */
@Command(
    name = "switchboard",
    mixinStandardHelpOptions = true,
    version = "Switchboard 0.1.0",
    description = "A self-hosted LLM gateway that speaks the OpenRouter API.",
    subcommands = {ServeCommand.class, SimulatorCommand.class})
public final class Main implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    int code = new CommandLine(new Main()).execute(args);
    if (code != 0) {
      System.exit(code);
    }
  }

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
