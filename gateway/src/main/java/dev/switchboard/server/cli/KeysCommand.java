package dev.switchboard.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.api.json.ApiJson;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code switchboard keys}: inference keys through the gateway's key management API. */
@Command(
    name = "keys",
    mixinStandardHelpOptions = true,
    description = "Create, list, show, disable, enable and delete inference keys.",
    subcommands = {
      KeysCommand.ListKeys.class,
      KeysCommand.Create.class,
      KeysCommand.Show.class,
      KeysCommand.Disable.class,
      KeysCommand.Enable.class,
      KeysCommand.Delete.class
    })
public final class KeysCommand {

  private static final int PAGE = 100;

  private KeysCommand() {}

  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      description = "Lists the inference keys with their limits and spend.")
  static final class ListKeys extends ManagementCommand {

    @Option(names = "--all", description = "Include disabled keys.")
    boolean all;

    @Option(names = "--json", description = "Print the API's JSON instead of a table.")
    boolean json;

    @Override
    void run() {
      List<JsonNode> keys = all(client(), all);
      if (json) {
        ArrayNode array = ApiJson.mapper().createArrayNode();
        keys.forEach(array::add);
        printJson(array);
        return;
      }
      if (keys.isEmpty()) {
        out().println("No keys" + (all ? "." : " (--all includes disabled ones)."));
        return;
      }
      Table t =
          new Table(
              "HASH", "NAME", "LABEL", "STATUS", ">LIMIT", "RESET", ">USAGE", ">TODAY", ">MONTH",
              "EXPIRES");
      for (JsonNode k : keys) {
        t.row(
            shortHash(k),
            Format.text(k.path("name")),
            Format.text(k.path("label")),
            k.path("disabled").asBoolean() ? "disabled" : "active",
            k.path("limit").isNull() ? "none" : Format.usd(k.path("limit")),
            Format.text(k.path("limit_reset")),
            Format.usd(k.path("usage")),
            Format.usd(k.path("usage_daily")),
            Format.usd(k.path("usage_monthly")),
            Format.text(k.path("expires_at")));
      }
      t.print(out());
    }
  }

  @Command(
      name = "create",
      mixinStandardHelpOptions = true,
      description = {
        "Creates an inference key and prints it. The key is shown this once: store it.",
        "The key alone goes to standard output (KEY=$(switchboard keys create --name app));"
            + " what was created goes to standard error."
      })
  static final class Create extends ManagementCommand {

    @Option(names = "--name", required = true, description = "What the key is for.")
    String name;

    @Option(
        names = "--limit",
        paramLabel = "USD",
        description = "Spending limit in USD (default: none).")
    BigDecimal limit;

    @Option(
        names = "--limit-reset",
        paramLabel = "PERIOD",
        description = "When the limit starts again: daily, weekly or monthly (default: never).")
    String limitReset;

    @Option(
        names = "--expires",
        paramLabel = "TIME",
        description = "When the key stops working, ISO-8601 in UTC (2027-01-31T00:00:00Z).")
    String expires;

    @Option(
        names = "--include-byok-in-limit",
        description = "Count bring-your-own-key spend against the limit.")
    boolean includeByok;

    @Override
    void run() {
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("name", name);
      if (limit != null) {
        body.put("limit", limit);
      }
      if (limitReset != null) {
        body.put("limit_reset", limitReset.toLowerCase(Locale.ROOT));
      }
      if (expires != null) {
        body.put("expires_at", expires);
      }
      if (includeByok) {
        body.put("include_byok_in_limit", true);
      }
      JsonNode created = client().send("POST", "keys", body);
      JsonNode data = created.path("data");
      err()
          .println(
              "Created key \""
                  + data.path("name").asText()
                  + "\" (hash "
                  + data.path("hash").asText()
                  + ", "
                  + describeLimit(data)
                  + "). It is shown once; store it now:");
      err().flush();
      out().println(created.path("key").asText());
    }
  }

  @Command(
      name = "show",
      mixinStandardHelpOptions = true,
      description = "Shows one key: its limits, spend and dates.")
  static final class Show extends ManagementCommand {

    @Parameters(
        paramLabel = "KEY",
        description = "The key's hash, the start of its hash, its name or its label.")
    String ref;

    @Option(names = "--json", description = "Print the API's JSON.")
    boolean json;

    @Override
    void run() {
      GatewayClient c = client();
      JsonNode k = c.get("keys/" + resolve(c, ref)).path("data");
      if (json) {
        printJson(k);
        return;
      }
      Table t = new Table("FIELD", "VALUE");
      t.row("name", Format.text(k.path("name")));
      t.row("hash", Format.text(k.path("hash")));
      t.row("label", Format.text(k.path("label")));
      t.row("status", k.path("disabled").asBoolean() ? "disabled" : "active");
      t.row("limit", describeLimit(k));
      t.row("limit remaining", Format.usd(k.path("limit_remaining")));
      t.row("usage (all time)", Format.usd(k.path("usage")));
      t.row("usage today", Format.usd(k.path("usage_daily")));
      t.row("usage this week", Format.usd(k.path("usage_weekly")));
      t.row("usage this month", Format.usd(k.path("usage_monthly")));
      t.row("created", Format.text(k.path("created_at")));
      t.row("updated", Format.text(k.path("updated_at")));
      t.row("expires", Format.text(k.path("expires_at")));
      t.print(out());
    }
  }

  @Command(
      name = "disable",
      mixinStandardHelpOptions = true,
      description = "Disables a key: its requests get 401 until it is enabled again.")
  static final class Disable extends ManagementCommand {

    @Parameters(paramLabel = "KEY", description = "The key's hash, hash prefix, name or label.")
    String ref;

    @Override
    void run() {
      setDisabled(this, ref, true);
    }
  }

  @Command(name = "enable", mixinStandardHelpOptions = true, description = "Enables a key again.")
  static final class Enable extends ManagementCommand {

    @Parameters(paramLabel = "KEY", description = "The key's hash, hash prefix, name or label.")
    String ref;

    @Override
    void run() {
      setDisabled(this, ref, false);
    }
  }

  @Command(
      name = "delete",
      mixinStandardHelpOptions = true,
      description = "Deletes a key for good (disable keeps it and its history).")
  static final class Delete extends ManagementCommand {

    @Parameters(paramLabel = "KEY", description = "The key's hash, hash prefix, name or label.")
    String ref;

    @Override
    void run() {
      GatewayClient c = client();
      String hash = resolve(c, ref);
      c.send("DELETE", "keys/" + hash, null);
      out().println("Deleted key " + hash + ".");
    }
  }

  private static void setDisabled(ManagementCommand cmd, String ref, boolean disabled) {
    GatewayClient c = cmd.client();
    String hash = resolve(c, ref);
    ObjectNode body = ApiJson.object().put("disabled", disabled);
    JsonNode k = c.send("PATCH", "keys/" + hash, body).path("data");
    cmd.out()
        .println(
            (disabled ? "Disabled" : "Enabled")
                + " key \""
                + k.path("name").asText()
                + "\" ("
                + hash
                + ").");
  }

  /** Every inference key, page by page. */
  static List<JsonNode> all(GatewayClient c, boolean includeDisabled) {
    List<JsonNode> out = new ArrayList<>();
    for (int offset = 0; ; offset += PAGE) {
      JsonNode page =
          c.get(
                  GatewayClient.query(
                      "keys",
                      Map.of(
                          "offset", offset, "include_disabled", String.valueOf(includeDisabled))))
              .path("data");
      page.forEach(out::add);
      if (page.size() < PAGE) {
        return out;
      }
    }
  }

  /**
   * The hash of the key {@code ref} names: a whole hash as is; otherwise the one key whose hash
   * starts with it, or whose name or label equals it.
   */
  static String resolve(GatewayClient c, String ref) {
    String r = ref.strip();
    if (r.matches("[0-9a-fA-F]{64}")) {
      return r.toLowerCase(Locale.ROOT);
    }
    List<JsonNode> matches = new ArrayList<>();
    for (JsonNode k : all(c, true)) {
      String hash = k.path("hash").asText();
      boolean byHash = r.length() >= 4 && hash.startsWith(r.toLowerCase(Locale.ROOT));
      if (byHash || r.equals(k.path("name").asText()) || r.equals(k.path("label").asText())) {
        matches.add(k);
      }
    }
    if (matches.isEmpty()) {
      throw new CliException("no key matches \"" + r + "\" (by hash, name or label)");
    }
    if (matches.size() > 1) {
      List<String> names = new ArrayList<>();
      for (JsonNode k : matches) {
        names.add(shortHash(k) + " \"" + k.path("name").asText() + "\"");
      }
      throw new CliException(
          "\""
              + r
              + "\" matches "
              + matches.size()
              + " keys: "
              + String.join(", ", names)
              + "; give more of the hash");
    }
    return matches.getFirst().path("hash").asText();
  }

  static String shortHash(JsonNode k) {
    String h = k.path("hash").asText();
    return h.length() > 12 ? h.substring(0, 12) : h;
  }

  static String describeLimit(JsonNode k) {
    if (k.path("limit").isNull() || k.path("limit").isMissingNode()) {
      return "no limit";
    }
    String reset = k.path("limit_reset").asText(null);
    return "limit " + Format.usd(k.path("limit")) + (reset == null ? "" : " " + reset);
  }
}
