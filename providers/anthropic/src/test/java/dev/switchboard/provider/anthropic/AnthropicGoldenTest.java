package dev.switchboard.provider.anthropic;

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
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
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

  private static final Path RESOURCES = Path.of("src", "test", "resources");
  private static final List<String> ERROR_FOLDERS =
      List.of("fixtures/anthropic", "written/anthropic");

  private final AnthropicAdapter adapter = new AnthropicAdapter();

  @TestFactory
  Stream<DynamicTest> everyRecordedStreamDecodesToTheGoldenEventsAndClientChunks() {
    return files("fixtures/anthropic", n -> n.endsWith(".sse") || n.endsWith(".chunks.txt"))
        .map(
            fixture ->
                DynamicTest.dynamicTest(
                    fixture.resource(),
                    () -> {
                      Target target = TestTargets.sonnet45();
                      List<StreamEvent> events = decode(target, fixture.resource());
                      GoldenJson.assertMatches(
                          CanonicalJson.events(events), fixture.golden("events"));
                      GoldenJson.assertMatches(
                          transcript(target, events), fixture.golden("chunks"));
                      assertReassemblesTheUpstreamTextAndArguments(fixture.resource(), events);
                    }));
  }

  @TestFactory
  Stream<DynamicTest> everyRecordedMessageMapsToTheGoldenResponseAndClientCompletion() {
    return files("fixtures/anthropic", n -> n.startsWith("messages-") && n.endsWith(".json"))
        .map(
            fixture ->
                DynamicTest.dynamicTest(
                    fixture.resource(),
                    () -> {
                      Target target = TestTargets.sonnet45();
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
  Stream<DynamicTest> everyErrorBodyClassifiesToTheGoldenErrorAndClientEnvelope() {
    return ERROR_FOLDERS.stream()
        .flatMap(folder -> files(folder, n -> n.startsWith("error-") && n.endsWith(".json")))
        .map(
            fixture ->
                DynamicTest.dynamicTest(
                    fixture.resource(),
                    () -> {
                      int status = Integer.parseInt(fixture.name().split("-")[1]);
                      GatewayError error =
                          adapter.classify(
                              new UpstreamResponse(
                                  status,
                                  Map.of("retry-after", "12"),
                                  Fixtures.bytes(fixture.resource())),
                              TestTargets.sonnet45());
                      Map<String, Object> golden = new LinkedHashMap<>();
                      golden.put("gatewayError", CanonicalJson.of(error));
                      golden.put("clientError", envelope(error));
                      GoldenJson.assertMatches(golden, fixture.golden("error"));
                    }));
  }

  static List<StreamEvent> decode(Target target, String resource) {
    StreamDecoder decoder = new AnthropicAdapter().newStreamDecoder(target);
    List<StreamEvent> events = new ArrayList<>();
    for (SseEvent event : Fixtures.sseEvents(resource)) {
      events.addAll(decoder.onEvent(event));
    }
    events.addAll(decoder.onEnd());
    return events;
  }

  /**
   * What a client receives, as the gateway sends it: the encoder's chunks, then the usage chunk,
   * then (after a failure) the in-band error chunk.
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
      chunks.add(encoder.errorChunk(envelope(failure)));
    }
    return chunks;
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

  private static Stream<Fixture> files(String folder, Predicate<String> filter) {
    try (Stream<Path> files = Files.list(RESOURCES.resolve(folder))) {
      return files
          .map(path -> path.getFileName().toString())
          .filter(filter)
          .sorted()
          .map(file -> new Fixture(folder, file))
          .toList()
          .stream();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A recorded (or written) file and where its goldens go. */
  record Fixture(String folder, String file) {

    String resource() {
      return folder + "/" + file;
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
      return "golden/"
          + folder.substring(folder.indexOf('/') + 1)
          + "/"
          + name()
          + "."
          + kind
          + ".json";
    }
  }
}
