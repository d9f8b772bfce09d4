package dev.switchboard.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.api.json.ApiJson;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GoldenJsonTest {

  @TempDir Path root;

  @Test
  void matchesIgnoringKeyOrderWhitespaceAndNumberScale() throws Exception {
    Files.writeString(root.resolve("g.json"), "{ \"b\": [1, 2.50], \"a\": \"x\" }");

    GoldenJson.assertMatches(ApiJson.tree("{\"a\":\"x\",\"b\":[1.0,2.5]}"), "g.json", root);
  }

  @Test
  void failsWithAReadableDiffWhenValuesDiffer() throws Exception {
    Files.writeString(root.resolve("g.json"), "{\"a\":1}");

    assertThatThrownBy(() -> GoldenJson.assertMatches(Map.of("a", 2), "g.json", root))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("golden.update");
  }

  @Test
  void failsWhenTheGoldenIsMissingAndSaysHowToCreateIt() {
    assertThatThrownBy(() -> GoldenJson.assertMatches(Map.of("a", 1), "missing.json", root))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("-Dgolden.update=true");
  }

  @Test
  void rendersArraysOneSortedCompactElementPerLine() throws Exception {
    String rendered = GoldenJson.render(ApiJson.toTree(List.of(Map.of("b", 1, "a", 2), Map.of())));

    assertThat(rendered).isEqualTo("[\n  {\"a\":2,\"b\":1},\n  {}\n]\n");
  }

  @Test
  void rendersObjectsPrettyWithSortedKeys() throws Exception {
    assertThat(GoldenJson.render(ApiJson.tree("{\"b\":1,\"a\":{\"d\":1,\"c\":2}}")))
        .startsWith("{\n  \"a\" : {\n    \"c\" : 2,");
  }
}
