package dev.switchboard.provider.gemini;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.api.chat.ChatCompletionChunk;
import dev.switchboard.api.error.ErrorBody;
import dev.switchboard.api.json.ApiJson;
import dev.switchboard.core.error.GatewayError;
import dev.switchboard.core.model.LlmResponse;
import dev.switchboard.core.model.StreamEvent;
import dev.switchboard.core.model.Usage;
import dev.switchboard.core.openai.OpenAiChatCodec;
import dev.switchboard.core.openai.OpenAiChunkEncoder;
import dev.switchboard.core.provider.StreamDecoder;
import dev.switchboard.core.provider.Target;
import dev.switchboard.core.provider.UpstreamResponse;
import dev.switchboard.sse.SseEvent;
import dev.switchboard.testkit.CanonicalJson;
import dev.switchboard.testkit.Fixtures;
import dev.switchboard.testkit.GoldenJson;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
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

  private static final Path FIXTURES = Path.of("src", "test", "resources", "fixtures", "google");

  private final GeminiAdapter adapter = new GeminiAdapter();

  @TestFactory
  Stream<DynamicTest> everyRecordedStreamDecodesToTheGoldenEventsAndClientChunks() {
    return fixtures(name -> name.endsWith(".sse") || name.endsWith(".chunks.txt"))
        .map(
            fixture ->
                DynamicTest.dynamicTest(
                    fixture.resource(),
                    () -> {
                      Target target = TestTargets.flash3();
                      List<StreamEvent> events = decode(target, fixture.resource());
                      GoldenJson.assertMatches(
                          CanonicalJson.events(events), fixture.golden("events"));
                      GoldenJson.assertMatches(
                          transcript(target, events), fixture.golden("chunks"));
                      assertReassemblesTheUpstreamText(fixture.resource(), events);
                    }));
  }

  @TestFactory
  Stream<DynamicTest> everyRecordedBodyMapsToTheGoldenResponseAndClientCompletion() {
    return fixtures(name -> name.startsWith("generate-") && name.endsWith(".json"))
        .map(
            fixture ->
                DynamicTest.dynamicTest(
                    fixture.resource(),
                    () -> {
                      Target target = TestTargets.flash3();
                      LlmResponse response =
                          adapter.decode(
                              new UpstreamResponse(
                                  200, Map.of(), Fixtures.bytes(fixture.resource())),
                              target);
                      GoldenJson.assertMatches(
                          CanonicalJson.of(response), fixture.golden("response"));
                      GoldenJson.assertMatches(
                          OpenAiChatCodec.toCompletion(
                              response,
                              TestTargets.GENERATION_ID,
                              TestTargets.CLIENT_MODEL,
                              target.providerName(),
                              TestTargets.CREATED,
                              OpenAiChatCodec.toApiUsage(response.usage(), null, null)),
                          fixture.golden("completion"));
                    }));
  }

  @TestFactory
  Stream<DynamicTest> everyRecordedErrorBodyClassifiesToTheGoldenError() {
    return fixtures(name -> name.startsWith("error-") && name.endsWith(".json"))
        .map(
            fixture ->
                DynamicTest.dynamicTest(
                    fixture.resource(),
                    () -> {
                      int status = Integer.parseInt(fixture.name().split("-")[1]);
                      GatewayError error =
                          adapter.classify(
                              new UpstreamResponse(
                                  status, Map.of(), Fixtures.bytes(fixture.resource())),
                              TestTargets.flash3());
                      GoldenJson.assertMatches(CanonicalJson.of(error), fixture.golden("error"));
                    }));
  }

  static List<StreamEvent> decode(Target target, String resource) {
    StreamDecoder decoder = new GeminiAdapter().newStreamDecoder(target);
    List<StreamEvent> events = new ArrayList<>();
    for (SseEvent event : Fixtures.sseEvents(resource)) {
      events.addAll(decoder.onEvent(event));
    }
    events.addAll(decoder.onEnd());
    return events;
  }

  /**
   * What a client receives, as the gateway would send it: the encoder's chunks, then the usage
   * chunk, then (after a failure) the in-band error chunk.
   */
  static List<ChatCompletionChunk> transcript(Target target, List<StreamEvent> events) {
    OpenAiChunkEncoder encoder =
        new OpenAiChunkEncoder(
            TestTargets.GENERATION_ID,
            TestTargets.CLIENT_MODEL,
            target.providerName(),
            TestTargets.CREATED);
    List<ChatCompletionChunk> chunks = new ArrayList<>();
    Usage usage = null;
    GatewayError failure = null;
    for (StreamEvent event : events) {
      chunks.addAll(encoder.encode(event));
      if (event instanceof StreamEvent.UsageReported reported) {
        usage = reported.usage();
      } else if (event instanceof StreamEvent.Failed failed) {
        failure = failed.error();
      }
    }
    if (usage != null) {
      chunks.add(encoder.usageChunk(OpenAiChatCodec.toApiUsage(usage, null, null)));
    }
    if (failure != null) {
      Map<String, Object> metadata = new LinkedHashMap<>();
      metadata.put("error_type", failure.kind().errorType());
      metadata.put("provider_name", failure.provider());
      chunks.add(
          encoder.errorChunk(new ErrorBody(failure.httpStatus(), failure.message(), metadata)));
    }
    return chunks;
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

  private static Stream<Fixture> fixtures(Predicate<String> filter) {
    try (Stream<Path> files = Files.list(FIXTURES)) {
      return files
          .map(path -> path.getFileName().toString())
          .filter(filter)
          .sorted()
          .map(Fixture::new)
          .toList()
          .stream();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** A recorded file and where its goldens go. */
  record Fixture(String file) {

    String resource() {
      return "fixtures/google/" + file;
    }

    String name() {
      for (String extension : List.of(".chunks.txt", ".sse", ".json")) {
        if (file.endsWith(extension)) {
          return file.substring(0, file.length() - extension.length());
        }
      }
      return file;
    }

    String golden(String kind) {
      return "golden/google/" + name() + "." + kind + ".json";
    }
  }
}
