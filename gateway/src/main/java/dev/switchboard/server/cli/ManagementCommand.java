package dev.switchboard.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.api.json.ApiJson;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The base of the commands that call the management API: where the gateway is, the management key,
 * {@code --json} for scripts, and the output streams.
 */
abstract class ManagementCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Mixin GatewayOptions gateway;

  @Option(
      names = "--key",
      paramLabel = "KEY",
      description =
          "Management key (default: SWITCHBOARD_MASTER_KEY, else "
              + GatewayOptions.KEY_FILE
              + " in the data folder).")
  String key;

  GatewayClient client() {
    return new GatewayClient(
        gateway.apiBase(),
        gateway.managementKey(key),
        "this needs a management key: --key, SWITCHBOARD_MASTER_KEY or "
            + GatewayOptions.KEY_FILE
            + " in the data folder");
  }

  PrintWriter out() {
    return spec.commandLine().getOut();
  }

  PrintWriter err() {
    return spec.commandLine().getErr();
  }

  void printJson(JsonNode node) {
    out().println(ApiJson.pretty(node));
    out().flush();
  }

  @Override
  public final Integer call() {
    run();
    out().flush();
    err().flush();
    return 0;
  }

  abstract void run();
}
