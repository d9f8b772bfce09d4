package dev.switchboard.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.api.chat.ChatCompletionChunk;
import dev.switchboard.api.chat.ChatRequest;
import dev.switchboard.api.generation.GenerationData;
import dev.switchboard.api.json.ApiJson;
import dev.switchboard.simulator.Fault;
import dev.switchboard.simulator.Latency;
import dev.switchboard.simulator.RecordedRequest;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Chat completions and streams through the SDK against the real gateway and its simulator. */
@ExtendWith(InProcessGateway.Extension.class)
class GatewayChatIT {

  static final String XIAOMI = "xiaomi/mimo-v2-flash:free";
  static final String NEMOTRON = "nvidia/nemotron-3-nano:free";
  static final byte[] PNG =
      Base64.getDecoder()
          .decode(
              "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==");

  static InProcessGateway gw;
  static SwitchboardClient client;

  @BeforeAll
  static void start(InProcessGateway gateway) {
    gw = gateway;
    client = gw.client().build();
  }

  @AfterAll
  static void stop() {
    client.close();
  }

  @AfterEach
  void clear() {
    gw.simulator().clearFaults();
    gw.simulator().clearLatency("xiaomi");
  }

  static String marker() {
    return "m" + UUID.randomUUID().toString().replace("-", "");
  }

  @Test
  void createReturnsTheAnswerWithUsageCostAndTheGenerationId() {
    ChatResponse r =
        client
            .chat()
            .create(Chat.request("deepseek/deepseek-chat-v3-0324").user("Say hello").build());
    assertThat(r.text()).startsWith("Simulated answer to: Say hello");
    assertThat(r.model()).isEqualTo("deepseek/deepseek-chat-v3-0324");
    assertThat(r.provider()).isNotBlank();
    assertThat(r.finishReason()).isEqualTo("stop");
    assertThat(r.usage().promptTokens()).isPositive();
    assertThat(r.cost()).hasValueSatisfying(c -> assertThat(c).isPositive());
    assertThat(r.generationId()).isEqualTo(r.id()).startsWith("gen-");
    assertThat(r.overheadMs()).isPresent();
  }

  @Test
  void defaultAliasesAndCustomAliasesResolveBeforeTheRequestLeaves() {
    assertThat(client.chat().create(Chat.request("cheap").user("hi").build()).model())
        .isEqualTo("deepseek/deepseek-chat-v3-0324");
    assertThat(client.chat().create(Chat.request("fast").user("hi").build()).model())
        .isEqualTo("google/gemini-3-flash-preview");
    try (SwitchboardClient custom = client.toBuilder().alias("tiny", XIAOMI).build()) {
      assertThat(custom.chat().create(Chat.request("tiny").user("hi").build()).model())
          .isEqualTo(XIAOMI);
    }
  }

  @Test
  void askSendsTheSystemPromptTemperatureAndTokenLimit() {
    String marker = marker();
    String answer =
        client
            .chat()
            .ask(
                Prompt.of("Tell me " + marker + " a long story about dragons")
                    .withModel(XIAOMI)
                    .withSystem("Be brief")
                    .withTemperature(0.3)
                    .withMaxTokens(3));
    assertThat(answer).isNotBlank().startsWith("Simulated");
    JsonNode sent = Upstream.find(gw, client, marker).orElseThrow().json();
    assertThat(sent.path("messages").get(0).path("role").asText()).isEqualTo("system");
    assertThat(sent.path("messages").get(0).path("content").asText()).isEqualTo("Be brief");
    assertThat(sent.path("temperature").decimalValue()).isEqualByComparingTo("0.3");
    assertThat(sent.path("max_tokens").asInt(sent.path("max_completion_tokens").asInt()))
        .isEqualTo(3);
    assertThat(client.chat().ask(XIAOMI, "Be brief", "hello")).startsWith("Simulated answer");
  }

