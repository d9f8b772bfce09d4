package dev.switchboard.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.switchboard.api.json.ApiJson;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code switchboard models}: the gateway's catalogue. */
@Command(
    name = "models",
    mixinStandardHelpOptions = true,
    description = "The models the gateway serves.",
    subcommands = {ModelsCommand.ListModels.class})
public final class ModelsCommand {

  private ModelsCommand() {}

  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      description = {
        "Lists the models the gateway serves now (those with an enabled provider), one line per"
            + " provider endpoint, with context, output limit and prices in USD per million"
            + " tokens."
      })
  static final class ListModels implements Callable<Integer> {

    @Spec CommandSpec spec;

    @Mixin GatewayOptions gateway;

    @Parameters(
        arity = "0..1",
        paramLabel = "FILTER",
        description = "Only models whose id or name contains this text (any case).")
    String filter;

    @Option(
        names = "--json",
        description = "Print the models with their endpoints as JSON instead of a table.")
    boolean json;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      PrintWriter err = spec.commandLine().getErr();
      GatewayClient c = new GatewayClient(gateway.apiBase(), null, null);
      List<JsonNode> models = new ArrayList<>();
      for (JsonNode m : c.get("models?output_modalities=all").path("data")) {
        if (matches(m)) {
          models.add(m);
        }
      }
      Progress progress =
          new Progress(
              err, Terminal.isTerminal(Terminal.STDERR), "fetching endpoints", models.size());
      List<JsonNode> withEndpoints = new ArrayList<>();
      for (int i = 0; i < models.size(); i++) {
        progress.update(i);
        JsonNode m = models.get(i);
        withEndpoints.add(c.get("models/" + m.path("id").asText() + "/endpoints").path("data"));
      }
      progress.done();
      if (json) {
        ArrayNode array = ApiJson.mapper().createArrayNode();
        withEndpoints.forEach(array::add);
        out.println(ApiJson.pretty(array));
        out.flush();
        return 0;
      }
      if (withEndpoints.isEmpty()) {
        out.println(
            filter == null
                ? "The gateway serves no model (no provider is enabled: see its start-up log)."
                : "No model matches \"" + filter + "\".");
        out.flush();
        return 0;
      }
      Table t =
          new Table(
              "MODEL",
              "PROVIDER",
              ">CONTEXT",
              ">MAX OUT",
              ">INPUT $/M",
              ">OUTPUT $/M",
              ">CACHE READ $/M");
      int endpoints = 0;
      for (JsonNode m : withEndpoints) {
        for (JsonNode e : m.path("endpoints")) {
          endpoints++;
          JsonNode p = e.path("pricing");
          t.row(
              m.path("id").asText(),
              Format.text(e.path("provider_name")),
              Format.count(e.path("context_length")),
              Format.count(e.path("max_completion_tokens")),
              Format.perMillion(p.path("prompt")),
              Format.perMillion(p.path("completion")),
              Format.perMillion(p.path("input_cache_read")));
        }
      }
      t.print(out);
      out.println();
      out.println(withEndpoints.size() + " models, " + endpoints + " endpoints.");
      out.flush();
      return 0;
    }

    private boolean matches(JsonNode m) {
      if (filter == null || filter.isBlank()) {
        return true;
      }
      String f = filter.toLowerCase(Locale.ROOT);
      return m.path("id").asText().toLowerCase(Locale.ROOT).contains(f)
          || m.path("name").asText().toLowerCase(Locale.ROOT).contains(f);
    }
  }
}
