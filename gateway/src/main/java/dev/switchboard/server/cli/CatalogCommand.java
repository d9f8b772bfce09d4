package dev.switchboard.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.api.json.ApiJson;
import dev.switchboard.server.catalog.ModelEntry;
import dev.switchboard.server.config.ConfigLoader;
import dev.switchboard.server.config.GatewayConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code switchboard catalog}: work on catalog files. */
@Command(
    name = "catalog",
    mixinStandardHelpOptions = true,
    description = "Work on the model catalog.",
    subcommands = {CatalogCommand.Import.class})
public final class CatalogCommand {

  private CatalogCommand() {}

  @Command(
      name = "import",
      mixinStandardHelpOptions = true,
      description = {
        "Turns a saved OpenRouter model list (curl https://openrouter.ai/api/v1/models > models.json)"
            + " into catalog entries for the gateway's configuration, so that it serves those"
            + " models too.",
        "The result is a configuration file (catalog.models) to pass with --config or to merge"
            + " into yours. Models already in the shipped catalog are left out unless"
            + " --replace-shipped is given."
      })
  static final class Import implements Callable<Integer> {

    @Spec CommandSpec spec;

    @Parameters(paramLabel = "FILE", description = "The saved GET /api/v1/models answer (JSON).")
    Path file;

    @Option(
        names = {"-o", "--output"},
        paramLabel = "FILE",
        description = "Write the YAML here instead of to standard output.")
    Path output;

    @Option(
        names = "--provider",
        paramLabel = "SLUG",
        defaultValue = "openrouter",
        description = "The provider that serves the imported models (default: ${DEFAULT-VALUE}).")
    String provider;

    @Option(
        names = "--upstream-model",
        paramLabel = "FORM",
        defaultValue = "id",
        description =
            "The model id the provider knows: id (OpenRouter's, for OpenRouter), slug (without the"
                + " author, for the author's own API) or hugging-face (for open-weights hosts).")
    String upstreamModel;

    @Option(
        names = "--match",
        paramLabel = "REGEX",
        description = "Only models whose id matches, e.g. '^(qwen|moonshotai)/'.")
    String match;

    @Option(
        names = "--replace-shipped",
        description = "Also import models the shipped catalog has (yours then replace them).")
    boolean replaceShipped;

    @Override
    public Integer call() {
      PrintWriter err = spec.commandLine().getErr();
      JsonNode document;
      try {
        document = ApiJson.tree(Files.readAllBytes(file));
      } catch (IOException e) {
        throw new CliException("cannot read " + file + " as JSON: " + e.getMessage(), 2);
      }
      GatewayConfig shipped = ConfigLoader.load(null, Map.of(), ConfigLoader.Overrides.NONE);
      Set<String> shippedIds = new HashSet<>();
      for (ModelEntry m : shipped.catalog().models()) {
        shippedIds.add(m.id());
      }
      CatalogImport.Options options =
          new CatalogImport.Options(provider, upstreamId(), pattern(), replaceShipped, shippedIds);
      int total = document.path("data").size();
      Progress progress =
          new Progress(err, Terminal.isTerminal(Terminal.STDERR), "converting models", total);
      CatalogImport.Result result = CatalogImport.convert(document, options, progress::update);
      progress.done();
      String header =
          "Imported by `switchboard catalog import "
              + file.getFileName()
              + "` on "
              + LocalDate.now(ZoneOffset.UTC)
              + ": "
              + result.models().size()
              + " models on provider \""
              + provider
              + "\".\n"
              + "Prices are USD per token, as the source listed them; check them before you bill"
              + " by them.";
      String yaml = CatalogImport.yaml(result.models(), header);
      if (output == null) {
        spec.commandLine().getOut().print(yaml);
        spec.commandLine().getOut().flush();
      } else {
        try {
          Files.writeString(output, yaml);
        } catch (IOException e) {
          throw new CliException("cannot write " + output + ": " + e.getMessage());
        }
      }
      err.println(
          "Imported "
              + result.models().size()
              + " models"
              + (output == null ? "" : " into " + output)
              + "; skipped "
              + result.skipped().size()
              + ".");
      int shown = 0;
      for (String s : result.skipped()) {
        if (shown++ == 10) {
          err.println("  … and " + (result.skipped().size() - 10) + " more");
          break;
        }
        err.println("  skipped " + s);
      }
      if (!result.replacing().isEmpty()) {
        err.println("  replacing shipped models: " + String.join(", ", result.replacing()));
      }
      if (!shipped.providers().containsKey(provider)) {
        err.println(
            "  provider \""
                + provider
                + "\" is not a shipped one: define it under providers: in the configuration"
                + " (profile, base-url, api-key)");
      }
      err.flush();
      return 0;
    }

    private CatalogImport.UpstreamId upstreamId() {
      return switch (upstreamModel.toLowerCase(java.util.Locale.ROOT)) {
        case "id" -> CatalogImport.UpstreamId.ID;
        case "slug" -> CatalogImport.UpstreamId.SLUG;
        case "hugging-face", "hugging_face", "hf" -> CatalogImport.UpstreamId.HUGGING_FACE;
        default ->
            throw new CliException(
                "--upstream-model must be id, slug or hugging-face, was " + upstreamModel, 2);
      };
    }

    private Pattern pattern() {
      if (match == null) {
        return null;
      }
      try {
        return Pattern.compile(match);
      } catch (PatternSyntaxException e) {
        throw new CliException("--match is not a regular expression: " + e.getDescription(), 2);
      }
    }
  }
}