  @Test
  void streamDeliversChunksThenTheUsageChunkAndEndsAtDone() {
    try (ChatStream stream =
        client.chat().stream(
            Chat.request("deepseek/deepseek-chat-v3-0324").user("Stream please").build())) {
      List<ChatCompletionChunk> chunks = stream.stream().toList();
      StreamAccumulator acc = stream.accumulated();
      assertThat(chunks.size()).isGreaterThan(3);
      assertThat(stream.completed()).isTrue();
      assertThat(acc.text()).startsWith("Simulated answer to: Stream please");
      assertThat(acc.finishReason()).hasValue("stop");
      assertThat(acc.usage()).hasValueSatisfying(u -> assertThat(u.cost()).isPositive());
      assertThat(chunks.getLast().choices()).isEmpty();
      assertThat(stream.generationId()).isEqualTo(chunks.getFirst().id());
    }
  }

  @Test
  void keepAliveCommentsAreSkippedWhileTheFirstTokenIsSlow() {
    gw.simulator().setLatency("xiaomi", new Latency(500, 0));
    try (ChatStream stream = client.chat().stream(Chat.request(XIAOMI).user("slow").build())) {
      String text = String.join("", stream.textDeltas().toList());
      assertThat(text).startsWith("Simulated answer");
      assertThat(stream.comments()).isGreaterThanOrEqualTo(1);
    }
  }

  @Test
  void failureAfterTheFirstChunksRaisesFromNextAsAnInBandError() {
    gw.simulator().addFault("xiaomi", new Fault.Cut(3, 0));
    List<ChatCompletionChunk> seen = new ArrayList<>();
    try (ChatStream stream = client.chat().stream(Chat.request(XIAOMI).user("cut me").build())) {
      SwitchboardException e =
          catchThrowableOfType(
              SwitchboardException.class, () -> stream.forEachRemaining(seen::add));
      assertThat(e.midStream()).isTrue();
      assertThat(e.status()).isGreaterThanOrEqualTo(500);
      assertThat(e.getMessage()).isNotBlank();
      assertThat(e.errorType()).isPresent();
      assertThat(e.generationId()).hasValue(stream.generationId());
      assertThat(stream.hasNext()).isFalse();
    }
    assertThat(seen).isNotEmpty();
  }

  @Test
  void failureBeforeTheFirstByteIsThrownByStreamWithItsRetryAfter() {
    gw.simulator().addFault("xiaomi", new Fault.Status(429, null, Map.of("Retry-After", "7"), 0));
    try (SwitchboardClient noRetry = client.toBuilder().retryPolicy(RetryPolicy.none()).build()) {
      RateLimitedException e =
          catchThrowableOfType(
              RateLimitedException.class,
              () -> noRetry.chat().stream(Chat.request(XIAOMI).user("hi").build()));
      assertThat(e.retryAfter()).hasValue(Duration.ofSeconds(7));
      assertThat(e.providerName()).hasValue("Xiaomi");
      assertThat(e.midStream()).isFalse();
    }
  }

  @Test
  void closingAStreamCancelsTheRequest() {
    gw.simulator().setLatency("xiaomi", new Latency(0, 10));
    String id;
    try (ChatStream stream =
        client.chat().stream(Chat.request(XIAOMI).user("a slow and long answer").build())) {
      assertThat(stream.hasNext()).isTrue();
      stream.next();
      id = stream.generationId();
    }
    GenerationData record = client.generation(id, Duration.ofSeconds(10));
    assertThat(record.cancelled()).isTrue();
    assertThat(record.streamed()).isTrue();
  }

  @Test
  void imagesFromFilesAndPdfsReachTheUpstream(@TempDir Path dir) throws Exception {
    Path png = dir.resolve("pixel.png");
    Files.write(png, PNG);
    Path pdf = dir.resolve("doc.pdf");
    Files.writeString(pdf, "%PDF-1.4 tiny");
    String marker = marker();
    ChatResponse r =
        client
            .chat()
            .create(
                Chat.request("openai/gpt-5.2")
                    .user(
                        ContentPart.text("Describe " + marker),
                        ContentPart.image(png),
                        ContentPart.imageUrl("https://example.com/cat.jpg"),
                        ContentPart.pdf(pdf))
                    .build());
    assertThat(r.text()).isNotBlank();
    JsonNode sent = Upstream.find(gw, client, marker).orElseThrow().json();
    JsonNode parts = sent.path("messages").get(0).path("content");
    assertThat(parts.size()).as(sent.toString()).isEqualTo(4);
    assertThat(parts.get(1).path("image_url").path("url").asText())
        .startsWith("data:image/png;base64,iVBORw0KGgo");
    assertThat(parts.get(2).path("image_url").path("url").asText())
        .isEqualTo("https://example.com/cat.jpg");
    assertThat(parts.get(3).path("file").path("file_data").asText())
        .startsWith("data:application/pdf;base64,");
    assertThat(parts.get(3).path("file").path("filename").asText()).isEqualTo("doc.pdf");
  }

