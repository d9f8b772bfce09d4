package dev.switchboard.simulator;

import static dev.switchboard.simulator.SimClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.api.json.ApiJson;
import dev.switchboard.sse.SseEvent;
import dev.switchboard.sse.SseReader;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The simulator's Anthropic responses have the same keys at every level, the same value kinds, the
 * same sequence of event shapes and the same SSE framing as recorded Anthropic traffic (not the
 * same text). Shapes are computed as in {@link OpenAiWireShapeIT}, with {@code type}, {@code role}
 * and {@code stop_reason} values compared too.
 *
 * <p>Differences the comparison leaves out, on purpose: {@code ping} events (Anthropic sends them
 * at varying places; the simulator sends one after the first block start, checked separately); keys
 * some recordings have and others lack ({@code inference_geo}, {@code stop_details}, {@code
 * caller}); {@code output_tokens_details}, the 2026 thinking-token count the simulator adds when
 * thinking is on; and, for the recorded parallel tool use, its leading text block (the simulator
 * answers a tool call without preamble).
 */
class AnthropicWireShapeIT {

  private static final Set<String> IGNORED =
      Set.of("inference_geo", "stop_details", "caller", "output_tokens_details");
  private static final String PATH = "/p/anthropic/v1/messages";
  private static final String WEATHER =
      "{\"name\":\"json\",\"input_schema\":{\"type\":\"object\",\"properties\":{\"elements\":"
          + "{\"type\":\"array\",\"items\":{\"type\":\"object\",\"properties\":{\"location\":"
          + "{\"type\":\"string\"},\"temperature\":{\"type\":\"number\"}}}}}}}";
  private static final String ENTITY =
      "\"input_schema\":{\"type\":\"object\",\"properties\":{\"name\":{\"type\":\"string\"}},"
          + "\"required\":[\"name\"]}";

  @RegisterExtension static final SimulatorExtension sim = SimulatorExtension.withEventLoops(1);

  static String request(String text, String... members) {
    StringBuilder out =
        new StringBuilder("{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":4096,\"messages\":[");
    out.append("{\"role\":\"user\",\"content\":").append(ApiJson.string(text)).append("}]");
    for (String member : members) {
      out.append(',').append(member);
    }
    return out.append('}').toString();
  }

  private static final String THINKING =
      "\"thinking\":{\"type\":\"enabled\",\"budget_tokens\":1024}";

  static Stream<Arguments> streams() {
    return Stream.of(
        Arguments.of("messages-stream-text.chunks.txt", request("Hello", "\"stream\":true")),
        Arguments.of(
            "messages-stream-tool-use.chunks.txt",
            request(
                "Weather?",
                "\"stream\":true",
                "\"tools\":[" + WEATHER + "]",
                "\"tool_choice\":{\"type\":\"any\"}")),
        Arguments.of(
            "messages-stream-thinking.sse",
            request("How do I cross the street?", "\"stream\":true", THINKING)));
  }

