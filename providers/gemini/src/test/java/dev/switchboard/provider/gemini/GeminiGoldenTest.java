package dev.switchboard.provider.gemini;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.api.json.ApiJson;
import dev.switchboard.core.error.GatewayError;
import dev.switchboard.core.model.LlmResponse;
import dev.switchboard.core.model.StreamEvent;
import dev.switchboard.sse.SseEvent;
import dev.switchboard.testkit.Fixtures;
import dev.switchboard.testkit.GoldenFixture;
import dev.switchboard.testkit.GoldenHarness;
import java.io.IOException;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Replays every recorded Gemini fixture through the adapter and compares with reviewed goldens:
 * streams to canonical events and to the client chunks we send; bodies to {@link LlmResponse} and
 * to the client completion; error bodies to {@link GatewayError}. Goldens are under {@code
 * src/test/resources/golden/google/}; {@code -Dgolden.update=true} rewrites them.
 */
class GeminiGoldenTest {

  private static final List<String> FOLDERS = List.of("fixtures/google");

  /**
   * Every fixture runs on Gemini 3 Flash; {@link SignatureRoundTripTest} replays through it too.
   */
  static final GoldenHarness GOLDEN =
      GoldenHarness.of(new GeminiAdapter(), fixture -> TestTargets.flash3())
          .client(TestTargets.GENERATION_ID, TestTargets.CLIENT_MODEL, TestTargets.CREATED);

  @TestFactory
  Stream<DynamicTest> everyRecordedStreamDecodesToTheGoldenEventsAndClientChunks() {
    return GOLDEN.streams(
        GoldenFixture.in(FOLDERS, name -> name.endsWith(".sse") || name.endsWith(".chunks.txt")),
        GeminiGoldenTest::assertReassemblesTheUpstreamText);
  }

  @TestFactory
  Stream<DynamicTest> everyRecordedBodyMapsToTheGoldenResponseAndClientCompletion() {
    return GOLDEN.completions(
        GoldenFixture.in(FOLDERS, name -> name.startsWith("generate-") && name.endsWith(".json")));
  }

  @TestFactory
  Stream<DynamicTest> everyRecordedErrorBodyClassifiesToTheGoldenError() {
    return GOLDEN.errors(
        GoldenFixture.in(FOLDERS, name -> name.startsWith("error-") && name.endsWith(".json")));
  }

  /** The answer text and the thought text of candidate 0 survive decoding unchanged. */
  private static void assertReassemblesTheUpstreamText(String resource, List<StreamEvent> events)
      throws IOException {
    StringBuilder upstreamText = new StringBuilder();
    StringBuilder upstreamThoughts = new StringBuilder();
    for (SseEvent event : Fixtures.sseEvents(resource)) {
      for (JsonNode part :
          ApiJson.tree(event.data()).path("candidates").path(0).path("content").path("parts")) {
        if (part.path("thought").asBoolean(false)) {
          upstreamThoughts.append(part.path("text").asText(""));
        } else {
          upstreamText.append(part.path("text").asText(""));
        }
      }
    }
    StringBuilder text = new StringBuilder();
    StringBuilder thoughts = new StringBuilder();
    for (StreamEvent event : events) {
      if (event instanceof StreamEvent.TextDelta delta) {
        text.append(delta.text());
      } else if (event instanceof StreamEvent.ReasoningDelta delta && delta.text() != null) {
        thoughts.append(delta.text());
      }
    }
    assertThat(text.toString()).isEqualTo(upstreamText.toString());
    assertThat(thoughts.toString()).isEqualTo(upstreamThoughts.toString());
  }
}