  @Test
  void videoUrlsReachAVideoCapableModel() {
    String marker = marker();
    ChatResponse r =
        client
            .chat()
            .create(
                Chat.request("fast")
                    .user(
                        ContentPart.text("Summarize " + marker),
                        ContentPart.videoUrl("https://example.com/clip.mp4"))
                    .build());
    assertThat(r.text()).isNotBlank();
    assertThat(Upstream.find(gw, client, marker).orElseThrow().body())
        .contains("https://example.com/clip.mp4");
  }

  record City(String city) {}

  record Day(String date, int count) {}

  @Test
  void toolChoiceNamesTheFunctionTheModelCalls() {
    ChatResponse r =
        client
            .chat()
            .create(
                Chat.request(XIAOMI)
                    .user("What is the weather?")
                    .tools(
                        Chat.tool("get_time", "The time", City.class),
                        Chat.tool("get_weather", "The weather", City.class))
                    .toolChoice(ToolChoice.function("get_weather"))
                    .build());
    assertThat(r.finishReason()).isEqualTo("tool_calls");
    assertThat(r.toolCalls())
        .singleElement()
        .satisfies(
            c -> {
              assertThat(c.function().name()).isEqualTo("get_weather");
              assertThat(c.id()).isNotBlank();
              assertThat(c.function().arguments()).contains("\"city\"");
            });
  }

  @Test
  void requiredToolChoiceWithTwoToolsGivesParallelToolCalls() {
    ChatResponse r =
        client
            .chat()
            .create(
                Chat.request(XIAOMI)
                    .user("Weather and calendar please")
                    .tools(
                        Chat.tool("get_weather", "The weather", City.class),
                        Chat.tool("count_events", "Events on a day", Day.class))
                    .toolChoice(ToolChoice.required())
                    .parallelToolCalls(true)
                    .build());
    assertThat(r.toolCalls())
        .extracting(c -> c.function().name())
        .containsExactly("get_weather", "count_events");
  }

  enum Difficulty {
    EASY,
    HARD
  }

  record Recipe(String name, int servings, List<String> ingredients, Difficulty difficulty) {}

  @Test
  void structuredOutputIsParsedBackIntoTheRecord() {
    Recipe recipe =
        client.chat().create(Chat.request(XIAOMI).user("A pancake recipe").build(), Recipe.class);
    assertThat(recipe.name()).isNotNull();
    assertThat(recipe.ingredients()).isNotNull();
    assertThat(recipe.difficulty()).isEqualTo(Difficulty.EASY);
  }

  /** Every component type docs/client.md lists for structured outputs. */
  record Profile(
      String name,
      int age,
      long visits,
      double score,
      BigDecimal balance,
      BigInteger big,
      boolean active,
      UUID id,
      URI homepage,
      Difficulty level,
      List<City> cities,
      Set<String> tags,
      Map<String, Integer> counts,
      Optional<String> nickname,
      Optional<City> home,
      City city) {}

