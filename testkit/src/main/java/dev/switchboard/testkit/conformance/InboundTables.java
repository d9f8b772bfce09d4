package dev.switchboard.testkit.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.api.json.ApiJson;
import dev.switchboard.testkit.conformance.ScenarioResult.Outcome;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The inbound part of {@code docs/providers/compatibility.md} (inbound API × upstream dialect ×
 * scenario), rendered by {@link CompatibilityDoc} with the adapter matrix: one table per inbound
 * API, from the result file its gateway test writes ({@link InboundResult#write}), scenarios down
 * and upstream dialects across in the order of the results, then the reasons behind every cell that
 * is not a pass. Each table is a region between {@code <!-- inbound: NAME -->} and {@code <!--
 * /inbound: NAME -->} under the {@value #HEADING} heading; a render without an API's results keeps
 * its region as the page has it, so a run of one test never drops another's table.
 */
final class InboundTables {

  /** Where the inbound part of the page starts. */
  static final String HEADING = "## Inbound APIs";

  private static final String START = "<!-- inbound: ";
  private static final String END = "<!-- /inbound: ";

  private static final String INTRO =
      """
      Each inbound API below is driven end to end through the gateway in demo mode (its HTTP \
      route, the one pipeline, the adapter, the simulator in the upstream's own dialect) by a \
      gateway integration test, with a model of each upstream dialect, and the answer is checked in \
      the client's format. Each test writes `target/conformance/inbound/<api>.jsonl` and has \
      `CompatibilityDoc` render this page again. ✓ passes · ✗ refused with a 400 naming what \
      cannot be honoured · — not applicable · **FAIL** a check failed.
      """;

  private InboundTables() {}

  /** One inbound API's results: its heading, the test that produced them, the cells in order. */
  record Table(String api, String heading, String test, List<InboundResult> rows) {}

  /**
   * The inbound part for a page whose current inbound part is {@code current} (from {@link
   * #HEADING}, or "" when it has none): the tables of {@code tables}, and the regions of {@code
   * current} for APIs without results, in API name order.
   */
  static String render(String current, Map<String, Table> tables) {
    Map<String, String> regions = new TreeMap<>(regions(current));
    tables.forEach((api, table) -> regions.put(api, markdown(table)));
    if (regions.isEmpty()) {
      return "";
    }
    StringBuilder out = new StringBuilder("\n").append(HEADING).append("\n\n").append(INTRO);
    regions.values().forEach(r -> out.append('\n').append(r));
    return out.toString();
  }

  /** The region of one table: its markers, heading, cells and notes. */
  static String markdown(Table table) {
    List<String> upstreams = new ArrayList<>(new LinkedHashSet<>(upstreams(table.rows())));
    Map<String, String> titles = new LinkedHashMap<>();
    Map<String, InboundResult> cells = new HashMap<>();
    for (InboundResult r : table.rows()) {
      titles.putIfAbsent(r.scenario(), r.title());
      cells.put(r.scenario() + "\u0000" + r.upstream(), r);
    }
    StringBuilder out = new StringBuilder(2048);
    out.append(START).append(table.api()).append(" -->\n");
    out.append("### ").append(table.heading()).append("\n\n");
    out.append("From `").append(table.test()).append("` (`gateway`).\n\n");
    out.append("| Scenario |");
    upstreams.forEach(u -> out.append(' ').append(u).append(" |"));
    out.append("\n|---|");
    upstreams.forEach(u -> out.append(":---:|"));
    out.append('\n');
    // One note per dialect and reason, naming the scenarios it covers.
    Map<String, List<String>> notes = new LinkedHashMap<>();
    titles.forEach(
        (scenario, title) -> {
          out.append("| ").append(title.replace("|", "\\|")).append(" |");
          for (String u : upstreams) {
            InboundResult r = cells.get(scenario + "\u0000" + u);
            out.append(' ').append(r == null ? "?" : CompatibilityDoc.cell(r.outcome()));
            out.append(" |");
            if (r != null && r.outcome() != Outcome.PASS && r.detail() != null) {
              String note =
                  CompatibilityDoc.cell(r.outcome())
                      + " "
                      + u
                      + ": "
                      + r.detail().replace('\n', ' ');
              notes.computeIfAbsent(note, k -> new ArrayList<>()).add(title);
            }
          }
          out.append('\n');
        });
    if (!notes.isEmpty()) {
      out.append('\n');
      notes.forEach(
          (note, scenarios) ->
              out.append("* ")
                  .append(note)
                  .append(" (")
                  .append(String.join("; ", scenarios))
                  .append(")\n"));
    }
    out.append(END).append(table.api()).append(" -->\n");
    return out.toString();
  }

  private static List<String> upstreams(List<InboundResult> rows) {
    return rows.stream().map(InboundResult::upstream).toList();
  }

  /** Where the inbound part of {@code page} starts: its heading or its first region; -1 if none. */
  static int start(String page) {
    int heading = page.indexOf("\n" + HEADING + "\n");
    int region = page.indexOf(START);
    if (heading < 0 || region >= 0 && region < heading) {
      return region;
    }
    return heading;
  }

  /** The regions of an inbound part as written, by API. */
  static Map<String, String> regions(String inbound) {
    Map<String, String> out = new TreeMap<>();
    int at = inbound.indexOf(START);
    while (at >= 0) {
      int nameEnd = inbound.indexOf(" -->", at);
      String api = inbound.substring(at + START.length(), nameEnd).trim();
      String end = END + api + " -->\n";
      int to = inbound.indexOf(end, nameEnd);
      if (to < 0) {
        break; // a region without its end marker is dropped (a later run writes it again)
      }
      out.put(api, inbound.substring(at, to + end.length()));
      at = inbound.indexOf(START, to + end.length());
    }
    return out;
  }

  /** Every inbound API's newest result file under {@code root}, read. */
  static Map<String, Table> read(Path root) {
    Map<String, Path> newest = new TreeMap<>();
    for (Path file : CompatibilityDoc.resultFiles(root, true)) {
      String name = file.getFileName().toString();
      String api = name.substring(0, name.length() - ".jsonl".length());
      Path seen = newest.get(api);
      if (seen == null || CompatibilityDoc.modified(file) > CompatibilityDoc.modified(seen)) {
        newest.put(api, file);
      }
    }
    Map<String, Table> out = new TreeMap<>();
    newest.forEach((api, file) -> out.put(api, readFile(api, file)));
    return out;
  }

  private static Table readFile(String api, Path file) {
    String heading = "`" + api + "`";
    String test = "?";
    List<InboundResult> rows = new ArrayList<>();
    try {
      for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
        if (line.isBlank()) {
          continue;
        }
        JsonNode json = ApiJson.tree(line);
        if (json.has("table")) {
          heading = json.path("heading").asText(heading);
          test = json.path("test").asText(test);
        } else {
          rows.add(InboundResult.fromJson(json));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read " + file, e);
    }
    return new Table(api, heading, test, rows);
  }
}
