package dev.switchboard.testkit.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.api.json.ApiJson;
import dev.switchboard.testkit.conformance.ScenarioResult.Outcome;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * One cell of the inbound matrix (inbound API × upstream dialect × scenario): a client request in
 * the inbound API's own format, sent to the gateway in demo mode and answered by a model whose
 * upstream speaks {@code upstream}'s dialect. Each inbound API's conformance test writes its
 * results to {@code target/conformance/inbound/<api>.jsonl} ({@link #write}) and calls {@link
 * CompatibilityDoc#render}, which renders one table per inbound API ({@link InboundTables}).
 *
 * @param api the inbound API, e.g. {@code messages}
 * @param upstream the upstream dialect: {@code openai}, {@code anthropic} or {@code gemini}
 * @param scenario a stable id, in the order the table shows
 * @param title what the scenario checks, for the table
 */
public record InboundResult(
    String api, String upstream, String scenario, String title, Outcome outcome, String detail) {

  /** The folder, under a module's {@code target}, where inbound results go. */
  public static final Path FOLDER = Path.of("conformance", "inbound");

  public String toJsonLine() {
    ObjectNode line = ApiJson.object();
    line.put("api", api);
    line.put("upstream", upstream);
    line.put("scenario", scenario);
    line.put("title", title);
    line.put("outcome", outcome.name().toLowerCase(Locale.ROOT));
    line.put("detail", detail);
    return ApiJson.string(line);
  }

  static InboundResult fromJson(JsonNode line) {
    return new InboundResult(
        line.path("api").asText(),
        line.path("upstream").asText(),
        line.path("scenario").asText(),
        line.path("title").asText(),
        Outcome.valueOf(line.path("outcome").asText().toUpperCase(Locale.ROOT)),
        line.path("detail").isTextual() ? line.path("detail").asText() : null);
  }

  /**
   * Writes {@code results} as {@code <target>/conformance/inbound/<api>.jsonl}, after a first line
   * naming the table: its {@code heading} on the page (e.g. {@code `POST /messages` (Anthropic
   * Messages API)}) and the {@code test} class that produced it. Cells appear in the table in the
   * order of {@code results}.
   */
  public static Path write(
      Path target, String api, String heading, String test, List<InboundResult> results) {
    Path file = target.resolve(FOLDER).resolve(api + ".jsonl");
    ObjectNode table = ApiJson.object();
    table.put("table", api);
    table.put("heading", heading);
    table.put("test", test);
    StringBuilder out = new StringBuilder(ApiJson.string(table)).append('\n');
    results.forEach(r -> out.append(r.toJsonLine()).append('\n'));
    try {
      Files.createDirectories(file.getParent());
      Files.writeString(file, out.toString(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write " + file, e);
    }
    return file;
  }
}
