package dev.switchboard.testkit.conformance;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The inbound dimension of the compatibility page: for one inbound API (the Responses API,
 * embeddings, ...), a table of scenarios down and upstream dialects across, filled by a gateway
 * test that drives the API end to end against the demo gateway. Each API's table is its own region
 * of the page, between {@code <!-- inbound: NAME -->} and {@code <!-- /inbound: NAME -->}, below
 * the {@value #HEADING} heading; {@link CompatibilityDoc} keeps everything from that heading on
 * when it rewrites the adapter matrix, and each test rewrites only its own region.
 */
public final class InboundMatrix {

  /** Where the inbound part of the page starts. */
  public static final String HEADING = "## Inbound APIs";

  private static final String INTRO =
      """
      Each inbound API below is driven end to end through the gateway (its HTTP route, the one \
      pipeline, the adapter, the simulator in the upstream's own dialect) by a gateway \
      integration test, with a model of each upstream dialect; the test rewrites its own table. \
      ✓ passes · ✗ refused with a 400 naming what cannot be honoured · — not applicable.
      """;

  /** How one scenario went over one dialect. */
  public enum Outcome {
    PASS("✓"),
    REFUSED("✗"),
    NOT_APPLICABLE("—"),
    FAIL("**FAIL**");

    final String cell;

    Outcome(String cell) {
      this.cell = cell;
    }
  }

  /** One cell and why it is not a plain pass (null when it is). */
  public record Cell(Outcome outcome, String note) {}

  private final String api;
  private final String title;
  private final List<String> dialects;
  private final Map<String, Map<String, Cell>> rows = new LinkedHashMap<>();

  /** A table for {@code api} (its region name), titled {@code title}, with these columns. */
  public InboundMatrix(String api, String title, List<String> dialects) {
    this.api = api;
    this.title = title;
    this.dialects = List.copyOf(dialects);
  }

  /** Records how {@code scenario} went over {@code dialect}. */
  public synchronized void put(String scenario, String dialect, Cell cell) {
    rows.computeIfAbsent(scenario, s -> new LinkedHashMap<>()).put(dialect, cell);
  }

  /** Every cell that failed, as "scenario / dialect: note". */
  public synchronized List<String> failures() {
    List<String> out = new ArrayList<>();
    rows.forEach(
        (scenario, cells) ->
            cells.forEach(
                (dialect, cell) -> {
                  if (cell.outcome() == Outcome.FAIL) {
                    out.add(scenario + " / " + dialect + ": " + cell.note());
                  }
                }));
    return out;
  }

  /** This API's region of the page. */
  public synchronized String markdown() {
    StringBuilder out = new StringBuilder();
    out.append("<!-- inbound: ").append(api).append(" -->\n");
    out.append("### ").append(title).append("\n\n| Scenario |");
    dialects.forEach(d -> out.append(' ').append(d).append(" |"));
    out.append("\n|---|");
    dialects.forEach(d -> out.append(":---:|"));
    out.append('\n');
    // One note per dialect and reason, naming the scenarios it covers.
    Map<String, List<String>> notes = new LinkedHashMap<>();
    rows.forEach(
        (scenario, cells) -> {
          out.append("| ").append(scenario.replace("|", "\\|")).append(" |");
          for (String d : dialects) {
            Cell c = cells.get(d);
            out.append(' ').append(c == null ? "?" : c.outcome().cell).append(" |");
            if (c != null && c.note() != null) {
              notes
                  .computeIfAbsent(
                      c.outcome().cell + " " + d + ": " + c.note().replace("\n", " "),
                      k -> new ArrayList<>())
                  .add(scenario);
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
    out.append("<!-- /inbound: ").append(api).append(" -->\n");
    return out.toString();
  }

  /**
   * Puts this table into {@code page}: in place of its earlier region, else at the end of the
   * inbound part (which is started when the page has none). The file is left alone when nothing
   * changed.
   */
  public void writeTo(Path page) {
    try {
      String text = Files.exists(page) ? Files.readString(page, StandardCharsets.UTF_8) : "";
      String updated = merge(text, markdown());
      if (!updated.equals(text)) {
        Files.writeString(page, updated, StandardCharsets.UTF_8);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write " + page, e);
    }
  }

  /** {@code page} with {@code region} in it (see {@link #writeTo}). */
  String merge(String page, String region) {
    String start = "<!-- inbound: " + api + " -->";
    String end = "<!-- /inbound: " + api + " -->\n";
    int from = page.indexOf(start);
    int to = page.indexOf(end);
    if (from >= 0 && to > from) {
      return page.substring(0, from) + region + page.substring(to + end.length());
    }
    StringBuilder out = new StringBuilder(page);
    if (!page.contains(HEADING)) {
      if (!page.isEmpty() && !page.endsWith("\n")) {
        out.append('\n');
      }
      out.append('\n').append(HEADING).append("\n\n").append(INTRO);
    }
    out.append('\n').append(region);
    return out.toString();
  }

  /** The inbound part of {@code page} (from {@link #HEADING}), or "" when it has none. */
  static String tail(String page) {
    int at = page.indexOf("\n" + HEADING + "\n");
    return at < 0 ? "" : page.substring(at);
  }
}
