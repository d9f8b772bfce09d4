package dev.switchboard.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.api.json.ApiJson;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code switchboard usage}: spend by key (from the keys' usage counters) and, where the gateway
 * has {@code GET /activity}, by day and by model over the last 30 completed UTC days.
 */
@Command(
    name = "usage",
    mixinStandardHelpOptions = true,
    description = {
      "Spend in USD by key (today, this week, this month, all time) and, from the gateway's"
          + " activity API, by day and by model over the last 30 completed UTC days.",
      "A gateway without GET /activity shows spend by key only, and says so."
    })
public final class UsageCommand extends ManagementCommand {

  /** The tables the command can print. */
  enum By {
    KEY,
    DAY,
    MODEL;

    @Override
    public String toString() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  @Option(
      names = "--by",
      split = ",",
      paramLabel = "TABLE",
      description = "Which tables: key, day, model (default: all three).")
  Set<By> by;

  @Option(names = "--json", description = "Print the data behind the tables as JSON.")
  boolean json;

  @Override
  void run() {
    Set<By> tables = by == null || by.isEmpty() ? EnumSet.allOf(By.class) : EnumSet.copyOf(by);
    GatewayClient c = client();
    List<JsonNode> keys = tables.contains(By.KEY) ? KeysCommand.all(c, true) : List.of();
    List<JsonNode> activity = null;
    String activityMissing = null;
    if (tables.contains(By.DAY) || tables.contains(By.MODEL)) {
      try {
        activity = new ArrayList<>();
        c.get("activity").path("data").forEach(activity::add);
      } catch (CliException e) {
        if (!e.missingEndpoint()) {
          throw e;
        }
        activity = null;
        activityMissing =
            "Spend by day and by model needs the gateway's GET /activity, which this gateway does"
                + " not have";
      }
    }
    if (json) {
      ObjectNode o = ApiJson.object();
      if (tables.contains(By.KEY)) {
        o.set("keys", ApiJson.toTree(keys));
      }
      if (activity != null) {
        o.set("activity", ApiJson.toTree(activity));
      }
      printJson(o);
      if (activityMissing != null) {
        err().println("switchboard: " + activityMissing + ".");
      }
      return;
    }
    boolean first = true;
    if (tables.contains(By.KEY)) {
      out().println("Spend by key (USD):");
      byKey(keys).print(out());
      first = false;
    }
    if (activity != null) {
      for (By b : List.of(By.DAY, By.MODEL)) {
        if (tables.contains(b)) {
          if (!first) {
            out().println();
          }
          first = false;
          out().println("Spend by " + b + ", last 30 completed UTC days (USD):");
          Table t = byGroup(activity, b);
          if (t.isEmpty()) {
            out().println("  no requests");
          } else {
            t.print(out());
          }
        }
      }
    } else if (activityMissing != null) {
      err()
          .println(
              "switchboard: "
                  + activityMissing
                  + (tables.contains(By.KEY) ? "; spend by key is above." : "."));
    }
  }

  static Table byKey(List<JsonNode> keys) {
    List<JsonNode> sorted = new ArrayList<>(keys);
    sorted.sort(Comparator.comparing((JsonNode k) -> decimal(k.path("usage"))).reversed());
    Table t = new Table("KEY", "HASH", ">TODAY", ">WEEK", ">MONTH", ">TOTAL");
    BigDecimal[] sums = {BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO};
    String[] fields = {"usage_daily", "usage_weekly", "usage_monthly", "usage"};
    for (JsonNode k : sorted) {
      for (int i = 0; i < fields.length; i++) {
        sums[i] = sums[i].add(decimal(k.path(fields[i])));
      }
      t.row(
          Format.text(k.path("name")),
          KeysCommand.shortHash(k),
          Format.usd(k.path("usage_daily")),
          Format.usd(k.path("usage_weekly")),
          Format.usd(k.path("usage_monthly")),
          Format.usd(k.path("usage")));
    }
    t.row(
        "all keys",
        "",
        Format.usd(sums[0]),
        Format.usd(sums[1]),
        Format.usd(sums[2]),
        Format.usd(sums[3]));
    return t;
  }

  /** Activity rows (one per day, model and endpoint) summed by day or by model. */
  static Table byGroup(List<JsonNode> rows, By by) {
    Map<String, long[]> counts = by == By.DAY ? new TreeMap<>() : new LinkedHashMap<>();
    Map<String, BigDecimal> spend = new LinkedHashMap<>();
    for (JsonNode r : rows) {
      String group = r.path(by == By.DAY ? "date" : "model").asText("?");
      long[] c = counts.computeIfAbsent(group, g -> new long[3]);
      c[0] += r.path("requests").asLong();
      c[1] += r.path("prompt_tokens").asLong();
      c[2] += r.path("completion_tokens").asLong();
      spend.merge(group, decimal(r.path("usage")), BigDecimal::add);
    }
    List<String> groups = new ArrayList<>(counts.keySet());
    if (by == By.MODEL) {
      groups.sort(Comparator.comparing(spend::get).reversed());
    }
    Table t =
        new Table(
            by == By.DAY ? "DATE" : "MODEL",
            ">REQUESTS",
            ">PROMPT TOKENS",
            ">COMPLETION TOKENS",
            ">SPEND");
    long[] total = new long[3];
    BigDecimal totalSpend = BigDecimal.ZERO;
    for (String g : groups) {
      long[] c = counts.get(g);
      for (int i = 0; i < 3; i++) {
        total[i] += c[i];
      }
      totalSpend = totalSpend.add(spend.get(g));
      t.row(
          g, Format.count(c[0]), Format.count(c[1]), Format.count(c[2]), Format.usd(spend.get(g)));
    }
    if (!groups.isEmpty()) {
      t.row(
          "total",
          Format.count(total[0]),
          Format.count(total[1]),
          Format.count(total[2]),
          Format.usd(totalSpend));
    }
    return t;
  }

  private static BigDecimal decimal(JsonNode v) {
    BigDecimal d = Format.decimal(v);
    return d == null ? BigDecimal.ZERO : d;
  }
}
