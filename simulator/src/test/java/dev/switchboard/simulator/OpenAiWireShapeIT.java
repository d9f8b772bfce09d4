package dev.switchboard.simulator;

import static dev.switchboard.simulator.SimClient.json;
import static dev.switchboard.simulator.SimClient.userRequest;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.simulator.SimClient.Streamed;
import dev.switchboard.sse.SseEvent;
import dev.switchboard.sse.SseReader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The simulator's OpenAI responses have the same keys at every level, the same value kinds, the
 * same sequence of chunk shapes and the same SSE framing as recorded OpenAI traffic (not the same
 * text). A chunk's shape is the set of its JSON paths with the kind of each leaf, and the value of
 * enumerated leaves ({@code object}, {@code role}, {@code type}, {@code finish_reason}); runs of
 * chunks with the same shape count once.
 *
 * <p>The 2026 recordings add {@code service_tier}, {@code usage:null} and {@code obfuscation} to
 * every chunk and more usage details; the simulator speaks the 2024 shape, so for those files the
 * three keys are ignored and the usage chunk is not compared.
 */
class OpenAiWireShapeIT {

  private static final Set<String> ENUMERATED = Set.of("object", "role", "type", "finish_reason");
  private static final List<String> KEYS_2026 = List.of("service_tier", "obfuscation", "usage");
  private static final String USAGE = "\"stream_options\":{\"include_usage\":true}";
  private static final String TOOL_A =
      "{\"type\":\"function\",\"function\":{\"name\":\"GetWeatherArgs\",\"parameters\":{\"type\":"
          + "\"object\",\"properties\":{\"city\":{\"type\":\"string\"},\"country\":{\"type\":"
          + "\"string\"},\"units\":{\"enum\":[\"c\",\"f\"]}},\"required\":[\"city\",\"country\","
          + "\"units\"]}}}";
  private static final String TOOL_B =
      "{\"type\":\"function\",\"function\":{\"name\":\"get_stock_price\",\"parameters\":{\"type\":"
          + "\"object\",\"properties\":{\"ticker\":{\"type\":\"string\"},\"exchange\":{\"type\":"
          + "\"string\"}}}}}";
  private static final String AFTER_TOOL =
      "{\"model\":\"gpt-4o-mini\",\"stream\":true,"
          + USAGE
          + ",\"messages\":["
          + "{\"role\":\"user\",\"content\":\"What is the capital of the UK?\"},"
          + "{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[{\"id\":\"call_1\",\"type\":"
          + "\"function\",\"function\":{\"name\":\"get_capital\",\"arguments\":\"{}\"}}]},"
          + "{\"role\":\"tool\",\"tool_call_id\":\"call_1\",\"content\":\"London\"}]}";

  @RegisterExtension static final SimulatorExtension sim = SimulatorExtension.withEventLoops(1);

  static Stream<Arguments> streams() {
    return Stream.of(
        Arguments.of("chat-stream-text.sse", userRequest("Weather?", "\"stream\":true", USAGE)),
        Arguments.of(
            "chat-stream-finish-length.sse",
            userRequest("Weather?", "\"stream\":true", USAGE, "\"max_tokens\":1")),
        Arguments.of(
            "chat-stream-tool-call.sse",
            userRequest("Weather?", "\"stream\":true", USAGE, "\"tools\":[" + TOOL_A + "]")),
        Arguments.of(
            "chat-stream-parallel-tool-calls.sse",
            userRequest(
                "Weather and AAPL?",
                "\"stream\":true",
                USAGE,
                "\"tool_choice\":\"required\"",
                "\"tools\":[" + TOOL_A + "," + TOOL_B + "]")),
        Arguments.of(
            "chat-stream-tool-call-2026.sse",
            userRequest("Capital?", "\"stream\":true", USAGE, "\"tools\":[" + TOOL_A + "]")),
        Arguments.of("chat-stream-text-after-tool-2026.sse", AFTER_TOOL));
  }