  static Stream<Arguments> bodies() {
    return Stream.of(
        Arguments.of("messages-text.json", request("Hello")),
        Arguments.of("messages-thinking.json", request("How do I cross the street?", THINKING)),
        Arguments.of(
            "messages-parallel-tool-use.json",
            request(
                "Who is the youngest?",
                "\"tool_choice\":{\"type\":\"any\"}",
                "\"tools\":[{\"name\":\"retrieve_entity_info\",\"description\":\"d\","
                    + ENTITY
                    + "},{\"name\":\"retrieve_other_info\","
                    + ENTITY
                    + "}]")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("streams")
  void streamsTheSameEventShapesAsTheRecording(String fixture, String request) throws IOException {
    List<SseEvent> recorded = recordedEvents(fixture);

    HttpResponse<String> simulated =
        sim.client().send("POST", PATH, request, Duration.ofSeconds(10));

    assertThat(simulated.statusCode()).isEqualTo(200);
    assertThat(simulated.headers().firstValue("content-type"))
        .hasValue("text/event-stream; charset=utf-8");
    assertThat(shapes(SseReader.parse(simulated.body()))).isEqualTo(shapes(recorded));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("streams")
  void namesEveryEventAfterItsTypeAndSendsAPing(String fixture, String request) {
    String raw = sim.client().send("POST", PATH, request, Duration.ofSeconds(10)).body();

    assertThat(framing(raw)).isEqualTo("event-and-data-lines");
    assertThat(raw).contains("event: ping\ndata: {\"type\": \"ping\"}\n\n");
    assertThat(raw).doesNotContain("[DONE]");
  }

  @Test
  void theRecordedRawStreamsAreFramedTheSameWay() throws IOException {
    for (String fixture : List.of("messages-stream-thinking.sse", "stream-error-overloaded.sse")) {
      assertThat(framing(new String(fixture(fixture), StandardCharsets.UTF_8)))
          .as(fixture)
          .isEqualTo("event-and-data-lines");
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("bodies")
  void answersWithTheSameKeysAsTheRecording(String fixture, String request) throws IOException {
    JsonNode recorded = json(new String(fixture(fixture), StandardCharsets.UTF_8));
    if (fixture.contains("parallel")) {
      Iterator<JsonNode> blocks = ((ArrayNode) recorded.get("content")).iterator();
      while (blocks.hasNext()) {
        if (blocks.next().path("type").asText().equals("text")) {
          blocks.remove();
        }
      }
    }

    HttpResponse<String> simulated =
        sim.client().send("POST", PATH, request, Duration.ofSeconds(10));

    assertThat(simulated.statusCode()).isEqualTo(200);
    assertThat(shape(json(simulated.body()))).isEqualTo(shape(recorded));
  }

  private static List<SseEvent> recordedEvents(String fixture) throws IOException {
    String text = new String(fixture(fixture), StandardCharsets.UTF_8);
    if (!fixture.endsWith(".chunks.txt")) {
      return SseReader.parse(text);
    }
    List<SseEvent> events = new ArrayList<>();
    for (String line : text.split("\n")) {
      if (!line.isBlank()) {
        events.add(SseEvent.data(line));
      }
    }
    return events;
  }

  /** Event shapes in order, pings left out, runs of equal shapes collapsed. */
  private static List<Set<String>> shapes(List<SseEvent> events) {
    List<Set<String>> out = new ArrayList<>();
    for (SseEvent event : events) {
      JsonNode data = json(event.data());
      if (data.path("type").asText().equals("ping")) {
        continue;
      }
      Set<String> shape = shape(data);
      if (out.isEmpty() || !out.getLast().equals(shape)) {
        out.add(shape);
      }
    }
    return out;
  }

  private static Set<String> shape(JsonNode node) {
    JsonNode copy = node.deepCopy();
    strip(copy);
    Set<String> paths = OpenAiWireShapeIT.shape(copy);
    Set<String> withValues = new java.util.TreeSet<>(paths);
    addValues(copy, "", withValues);
    return withValues;
  }

  private static void strip(JsonNode node) {
    if (node instanceof ObjectNode object) {
      IGNORED.forEach(object::remove);
      object.forEach(AnthropicWireShapeIT::strip);
    } else if (node instanceof ArrayNode array) {
      array.forEach(AnthropicWireShapeIT::strip);
    }
  }

  /** {@code stop_reason} values, which the OpenAI shape does not enumerate. */
  private static void addValues(JsonNode node, String path, Set<String> out) {
    if (node.isObject()) {
      node.properties()
          .forEach(
              e -> {
                if (e.getKey().equals("stop_reason") && e.getValue().isTextual()) {
                  out.add(path + ".stop_reason=" + e.getValue().asText());
                }
                addValues(e.getValue(), path + "." + e.getKey(), out);
              });
    } else if (node.isArray()) {
      node.forEach(item -> addValues(item, path + "[]", out));
    }
  }

  /** Every event is {@code event: <type>} plus one {@code data:} line whose JSON type matches. */
  private static String framing(String raw) {
    if (raw.contains("\r") || !raw.endsWith("\n\n")) {
      return "cr-or-unterminated";
    }
    for (String block : raw.split("\n\n")) {
      String[] lines = block.split("\n");
      if (lines.length != 2
          || !lines[0].startsWith("event: ")
          || !lines[1].startsWith("data: ")
          || !json(lines[1].substring(6)).path("type").asText().equals(lines[0].substring(7))) {
        return "other: " + block;
      }
    }
    return "event-and-data-lines";
  }

  private static byte[] fixture(String name) throws IOException {
    try (InputStream in =
        AnthropicWireShapeIT.class.getResourceAsStream("/fixtures/anthropic/" + name)) {
      assertThat(in).as(name).isNotNull();
      return in.readAllBytes();
    }
  }
}
