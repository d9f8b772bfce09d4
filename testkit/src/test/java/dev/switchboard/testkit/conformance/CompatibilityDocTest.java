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
}
