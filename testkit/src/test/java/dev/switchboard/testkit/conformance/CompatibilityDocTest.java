package dev.switchboard.testkit.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CompatibilityDocTest {

  @TempDir Path root;

  private void results(String adapter, ScenarioResult... lines) throws IOException {
    Path file = root.resolve("providers/" + adapter + "/target/conformance/" + adapter + ".jsonl");
    Files.createDirectories(file.getParent());
    StringBuilder out = new StringBuilder();
    for (ScenarioResult line : lines) {
      out.append(line.toJsonLine()).append('\n');
    }
    Files.writeString(file, out, StandardCharsets.UTF_8);
  }

  private String page() throws IOException {
    return Files.readString(root.resolve(CompatibilityDoc.PAGE), StandardCharsets.UTF_8);
  }

  @Test
  void rendersScenariosDownAdaptersAcrossAndTheReasons() throws IOException {
    Files.createFile(root.resolve("mvnw"));
    Files.createDirectories(root.resolve("docs"));
    results(
        "beta",
        new ScenarioResult("beta", Scenario.SIMPLE, ScenarioResult.Outcome.PASS, null),
        new ScenarioResult("beta", Scenario.AUDIO, ScenarioResult.Outcome.REJECTED, "no audio"));
    results(
        "alpha",
        new ScenarioResult("alpha", Scenario.SIMPLE, ScenarioResult.Outcome.PASS, null),
        new ScenarioResult("alpha", Scenario.AUDIO, ScenarioResult.Outcome.NOT_APPLICABLE, "n/a"));

    assertThat(CompatibilityDoc.render(CompatibilityDoc.repoRoot(root.resolve("docs")))).isTrue();

    String page = page();
    assertThat(page)
        .contains("<!-- adapters: alpha beta -->")
        .contains("./mvnw -pl testkit,providers/alpha,providers/beta verify")
        .contains("| Scenario | alpha | beta |")
        .contains("| Simple text answer | ✓ | ✓ |")
        .contains("| Audio input | — | ✗ |")
        .contains("* ✗ Audio input: no audio")
        .contains("| Video input | ? | ? |");
    assertThat(CompatibilityDoc.render(root)).isTrue();
    assertThat(page()).isEqualTo(page);
  }

  @Test
  void leavesThePageAloneWhenAListedAdapterHasNoResults() throws IOException {
    Path page = root.resolve(CompatibilityDoc.PAGE);
    Files.createDirectories(page.getParent());
    Files.writeString(page, "old\n<!-- adapters: alpha gamma -->\n", StandardCharsets.UTF_8);
    results(
        "alpha", new ScenarioResult("alpha", Scenario.SIMPLE, ScenarioResult.Outcome.PASS, null));

    assertThat(CompatibilityDoc.render(root)).isFalse();
    assertThat(page()).startsWith("old");
    assertThat(CompatibilityDoc.listedAdapters(page))
        .isEqualTo(new java.util.TreeSet<>(List.of("alpha", "gamma")));
  }

  private void inbound(String module, String api, InboundResult... rows) {
    InboundResult.write(
        root.resolve(module).resolve("target"),
        api,
        "`POST /" + api + "`",
        "Some" + api + "IT",
        List.of(rows));
  }

  private static InboundResult cell(
      String api, String upstream, String scenario, ScenarioResult.Outcome o, String why) {
    return new InboundResult(api, upstream, scenario, scenario + " title", o, why);
  }

  @Test
  void inboundTablesComeFromTheirResultsBelowTheAdapterMatrixAndKeepEachOther() throws IOException {
    results(
        "alpha", new ScenarioResult("alpha", Scenario.SIMPLE, ScenarioResult.Outcome.PASS, null));
    inbound(
        "gateway",
        "messages",
        cell("messages", "openai", "text", ScenarioResult.Outcome.PASS, null),
        cell("messages", "gemini", "text", ScenarioResult.Outcome.PASS, null),
        cell(
            "messages", "openai", "cache", ScenarioResult.Outcome.NOT_APPLICABLE, "no breakpoints"),
        cell(
            "messages", "gemini", "cache", ScenarioResult.Outcome.NOT_APPLICABLE, "no breakpoints"),
        cell("messages", "openai", "pdf", ScenarioResult.Outcome.NOT_APPLICABLE, "no breakpoints"),
        cell("messages", "gemini", "pdf", ScenarioResult.Outcome.FAIL, "broke"));

    assertThat(CompatibilityDoc.render(root)).isTrue();
    String first = page();
    assertThat(first.indexOf("| Simple text answer | ✓ |"))
        .isLessThan(first.indexOf(InboundTables.HEADING));
    assertThat(first)
        .contains("<!-- inbound: messages -->\n### `POST /messages`\n\nFrom `SomemessagesIT`")
        .contains("| Scenario | openai | gemini |")
        .contains("| text title | ✓ | ✓ |")
        .contains("| pdf title | — | **FAIL** |")
        .contains("* — openai: no breakpoints (cache title; pdf title)")
        .contains("* — gemini: no breakpoints (cache title)")
        .contains("* **FAIL** gemini: broke (pdf title)")
        .endsWith("<!-- /inbound: messages -->\n");

    // Another API's test ran alone (no adapter results now, no messages results): both kept.
    Files.delete(root.resolve("providers/alpha/target/conformance/alpha.jsonl"));
    Files.delete(root.resolve("gateway/target/conformance/inbound/messages.jsonl"));
    inbound(
        "gateway",
        "embeddings",
        cell("embeddings", "openai", "vectors", ScenarioResult.Outcome.PASS, null));
    assertThat(CompatibilityDoc.render(root)).isFalse();
    String second = page();
    assertThat(second)
        .startsWith(first.substring(0, first.indexOf(InboundTables.HEADING)))
        .contains("| text title | ✓ | ✓ |")
        .contains("| vectors title | ✓ |");
    assertThat(second.indexOf("<!-- inbound: embeddings -->"))
        .isLessThan(second.indexOf("<!-- inbound: messages -->"));
    assertThat(second.indexOf(InboundTables.HEADING))
        .isEqualTo(second.lastIndexOf(InboundTables.HEADING));
    assertThat(CompatibilityDoc.render(root)).isFalse();
    assertThat(page()).isEqualTo(second);
  }
}
