package dev.switchboard.provider.openai;

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
 * Replays every recorded fixture through the adapter and compares with reviewed goldens: streams to
 * canonical events and to the client chunks we send; non-stream bodies to {@link LlmResponse} and
 * to the client completion; error bodies to {@link GatewayError}. Goldens are under {@code
 * src/test/resources/golden/}; {@code -Dgolden.update=true} rewrites them. Each fixture runs on the
 * profile it was recorded from.
 */
class OpenAiGoldenTest {

  private static final List<String> FOLDERS =
      List.of("fixtures/openai", "fixtures/openai-compatible", "fixtures/openrouter");

  private static final GoldenHarness GOLDEN =
      GoldenHarness.of(
              new OpenAiAdapter(),
              fixture -> TestTargets.of(TestTargets.profileFor(fixture.group(), fixture.file())))
          .client(TestTargets.GENERATION_ID, TestTargets.CLIENT_MODEL, TestTargets.CREATED);

  @TestFactory
  Stream<DynamicTest> everyRecordedStreamDecodesToTheGoldenEventsAndClientChunks() {
    return GOLDEN.streams(
        GoldenFixture.in(FOLDERS, name -> name.endsWith(".sse") || name.endsWith(".chunks.txt")),
        OpenAiGoldenTest::assertReassemblesTheUpstreamText);
  }

  @TestFactory
  Stream<DynamicTest> everyRecordedCompletionMapsToTheGoldenResponseAndClientCompletion() {
    return GOLDEN.completions(
        GoldenFixture.in(FOLDERS, name -> name.startsWith("chat-") && name.endsWith(".json")));
  }

  @TestFactory
  Stream<DynamicTest> everyRecordedErrorBodyClassifiesToTheGoldenError() {
    return GOLDEN.errors(
        GoldenFixture.in(FOLDERS, name -> name.startsWith("error-") && name.endsWith(".json")));
  }

  /** The text and tool arguments of choice 0, concatenated, survive decoding unchanged. */
  private static void assertReassemblesTheUpstreamText(String resource, List<StreamEvent> events)
      throws IOException {
    StringBuilder upstreamText = new StringBuilder();
    StringBuilder upstreamArguments = new StringBuilder();
    for (SseEvent event : Fixtures.sseEvents(resource)) {
      if (event.isDone() || "error".equals(event.event())) {
        continue;
      }
      JsonNode choices = ApiJson.tree(event.data()).path("choices");
      for (JsonNode choice : choices) {
        if (choice.path("index").asInt(0) != 0) {
          continue;
        }
        JsonNode delta = choice.path("delta");
        upstreamText.append(delta.path("content").asText(""));
        for (JsonNode call : delta.path("tool_calls")) {
          upstreamArguments.append(call.path("function").path("arguments").asText(""));
        }
      }
    }
    StringBuilder text = new StringBuilder();
    StringBuilder arguments = new StringBuilder();
    for (StreamEvent event : events) {
      if (event instanceof StreamEvent.TextDelta delta) {
        text.append(delta.text());
      } else if (event instanceof StreamEvent.ToolCallDelta delta) {
        arguments.append(delta.argumentsFragment());
      }
    }
    assertThat(text.toString()).isEqualTo(upstreamText.toString());
    assertThat(arguments.toString()).isEqualTo(upstreamArguments.toString());
  }
}