  @Test
  void structuredOutputWithEveryListedTypeRoundTripsThroughTheModel() throws Exception {
    String marker = marker();
    Profile p =
        client
            .chat()
            .create(Chat.request(XIAOMI).user("A profile " + marker).build(), Profile.class);

    // The simulated model answers with an instance of the schema the SDK derived and sent.
    JsonNode sent = ApiJson.tree(Upstream.find(gw, client, marker).orElseThrow().body());
    assertThat(sent.at("/response_format/json_schema/schema"))
        .isEqualTo(JsonSchemas.of(Profile.class));
    assertThat(p.name()).isEqualTo("name");
    assertThat(p.id()).isNotNull();
    assertThat(p.homepage().getScheme()).isEqualTo("https");
    assertThat(p.level()).isEqualTo(Difficulty.EASY);
    assertThat(p.cities()).isNotEmpty().allSatisfy(c -> assertThat(c.city()).isNotBlank());
    assertThat(p.tags()).isNotEmpty();
    assertThat(p.counts()).isNotNull();
    assertThat(p.nickname()).contains("nickname");
    assertThat(p.home()).hasValueSatisfying(h -> assertThat(h.city()).isNotBlank());
    assertThat(p.city().city()).isNotBlank();
  }

  @Test
  void reasoningOptionsAreAccepted() {
    ChatResponse r =
        client
            .chat()
            .create(Chat.request(XIAOMI).user("Think first").reasoningEffort("high").build());
    assertThat(r.text()).isNotBlank();
    ChatResponse budget =
        client
            .chat()
            .create(
                Chat.request(XIAOMI)
                    .user("Think")
                    .reasoningMaxTokens(1024)
                    .excludeReasoning()
                    .build());
    assertThat(budget.reasoning()).isEmpty();
  }

  @Test
  void serverSideFallbackModelServesWhenThePrimaryFails() {
    gw.simulator().addFault("xiaomi", new Fault.Status(503, null, Map.of(), 0));
    ChatResponse r = client.chat().create(Chat.request(XIAOMI).models(NEMOTRON).user("hi").build());
    assertThat(r.model()).isEqualTo(NEMOTRON);
  }

  @Test
  void clientSideFallbackModelServesWhenTheServerGivesUp() {
    gw.simulator().addFault("xiaomi", new Fault.Status(503, null, Map.of(), 0));
    try (SwitchboardClient withFallback =
        client.toBuilder().retryPolicy(RetryPolicy.none()).fallbackModels(NEMOTRON).build()) {
      ChatResponse r = withFallback.chat().create(Chat.request(XIAOMI).user("hi").build());
      assertThat(r.model()).isEqualTo(NEMOTRON);
      try (ChatStream s = withFallback.chat().stream(Chat.request(XIAOMI).user("hi").build())) {
        assertThat(s.accumulate().model()).isEqualTo(NEMOTRON);
      }
    }
  }

  @Test
  void endUserSessionRefererAndExtraFieldsTravelWithTheRequest() {
    String marker = marker();
    try (SwitchboardClient attributed =
        client.toBuilder().referer("https://example.org/app").appName("Client IT").build()) {
      ChatRequest request =
          Chat.request(XIAOMI)
              .user("hello " + marker)
              .endUser("user-42")
              .sessionId("session-" + marker)
              .metadata(Map.of("suite", "client"))
              .extra("x_vendor_knob", 7)
              .build();
      ChatResponse r = attributed.chat().create(request);
      GenerationData record = attributed.generation(r.generationId());
      assertThat(record.externalUser()).isEqualTo("user-42");
      assertThat(record.sessionId()).isEqualTo("session-" + marker);
      assertThat(record.httpReferer()).isEqualTo("https://example.org/app");
      RecordedRequest sent = Upstream.find(gw, client, marker).orElseThrow();
      assertThat(sent.json().path("x_vendor_knob").asInt()).isEqualTo(7);
    }
  }

  @Test
  void fromEnvReadsTheKeyAndBaseUrlFromADotEnvFile(@TempDir Path dir) throws Exception {
    Path env = dir.resolve(".env");
    Files.writeString(
        env,
        "# demo gateway\nOPENROUTER_API_KEY=\"sk-sb-v1-demo\"\nexport OPENROUTER_BASE_URL="
            + gw.baseUrl()
            + "\nOPENROUTER_APP_NAME='Env app'\n");
    try (SwitchboardClient fromEnv = SwitchboardClient.builder().env(Map.of(), env).build()) {
      assertThat(fromEnv.baseUrl()).isEqualTo(gw.baseUrl());
      assertThat(fromEnv.chat().ask(XIAOMI, "hi")).startsWith("Simulated answer");
    }
  }
}
