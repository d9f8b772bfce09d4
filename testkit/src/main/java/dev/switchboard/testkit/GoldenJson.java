package dev.switchboard.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.api.json.ApiJson;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assertions;

/**
 * Compares a value, as JSON, with a golden file, structurally: key order and whitespace do not
 * matter, numbers compare by value ({@code 1.0} equals {@code 1}).
 *
 * <p>Goldens live under {@code src/test/resources/} of the module running the test. They are
 * written with keys sorted; a top-level array gets one compact element per line so a stream reads
 * like a transcript, anything else is pretty-printed. Run with {@code -Dgolden.update=true} to
 * (re)write goldens, then review the diff: a golden that encodes a bug is worse than none.
 */
public final class GoldenJson {

  /** System property that makes {@link #assertMatches} rewrite goldens instead of failing. */
  public static final String UPDATE_PROPERTY = "golden.update";

  private static final Comparator<JsonNode> BY_VALUE =
      (a, b) -> {
        if (a.isNumber() && b.isNumber()) {
          return a.decimalValue().compareTo(b.decimalValue());
        }
        return a.equals(b) ? 0 : 1;
      };

  private GoldenJson() {}

  /**
   * Asserts that {@code actual} (any value Jackson can write, or a {@link JsonNode}) matches the
   * golden at {@code src/test/resources/<goldenPath>}.
   */
  public static void assertMatches(Object actual, String goldenPath) {
    assertMatches(actual, goldenPath, Path.of("src", "test", "resources"));
  }

  /** As {@link #assertMatches(Object, String)}, with goldens below {@code root}. */
  public static void assertMatches(Object actual, String goldenPath, Path root) {
    JsonNode actualTree = actual instanceof JsonNode node ? node : ApiJson.toTree(actual);
    Path file = root.resolve(goldenPath);
    String rendered = render(actualTree);
    if (Boolean.getBoolean(UPDATE_PROPERTY)) {
      write(file, rendered);
      return;
    }
    if (!Files.exists(file)) {
      Assertions.fail(
          "Golden file "
              + file.toAbsolutePath()
              + " is missing; run with -D"
              + UPDATE_PROPERTY
              + "=true to create it, then review it.\nActual:\n"
              + rendered);
    }
    JsonNode expected = read(file);
    if (!expected.equals(BY_VALUE, actualTree)) {
      assertThat(rendered)
          .as("JSON differs from golden %s (-D%s=true rewrites it)", goldenPath, UPDATE_PROPERTY)
          .isEqualTo(render(expected));
      Assertions.fail("JSON differs from golden " + goldenPath + " in number formatting only");
    }
  }

  /** Sorted keys; a top-level array one compact element per line, else pretty-printed. */
  public static String render(JsonNode node) {
    JsonNode sorted = sorted(node);
    if (sorted.isArray()) {
      if (sorted.isEmpty()) {
        return "[]\n";
      }
      StringBuilder out = new StringBuilder("[\n");
      for (int i = 0; i < sorted.size(); i++) {
        out.append("  ").append(ApiJson.string(sorted.get(i)));
        out.append(i + 1 < sorted.size() ? ",\n" : "\n");
      }
      return out.append("]\n").toString();
    }
    return ApiJson.pretty(sorted) + "\n";
  }

  /** A deep copy of {@code node} with every object's keys in alphabetical order. */
  public static JsonNode sorted(JsonNode node) {
    if (node.isObject()) {
      List<Map.Entry<String, JsonNode>> fields = new ArrayList<>(node.properties());
      fields.sort(Map.Entry.comparingByKey());
      ObjectNode out = ApiJson.object();
      for (Map.Entry<String, JsonNode> field : fields) {
        out.set(field.getKey(), sorted(field.getValue()));
      }
      return out;
    }
    if (node.isArray()) {
      ArrayNode out = ApiJson.nodes().arrayNode(node.size());
      for (JsonNode item : node) {
        out.add(sorted(item));
      }
      return out;
    }
    return node;
  }

  private static JsonNode read(Path file) {
    try {
      return ApiJson.tree(Files.readAllBytes(file));
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read golden " + file, e);
    }
  }

  private static void write(Path file, String content) {
    try {
      Files.createDirectories(file.getParent());
      Files.writeString(file, content, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write golden " + file, e);
    }
  }
}