  static Stream<Arguments> bodies() {
    return Stream.of(
        Arguments.of("chat-text.json", userRequest("Weather?")),
        Arguments.of("chat-finish-length.json", userRequest("Weather?", "\"max_tokens\":1")),
        Arguments.of(
            "chat-parallel-tool-calls.json",
            userRequest(
                "Weather and AAPL?",
                "\"tool_choice\":\"required\"",
                "\"tools\":[" + TOOL_A + "," + TOOL_B + "]")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("streams")
  void streamsTheSameChunkShapesAsTheRecording(String fixture, String request) throws IOException {
    byte[] recorded = fixture(fixture);
    boolean era2026 = fixture.contains("2026");

    Streamed simulated = sim.client().stream("openai", request);

    assertThat(simulated.status()).isEqualTo(200);
    assertThat(shapes(simulated.events(), era2026))
        .isEqualTo(shapes(SseReader.parse(recorded), era2026));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("streams")
  void framesEveryChunkAsOneDataLineLikeTheRecording(String fixture, String request)
      throws IOException {
    String recorded = new String(fixture(fixture), StandardCharsets.UTF_8);

    String simulated = sim.client().stream("openai", request).raw();

    assertThat(framing(recorded)).isEqualTo("data-lines-then-done");
    assertThat(framing(simulated)).isEqualTo(framing(recorded));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("bodies")
  void answersWithTheSameKeysAsTheRecording(String fixture, String request) throws IOException {
    JsonNode recorded = json(new String(fixture(fixture), StandardCharsets.UTF_8));

    JsonNode simulated = json(sim.client().chat("openai", request).body());

    assertThat(shape(simulated)).isEqualTo(shape(recorded));
  }

  /** Chunk shapes in order, runs of equal shapes collapsed. */
  private static List<Set<String>> shapes(List<SseEvent> events, boolean era2026) {
    List<Set<String>> out = new ArrayList<>();
    for (SseEvent event : events) {
      Set<String> shape;
      if (event.isDone()) {
        shape = Set.of("[DONE]");
      } else {
        JsonNode chunk = json(event.data());
        if (era2026) {
          if (chunk.path("choices").isEmpty()) {
            continue; // the usage chunk: 2026 adds detail objects the simulator does not send
          }
          KEYS_2026.forEach(((ObjectNode) chunk)::remove);
        }
        shape = shape(chunk);
      }
      if (out.isEmpty() || !out.getLast().equals(shape)) {
        out.add(shape);
      }
    }
    return out;
  }

  static Set<String> shape(JsonNode node) {
    Set<String> paths = new TreeSet<>();
    walk(node, "", "", paths);
    return paths;
  }

  private static void walk(JsonNode node, String path, String key, Set<String> out) {
    if (node.isObject()) {
      if (node.isEmpty()) {
        out.add(path + ":{}");
      }
      for (Map.Entry<String, JsonNode> e : node.properties()) {
        walk(e.getValue(), path + "." + e.getKey(), e.getKey(), out);
      }
    } else if (node.isArray()) {
      if (node.isEmpty()) {
        out.add(path + ":[]");
      }
      for (JsonNode item : node) {
        walk(item, path + "[]", key, out);
      }
    } else {
      String kind =
          node.isNull() ? "null" : node.isTextual() ? "string" : node.getNodeType().name();
      out.add(
          path
              + ":"
              + kind
              + (ENUMERATED.contains(key) && node.isTextual() ? "=" + node.asText() : ""));
    }
  }

  /** A summary of the SSE framing: every event one data line, then [DONE]. */
  private static String framing(String raw) {
    if (!raw.endsWith("data: [DONE]\n\n") || raw.contains("\r")) {
      return "no-done-or-cr";
    }
    for (String block : raw.split("\n\n")) {
      if (!block.startsWith("data: ") || block.contains("\n")) {
        return "other: " + block;
      }
    }
    return "data-lines-then-done";
  }

  private static byte[] fixture(String name) throws IOException {
    try (InputStream in = OpenAiWireShapeIT.class.getResourceAsStream("/fixtures/openai/" + name)) {
      assertThat(in).as(name).isNotNull();
      return in.readAllBytes();
    }
  }
}
