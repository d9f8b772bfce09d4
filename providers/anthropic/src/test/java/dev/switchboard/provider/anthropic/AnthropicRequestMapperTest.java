package dev.switchboard.provider.anthropic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.api.json.ApiJson;
import dev.switchboard.core.error.FailureClass;
import dev.switchboard.core.error.GatewayException;
import dev.switchboard.core.model.ContentPart;
import dev.switchboard.core.model.LlmRequest;
import dev.switchboard.core.model.Message;
import dev.switchboard.core.model.ReasoningConfig;
import dev.switchboard.core.model.ToolCall;
import dev.switchboard.core.openai.OpenAiChatCodec;
import dev.switchboard.core.provider.Target;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class AnthropicRequestMapperTest {

  private final AnthropicAdapter adapter = new AnthropicAdapter();

  private JsonNode body(String request, Target target) throws IOException {
    return ApiJson.tree(
        adapter
            .encode(OpenAiChatCodec.toCanonical(request.getBytes(StandardCharsets.UTF_8)), target)
            .body());
  }

  private static String user(String extra) {
    return "{\"model\":\"anthropic/x\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]"
        + extra
        + "}";
  }

  private static final String TOOLS =
      ",\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"f\"}},"
          + "{\"type\":\"function\",\"function\":{\"name\":\"g\"}}]";

  @Test
  void budgetFollowsChecklist106() {
    assertThat(AnthropicRequestMapper.budget(new ReasoningConfig("high", null, false, null), 10000))
        .isEqualTo(8000);
    assertThat(AnthropicRequestMapper.budget(new ReasoningConfig(null, 500, false, null), 10000))
        .isEqualTo(1024);
    assertThat(AnthropicRequestMapper.budget(new ReasoningConfig("xhigh", null, false, null), 1000))
        .isEqualTo(1024);
    assertThat(
            AnthropicRequestMapper.budget(new ReasoningConfig("max", null, false, null), 400_000))
        .isEqualTo(128_000);
    assertThat(
            AnthropicRequestMapper.budget(new ReasoningConfig("minimal", null, false, null), 64000))
        .isEqualTo(6400);
  }

  @Test
  void noThinkingWithoutAnAskOrWithEffortNoneOrDisabled() {
    assertThat(AnthropicRequestMapper.budget(null, 4096)).isNull();
    assertThat(AnthropicRequestMapper.budget(new ReasoningConfig("none", null, false, null), 4096))
        .isNull();
    assertThat(AnthropicRequestMapper.budget(new ReasoningConfig(null, null, true, null), 4096))
        .isNull();
    assertThat(AnthropicRequestMapper.budget(new ReasoningConfig("high", null, false, false), 4096))
        .isNull();
    assertThat(AnthropicRequestMapper.budget(new ReasoningConfig(null, null, false, true), 4096))
        .isEqualTo(2048);
  }

  @Test
  void maxTokensComesFromTheClientThenTheCatalogThenTheDefault() throws IOException {
    assertThat(
            body(user(",\"max_tokens\":77"), TestTargets.of("claude-x", 64000))
                .path("max_tokens")
                .asInt())
        .isEqualTo(77);
    assertThat(body(user(""), TestTargets.of("claude-x", 64000)).path("max_tokens").asInt())
        .isEqualTo(64000);
    assertThat(body(user(""), TestTargets.of("claude-x")).path("max_tokens").asInt())
        .isEqualTo(AnthropicRequestMapper.DEFAULT_MAX_TOKENS);
  }

  @Test
  void maxTokensGrowsByTheBudgetWhenTheBudgetWouldNotFit() throws IOException {
    JsonNode body =
        body(
            user(",\"max_tokens\":500,\"reasoning\":{\"effort\":\"high\"}"),
            TestTargets.sonnet45());

    assertThat(body.path("thinking").path("budget_tokens").asInt()).isEqualTo(1024);
    assertThat(body.path("max_tokens").asInt()).isEqualTo(1524);
  }

  @Test
  void mapsEachToolChoice() throws IOException {
    Target t = TestTargets.sonnet45();
    assertThat(body(user(TOOLS + ",\"tool_choice\":\"auto\""), t).path("tool_choice").toString())
        .isEqualTo("{\"type\":\"auto\"}");
    assertThat(body(user(TOOLS + ",\"tool_choice\":\"none\""), t).path("tool_choice").toString())
        .isEqualTo("{\"type\":\"none\"}");
    assertThat(
            body(user(TOOLS + ",\"tool_choice\":\"required\",\"parallel_tool_calls\":false"), t)
                .path("tool_choice")
                .toString())
        .isEqualTo("{\"type\":\"any\",\"disable_parallel_tool_use\":true}");
    assertThat(
            body(
                    user(
                        TOOLS
                            + ",\"tool_choice\":{\"type\":\"function\",\"function\":{\"name\":\"g\"}}"),
                    t)
                .path("tool_choice")
                .toString())
        .isEqualTo("{\"type\":\"tool\",\"name\":\"g\"}");
    assertThat(body(user(TOOLS), t).has("tool_choice")).isFalse();
    assertThat(body(user(",\"tool_choice\":\"none\""), t).has("tool_choice")).isFalse();
  }

  @Test
  void refusesAudioVideoAndFileIdsCleanly() {
    assertRejected(
        "{\"type\":\"input_audio\",\"input_audio\":{\"data\":\"UklG\",\"format\":\"wav\"}}",
        "audio");
    assertRejected("{\"type\":\"video_url\",\"video_url\":{\"url\":\"https://x/v.mp4\"}}", "video");
    assertRejected("{\"type\":\"file\",\"file\":{\"file_id\":\"file-1\"}}", "file ids");
    assertRejected(
        "{\"type\":\"image_url\",\"image_url\":{\"url\":\"data:image/tiff;base64,AAAA\"}}",
        "image/tiff");
    assertRejected(
        "{\"type\":\"file\",\"file\":{\"file_data\":\"data:application/zip;base64,AAAA\"}}",
        "application/zip");
  }

  @Test
  void refusesAForcedToolTogetherWithReasoning() {
    assertThatThrownBy(
            () ->
                body(
                    user(
                        TOOLS + ",\"tool_choice\":\"required\",\"reasoning\":{\"effort\":\"low\"}"),
                    TestTargets.sonnet45()))
        .isInstanceOfSatisfying(
            GatewayException.class,
            e -> assertThat(e.error().kind()).isEqualTo(FailureClass.INVALID_REQUEST))
        .hasMessageContaining("tool_choice");
    String schema =
        ",\"response_format\":{\"type\":\"json_schema\",\"json_schema\":{\"name\":\"p\","
            + "\"schema\":{\"type\":\"object\"}}},\"reasoning\":{\"effort\":\"low\"}";
    assertThatThrownBy(() -> body(user(schema), TestTargets.of(TestTargets.SONNET_4)))
        .isInstanceOf(GatewayException.class)
        .hasMessageContaining("response_format");
  }

  @Test
  void nativeStructuredOutputWorksWithReasoning() throws IOException {
    String schema =
        ",\"response_format\":{\"type\":\"json_schema\",\"json_schema\":{\"name\":\"p\","
            + "\"schema\":{\"type\":\"object\"}}},\"reasoning\":{\"effort\":\"low\"}";
    JsonNode body = body(user(schema), TestTargets.sonnet45());

    assertThat(body.path("output_config").path("format").path("type").asText())
        .isEqualTo("json_schema");
    assertThat(body.has("thinking")).isTrue();
  }

  @Test
  void refusesTheReservedToolNameAndUnsupportedFormats() {
    assertThatThrownBy(
            () ->
                body(
                    user(
                        ",\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\""
                            + AnthropicRequestMapper.JSON_TOOL
                            + "\"}}]"),
                    TestTargets.sonnet45()))
        .isInstanceOf(GatewayException.class)
        .hasMessageContaining("reserved");
    assertThatThrownBy(
            () ->
                body(
                    user(",\"response_format\":{\"type\":\"grammar\",\"grammar\":\"x\"}"),
                    TestTargets.sonnet45()))
        .isInstanceOf(GatewayException.class)
        .hasMessageContaining("grammar");
  }

  @Test
  void refusesToolArgumentsThatAreNotAJsonObject() {
    String request =
        "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"},"
            + "{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[{\"id\":\"t\","
            + "\"type\":\"function\",\"function\":{\"name\":\"f\",\"arguments\":\"[1]\"}}]}]}";
    assertThatThrownBy(() -> body(request, TestTargets.sonnet45()))
        .isInstanceOf(GatewayException.class)
        .hasMessageContaining("messages[1].tool_calls[0].function.arguments");
  }

  @Test
  void leavesOutTheKeyHeaderWhenTheTargetHasNoKey() {
    Target keyless =
        new Target(
            "anthropic",
            "Anthropic",
            "http://127.0.0.1:1/p/anthropic/v1/",
            "claude-x",
            "",
            AnthropicProfiles.profile("anthropic"),
            null);
    var call =
        adapter.encode(
            OpenAiChatCodec.toCanonical(user("").getBytes(StandardCharsets.UTF_8)), keyless);

    assertThat(call.url()).isEqualTo("http://127.0.0.1:1/p/anthropic/v1/messages");
    assertThat(call.headers()).doesNotContainKey("x-api-key");
    assertThat(call.headers()).containsEntry("anthropic-version", "2023-06-01");
  }

  @Test
  void knowsWhichModelsHaveNativeStructuredOutputs() {
    assertThat(AnthropicModels.nativeStructuredOutputs("claude-sonnet-4-5-20250929")).isTrue();
    assertThat(AnthropicModels.nativeStructuredOutputs("claude-haiku-4-5")).isTrue();
    assertThat(AnthropicModels.nativeStructuredOutputs("claude-opus-4-6")).isTrue();
    assertThat(AnthropicModels.nativeStructuredOutputs("anthropic.claude-opus-4-5-v1:0")).isTrue();
    assertThat(AnthropicModels.nativeStructuredOutputs("claude-sonnet-4-20250514")).isFalse();
    assertThat(AnthropicModels.nativeStructuredOutputs("claude-opus-4-1-20250805")).isFalse();
    assertThat(AnthropicModels.nativeStructuredOutputs("claude-sonnet-4@20250514")).isFalse();
    assertThat(AnthropicModels.nativeStructuredOutputs("claude-3-5-sonnet-20241022")).isFalse();
    assertThat(AnthropicModels.nativeStructuredOutputs("gpt-4o")).isFalse();
  }

  private void assertRejected(String part, String mentioning) {
    String request =
        "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":[" + part + "]}]}";
    assertThatThrownBy(() -> body(request, TestTargets.sonnet45()))
        .isInstanceOfSatisfying(
            GatewayException.class,
            e -> assertThat(e.error().kind()).isEqualTo(FailureClass.INVALID_REQUEST))
        .hasMessageContaining(mentioning);
  }

  @Test
  void carriesCacheControlOnMediaAndToolResultsTheToolErrorAndTheUser() throws IOException {
    JsonNode cache = ApiJson.tree("{\"type\":\"ephemeral\",\"ttl\":\"1h\"}");
    LlmRequest request =
        new LlmRequest(
            "anthropic/x",
            null,
            List.of(
                new Message.User(
                    List.of(
                        new ContentPart.Image("https://example.com/a.png", null, cache),
                        new ContentPart.File("a.pdf", "https://example.com/a.pdf", null, cache)),
                    null),
                new Message.Assistant(
                    List.of(),
                    null,
                    List.of(new ToolCall("t1", "f", "{}")),
                    null,
                    null,
                    null,
                    null),
                new Message.Tool("t1", List.of(ContentPart.Text.of("boom")), true, cache)),
            null,
            null,
            null,
            null,
            null,
            null,
            false,
            "user-1",
            null,
            null,
            null,
            null,
            null);
    JsonNode body = ApiJson.tree(adapter.encode(request, TestTargets.of("claude-x")).body());
    assertThat(body.at("/messages/0/content/0/cache_control")).isEqualTo(cache);
    assertThat(body.at("/messages/0/content/1/type").asText()).isEqualTo("document");
    assertThat(body.at("/messages/0/content/1/cache_control")).isEqualTo(cache);
    JsonNode result = body.at("/messages/2/content/0");
    assertThat(result.path("type").asText()).isEqualTo("tool_result");
    assertThat(result.path("is_error").asBoolean()).isTrue();
    assertThat(result.path("cache_control")).isEqualTo(cache);
    assertThat(body.at("/metadata/user_id").asText()).isEqualTo("user-1");
    // A chat tool message (no is_error, no cache_control) sends neither.
    JsonNode plain =
        body(
            "{\"model\":\"anthropic/x\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"},"
                + "{\"role\":\"assistant\",\"tool_calls\":[{\"id\":\"t1\",\"type\":\"function\","
                + "\"function\":{\"name\":\"f\",\"arguments\":\"{}\"}}]},"
                + "{\"role\":\"tool\",\"tool_call_id\":\"t1\",\"content\":\"ok\"}]}",
            TestTargets.of("claude-x"));
    assertThat(plain.at("/messages/2/content/0").has("is_error")).isFalse();
    assertThat(plain.has("metadata")).isFalse();
  }
}
