package dev.switchboard.provider.anthropic;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.api.error.ErrorBody;
import dev.switchboard.api.json.ApiJson;
import dev.switchboard.core.error.GatewayError;
import dev.switchboard.core.model.LlmResponse;
import dev.switchboard.core.model.StreamEvent;
import dev.switchboard.sse.SseEvent;
import dev.switchboard.testkit.CanonicalJson;
import dev.switchboard.testkit.Fixtures;
import dev.switchboard.testkit.GoldenFixture;
import dev.switchboard.testkit.GoldenHarness;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Replays every recorded Anthropic fixture through the adapter and compares with reviewed goldens:
 * streams to canonical events and to the client chunks we send; bodies to {@link LlmResponse} and
 * to the client completion; error bodies (recorded, plus the written ones for statuses nobody
 * recorded) to {@link GatewayError}. {@code -Dgolden.update=true} rewrites the goldens.
 */
class AnthropicGoldenTest {

  private static final List<String> RECORDED = List.of("fixtures/anthropic");
  private static final List<String> ERROR_FOLDERS =
      List.of("fixtures/anthropic", "written/anthropic");

  /** Every fixture runs on Sonnet 4.5; a failed stream's chunk carries the whole envelope. */
  private static final GoldenHarness GOLDEN =
      GoldenHarness.of(new AnthropicAdapter(), fixture -> TestTargets.sonnet45())
          .client(TestTargets.GENERATION_ID, TestTargets.CLIENT_MODEL, TestTargets.CREATED)
          .streamErrorBody(AnthropicGoldenTest::envelope);

  @TestFactory
  Stream<DynamicTest> everyRecordedStreamDecodesToTheGoldenEventsAndClientChunks() {
    return GOLDEN.streams(
        GoldenFixture.in(RECORDED, n -> n.endsWith(".sse") || n.endsWith(".chunks.txt")),
        AnthropicGoldenTest::assertReassemblesTheUpstreamTextAndArguments);
  }

  @TestFactory
  Stream<DynamicTest> everyRecordedMessageMapsToTheGoldenResponseAndClientCompletion() {
    return GOLDEN.completions(
        GoldenFixture.in(RECORDED, n -> n.startsWith("messages-") && n.endsWith(".json")));
  }

  @TestFactory
  Stream<DynamicTest> everyErrorBodyClassifiesToTheGoldenErrorAndClientEnvelope() {
    return GOLDEN.errors(
        GoldenFixture.in(ERROR_FOLDERS, n -> n.startsWith("error-") && n.endsWith(".json")),
        Map.of("retry-after", "12"),
        error -> {
          Map<String, Object> golden = new LinkedHashMap<>();
          golden.put("gatewayError", CanonicalJson.of(error));
          golden.put("clientError", envelope(error));
          return golden;
        });
  }

  /** The {@code error} object OpenRouter's envelope carries for this failure. */
  static ErrorBody envelope(GatewayError error) {
    Map<String, Object> metadata = new LinkedHashMap<>();
    metadata.put("error_type", error.kind().errorType());
    metadata.put("provider_name", error.provider());
    if (error.providerCode() != null) {
      metadata.put("provider_code", error.providerCode());
    }
    metadata.put("raw", error.raw());
    return new ErrorBody(error.httpStatus(), error.message(), metadata);
  }

  /**
   * The answer text ({@code text_delta}s) and each client tool's arguments ({@code
   * input_json_delta}s of {@code tool_use} blocks, by block) survive decoding unchanged.
   */
  private static void assertReassemblesTheUpstreamTextAndArguments(
      String resource, List<StreamEvent> events) throws IOException {
    StringBuilder upstreamText = new StringBuilder();
    Map<Integer, StringBuilder> upstreamArguments = new LinkedHashMap<>();
    Map<Integer, String> blockTypes = new HashMap<>();
    for (SseEvent event : Fixtures.sseEvents(resource)) {
      JsonNode root = ApiJson.tree(event.data());
      int index = root.path("index").asInt(-1);
      switch (root.path("type").asText()) {
        case "content_block_start" -> {
          String type = root.path("content_block").path("type").asText();
          blockTypes.put(index, type);
          if (type.equals("tool_use")) {
            upstreamArguments.put(index, new StringBuilder());
          }
        }
        case "content_block_delta" -> {
          JsonNode delta = root.path("delta");
          if (delta.path("type").asText().equals("text_delta")) {
            upstreamText.append(delta.path("text").asText());
          } else if (delta.path("type").asText().equals("input_json_delta")
              && "tool_use".equals(blockTypes.get(index))) {
            upstreamArguments.get(index).append(delta.path("partial_json").asText());
          }
        }
        default -> {}
      }
    }
    StringBuilder text = new StringBuilder();
    Map<Integer, StringBuilder> arguments = new LinkedHashMap<>();
    for (StreamEvent event : events) {
      if (event instanceof StreamEvent.TextDelta delta) {
        text.append(delta.text());
      } else if (event instanceof StreamEvent.ToolCallStarted started) {
        arguments.put(started.index(), new StringBuilder());
      } else if (event instanceof StreamEvent.ToolCallDelta delta) {
        arguments.get(delta.index()).append(delta.argumentsFragment());
      }
    }
    assertThat(text.toString()).isEqualTo(upstreamText.toString());
    assertThat(arguments.values().stream().map(StringBuilder::toString).toList())
        .isEqualTo(upstreamArguments.values().stream().map(StringBuilder::toString).toList());
    assertThat(arguments.keySet()).containsExactlyElementsOf(denseFromZero(arguments.size()));
  }

  private static List<Integer> denseFromZero(int n) {
    List<Integer> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      out.add(i);
    }
    return out;
  }
}
