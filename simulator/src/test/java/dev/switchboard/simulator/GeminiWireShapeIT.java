package dev.switchboard.simulator;

import static dev.switchboard.simulator.SimClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.switchboard.api.json.ApiJson;
import dev.switchboard.sse.SseEvent;
import dev.switchboard.sse.SseReader;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
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
 * The simulator's Gemini responses have the same keys at every level, the same value kinds, the
 * same sequence of chunk shapes and the same SSE framing as recorded Gemini traffic (not the same
 * text). Shapes are computed as in {@link OpenAiWireShapeIT}, comparing the values of {@code role},
 * {@code finishReason} and {@code modality} too.
 *
 * <p>Left out of the comparison, on purpose: keys that vary by model generation and account ({@code
 * serviceTier}, {@code candidatesTokensDetails}, {@code avgLogprobs}); {@code thoughtsTokenCount}
 * where the recorded model thought without being asked to show it (the simulator only thinks when
 * {@code includeThoughts} is set); and {@code index}, which Gemini 2.0 did not send.
 */
class GeminiWireShapeIT {

  private static final Set<String> ENUMERATED = Set.of("role", "finishReason", "modality");
  private static final Set<String> ALWAYS_IGNORED =
      Set.of("serviceTier", "candidatesTokensDetails", "avgLogprobs");
  private static final String TOOLS =
      "\"tools\":[{\"functionDeclarations\":[{\"name\":\"get_country\",\"description\":\"\","
          + "\"parametersJsonSchema\":{\"type\":\"object\",\"properties\":{},"
          + "\"additionalProperties\":false}}]}]";

  @RegisterExtension static final SimulatorExtension sim = SimulatorExtension.withEventLoops(1);

  static String request(String text, String... members) {
    StringBuilder out =
        new StringBuilder("{\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":");
    out.append(ApiJson.string(text)).append("}]}]");
    for (String member : members) {
      out.append(',').append(member);
    }
    return out.append('}').toString();
  }

  static Stream<Arguments> streams() {
    return Stream.of(
        Arguments.of(
            "stream-usage-mid-stream.sse",
            "gemini-2.5-flash",
            request("Count to thirty"),
            Set.of("thoughtsTokenCount")),
        Arguments.of(
            "stream-text.sse",
            "gemini-2.0-flash",
            request("Capital of France?"),
            Set.of("index", "candidatesTokenCount")),
        Arguments.of(
            "stream-thinking.sse",
            "gemini-2.5-pro",
            request(
                "How do I cross the street?",
                "\"generationConfig\":{\"thinkingConfig\":{\"includeThoughts\":true}}"),
            Set.of()),
        Arguments.of(
            "stream-function-call-thought-signature.sse",
            "gemini-3-pro-preview",
            request("What is the capital of the user country? Call the tool", TOOLS),
            Set.of("thoughtsTokenCount")));
  }

  static Stream<Arguments> bodies() {
    return Stream.of(
        Arguments.of(
            "generate-text.json",
            "gemini-2.5-flash",
            request("Hello!"),
            Set.of("thoughtsTokenCount")),
        Arguments.of(
            "generate-finish-max-tokens.json",
            "gemini-2.5-flash",
            request("Capital of France?", "\"generationConfig\":{\"maxOutputTokens\":5}"),
            Set.of()),
        Arguments.of(
            "generate-function-call.json",
            "gemini-2.0-flash",
            request("Largest city?", TOOLS),
            Set.of("index")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("streams")
  void streamsTheSameChunkShapesAsTheRecording(
      String fixture, String model, String request, Set<String> ignored) throws IOException {
    String recorded = fixture(fixture);
    HttpResponse<String> simulated = stream(model, request);

    assertThat(simulated.statusCode()).isEqualTo(200);
    assertThat(simulated.headers().firstValue("content-type")).hasValue("text/event-stream");
    assertThat(shapes(SseReader.parse(simulated.body().getBytes(StandardCharsets.UTF_8)), ignored))
        .isEqualTo(shapes(SseReader.parse(recorded.getBytes(StandardCharsets.UTF_8)), ignored));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("streams")
  void framesEveryChunkAsOneCrlfDataLineWithoutDoneLikeTheRecording(
      String fixture, String model, String request, Set<String> ignored) throws IOException {
    assertThat(framing(fixture(fixture))).isEqualTo("crlf-data-lines-no-done");
    assertThat(framing(stream(model, request).body())).isEqualTo("crlf-data-lines-no-done");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("bodies")
  void answersWithTheSameKeysAsTheRecording(
      String fixture, String model, String request, Set<String> ignored) throws IOException {
    JsonNode recorded = json(fixture(fixture));
    HttpResponse<String> simulated =
        sim.client()
            .send(
                "POST",
                "/p/google-ai-studio/v1beta/models/" + model + ":generateContent",
                request,
                Duration.ofSeconds(10));

    assertThat(simulated.statusCode()).isEqualTo(200);
    assertThat(shape(json(simulated.body()), ignored)).isEqualTo(shape(recorded, ignored));
  }

  private static HttpResponse<String> stream(String model, String request) {
    return sim.client()
        .send(
            "POST",
            "/p/google-ai-studio/v1beta/models/" + model + ":streamGenerateContent?alt=sse",
            request,
            Duration.ofSeconds(10));
  }

  /** Chunk shapes in order, runs of equal shapes collapsed. */
  private static List<Set<String>> shapes(List<SseEvent> events, Set<String> ignored) {
    List<Set<String>> out = new ArrayList<>();
    for (SseEvent event : events) {
      Set<String> shape = shape(json(event.data()), ignored);
      if (out.isEmpty() || !out.getLast().equals(shape)) {
        out.add(shape);
      }
    }
    return out;
  }

  static Set<String> shape(JsonNode node, Set<String> ignored) {
    Set<String> paths = new TreeSet<>();
    walk(node, "", "", paths, ignored);
    return paths;
  }

  private static void walk(
      JsonNode node, String path, String key, Set<String> out, Set<String> ignored) {
    if (node.isObject()) {
      if (node.isEmpty()) {
        out.add(path + ":{}");
      }
      for (Map.Entry<String, JsonNode> e : node.properties()) {
        if (!ALWAYS_IGNORED.contains(e.getKey()) && !ignored.contains(e.getKey())) {
          walk(e.getValue(), path + "." + e.getKey(), e.getKey(), out, ignored);
        }
      }
    } else if (node.isArray()) {
      if (node.isEmpty()) {
        out.add(path + ":[]");
      }
      for (JsonNode item : (ArrayNode) node) {
        walk(item, path + "[]", key, out, ignored);
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

  /**
   * A summary of the framing: every event one {@code data: } line holding a JSON object written
   * with Google's spacing, each followed by CRLF CRLF, and no {@code [DONE]} or {@code event:}.
   */
  private static String framing(String raw) {
    if (!raw.endsWith("\r\n\r\n") || raw.contains("[DONE]")) {
      return "no-crlf-end-or-done";
    }
    for (String block : raw.substring(0, raw.length() - 4).split("\r\n\r\n")) {
      if (!block.startsWith("data: {\"candidates\": [{\"content\": {\"parts\": [")
          || block.contains("\n")
          || block.contains("\r")) {
        return "other: " + block.substring(0, Math.min(80, block.length()));
      }
    }
    return "crlf-data-lines-no-done";
  }

  private static String fixture(String name) throws IOException {
    try (InputStream in = GeminiWireShapeIT.class.getResourceAsStream("/fixtures/google/" + name)) {
      assertThat(in).as(name).isNotNull();
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
