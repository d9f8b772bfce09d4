package dev.switchboard.testkit;

import dev.switchboard.api.chat.ChatCompletionChunk;
import dev.switchboard.api.error.ErrorBody;
import dev.switchboard.core.error.GatewayError;
import dev.switchboard.core.model.LlmResponse;
import dev.switchboard.core.model.StreamEvent;
import dev.switchboard.core.model.Usage;
import dev.switchboard.core.openai.OpenAiChatCodec;
import dev.switchboard.core.openai.OpenAiChunkEncoder;
import dev.switchboard.core.provider.ProviderAdapter;
import dev.switchboard.core.provider.StreamDecoder;
import dev.switchboard.core.provider.Target;
import dev.switchboard.core.provider.UpstreamResponse;
import dev.switchboard.sse.SseEvent;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;

/**
 * The replay part every adapter's golden test shares: recorded streams decoded to canonical events
 * and to the chunks a client receives, recorded bodies mapped to {@link LlmResponse} and to the
 * client completion, error bodies classified to {@link GatewayError}, each compared with its
 * reviewed golden ({@link GoldenJson}). The adapter's test keeps what is its own: which fixtures,
 * which target, and what it checks beyond the goldens (its upstream's text reassembled).
 *
 * <pre>{@code
 * static final GoldenHarness GOLDEN =
 *     GoldenHarness.of(new GeminiAdapter(), fixture -> TestTargets.flash3())
 *         .client(TestTargets.GENERATION_ID, TestTargets.CLIENT_MODEL, TestTargets.CREATED);
 * }</pre>
 */
public final class GoldenHarness {

  /** A check on a decoded stream beyond its goldens, given the recorded resource. */
  @FunctionalInterface
  public interface StreamCheck {
    void check(String resource, List<StreamEvent> events) throws Exception;
  }

  private final ProviderAdapter adapter;
  private final Function<GoldenFixture, Target> targets;
  private final String generationId;
  private final String clientModel;
  private final long created;
  private final Function<GatewayError, ErrorBody> streamErrorBody;

  private GoldenHarness(
      ProviderAdapter adapter,
      Function<GoldenFixture, Target> targets,
      String generationId,
      String clientModel,
      long created,
      Function<GatewayError, ErrorBody> streamErrorBody) {
    this.adapter = Objects.requireNonNull(adapter, "adapter");
    this.targets = Objects.requireNonNull(targets, "targets");
    this.generationId = generationId;
    this.clientModel = clientModel;
    this.created = created;
    this.streamErrorBody = Objects.requireNonNull(streamErrorBody, "streamErrorBody");
  }

  /** A harness for {@code adapter}, with the target each fixture was recorded against. */
  public static GoldenHarness of(ProviderAdapter adapter, Function<GoldenFixture, Target> targets) {
    return new GoldenHarness(adapter, targets, null, null, 0, GoldenHarness::errorBody);
  }

  /** The generation id, model and creation time the client-facing goldens carry. */
  public GoldenHarness client(String generationId, String clientModel, long created) {
    return new GoldenHarness(adapter, targets, generationId, clientModel, created, streamErrorBody);
  }

  /**
   * The {@code error} object of the in-band chunk after a failed stream; by default {@link
   * #errorBody(GatewayError)}.
   */
  public GoldenHarness streamErrorBody(Function<GatewayError, ErrorBody> streamErrorBody) {
    return new GoldenHarness(adapter, targets, generationId, clientModel, created, streamErrorBody);
  }

  /**
   * Each stream decodes to its {@code events} golden and its client transcript to its {@code
   * chunks} golden; then {@code check} runs on the events.
   */
  public Stream<DynamicTest> streams(Stream<GoldenFixture> fixtures, StreamCheck check) {
    return fixtures.map(
        fixture ->
            DynamicTest.dynamicTest(
                fixture.resource(),
                () -> {
                  Target target = targets.apply(fixture);
                  List<StreamEvent> events = decode(target, fixture.resource());
                  GoldenJson.assertMatches(CanonicalJson.events(events), fixture.golden("events"));
                  GoldenJson.assertMatches(transcript(target, events), fixture.golden("chunks"));
                  check.check(fixture.resource(), events);
                }));
  }

  /**
   * Each 200 body maps to its {@code response} golden, and that response to the client completion
   * in its {@code completion} golden.
   */
  public Stream<DynamicTest> completions(Stream<GoldenFixture> fixtures) {
    return fixtures.map(
        fixture ->
            DynamicTest.dynamicTest(
                fixture.resource(),
                () -> {
                  Target target = targets.apply(fixture);
                  LlmResponse response =
                      adapter.decode(
                          new UpstreamResponse(200, Map.of(), Fixtures.bytes(fixture.resource())),
                          target);
                  GoldenJson.assertMatches(CanonicalJson.of(response), fixture.golden("response"));
                  GoldenJson.assertMatches(
                      OpenAiChatCodec.toCompletion(
                          response,
                          generationId,
                          clientModel,
                          target.providerName(),
                          created,
                          OpenAiChatCodec.toApiUsage(response.usage(), null, null)),
                      fixture.golden("completion"));
                }));
  }

  /** Each error body, with no headers, classifies to the {@link GatewayError} in its golden. */
  public Stream<DynamicTest> errors(Stream<GoldenFixture> fixtures) {
    return errors(fixtures, Map.of(), CanonicalJson::of);
  }

  /**
   * Each error body ({@code error-<status>-....json}: the status is the name's second part), sent
   * with {@code headers}, classifies to a {@link GatewayError}; {@code golden} turns it into what
   * the {@code error} golden holds.
   */
  public Stream<DynamicTest> errors(
      Stream<GoldenFixture> fixtures,
      Map<String, String> headers,
      Function<GatewayError, Object> golden) {
    return fixtures.map(
        fixture ->
            DynamicTest.dynamicTest(
                fixture.resource(),
                () -> {
                  int status = Integer.parseInt(fixture.name().split("-")[1]);
                  GatewayError error =
                      adapter.classify(
                          new UpstreamResponse(status, headers, Fixtures.bytes(fixture.resource())),
                          targets.apply(fixture));
                  GoldenJson.assertMatches(golden.apply(error), fixture.golden("error"));
                }));
  }

  /** A recorded stream through a new decoder of the adapter, {@code onEnd} included. */
  public List<StreamEvent> decode(Target target, String resource) {
    StreamDecoder decoder = adapter.newStreamDecoder(target);
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
  public List<ChatCompletionChunk> transcript(Target target, List<StreamEvent> events) {
    OpenAiChunkEncoder encoder =
        new OpenAiChunkEncoder(generationId, clientModel, target.providerName(), created);
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
      chunks.add(encoder.errorChunk(streamErrorBody.apply(failure)));
    }
    return chunks;
  }

  /** The failure's status and message with {@code error_type} and {@code provider_name}. */
  public static ErrorBody errorBody(GatewayError failure) {
    Map<String, Object> metadata = new LinkedHashMap<>();
    metadata.put("error_type", failure.kind().errorType());
    metadata.put("provider_name", failure.provider());
    return new ErrorBody(failure.httpStatus(), failure.message(), metadata);
  }
}
