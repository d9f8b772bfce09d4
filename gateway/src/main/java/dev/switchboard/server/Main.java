package dev.switchboard.server;

import dev.switchboard.server.cli.CatalogCommand;
import dev.switchboard.server.cli.ChatCommand;
import dev.switchboard.server.cli.CreditsCommand;
import dev.switchboard.server.cli.KeysCommand;
import dev.switchboard.server.cli.ModelsCommand;
import dev.switchboard.server.cli.ServeCommand;
import dev.switchboard.server.cli.SimulatorCommand;
import dev.switchboard.server.cli.UsageCommand;
import dev.switchboard.server.logging.ConsoleLog;
import dev.switchboard.server.logging.LogFormat;
import java.util.Set;
import org.slf4j.event.Level;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code switchboard} command line: the servers ({@code serve}, {@code simulator}) and the
 * commands that talk to a running gateway ({@code keys}, {@code models}, {@code usage}, {@code
 * chat}, {@code credits}) or work on files ({@code catalog}).
 */
@Command(
    name = "switchboard",
    mixinStandardHelpOptions = true,
    version = "Switchboard 0.1.0",
    description = "A self-hosted LLM gateway that speaks the OpenRouter API.",
    subcommands = {
      ServeCommand.class,
      SimulatorCommand.class,
      KeysCommand.class,
      ModelsCommand.class,
      UsageCommand.class,
      ChatCommand.class,
      CatalogCommand.class,
      CreditsCommand.class
    })
public final class Main implements Runnable {

  /** The commands that run a server and log; with JSON logs, what they print is logged instead. */
  private static final Set<String> SERVERS = Set.of("serve", "simulator");

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    int code = commandLine().execute(args);
    if (code != 0) {
      ConsoleLog.drain();
      System.exit(code);
    }
  }

  /**
   * The command line as {@code main} runs it: a CLI failure is one line on standard error ({@code
   * switchboard: ...}) and its exit code, not a stack trace.
   */
  public static CommandLine commandLine() {
    CommandLine cli = new CommandLine(new Main());
    cli.setCaseInsensitiveEnumValuesAllowed(true);
    cli.setExecutionStrategy(Main::execute);
    cli.setExecutionExceptionHandler(
        (e, command, parsed) -> {
          if (e instanceof dev.switchboard.server.cli.CliException failure) {
            command.getErr().println("switchboard: " + failure.getMessage());
            command.getErr().flush();
            return failure.exitCode();
          }
          throw e;
        });
    return cli;
  }

  /**
   * Runs the chosen command. A server command under {@code SWITCHBOARD_LOG_FORMAT=json} prints
   * through the log, so that every line it writes is JSON; its help and version stay plain text.
   */
  static int execute(CommandLine.ParseResult parsed) {
    CommandLine.ParseResult sub = parsed.subcommand();
    if (sub != null
        && SERVERS.contains(sub.commandSpec().name())
        && !sub.isUsageHelpRequested()
        && !sub.isVersionHelpRequested()
        && LogFormat.current() == LogFormat.JSON) {
      // The root creates its writers lazily and hands them down to every subcommand, which would
      // replace these: let it create them first.
      parsed.commandSpec().commandLine().getOut();
      parsed.commandSpec().commandLine().getErr();
      sub.commandSpec().commandLine().setOut(ConsoleLog.writer(Level.INFO));
      sub.commandSpec().commandLine().setErr(ConsoleLog.writer(Level.ERROR));
    }
    return new CommandLine.RunLast().execute(parsed);
  }

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
