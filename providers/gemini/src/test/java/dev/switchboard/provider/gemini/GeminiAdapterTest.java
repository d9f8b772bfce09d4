package dev.switchboard.provider.gemini;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.api.json.ApiJson;
import dev.switchboard.core.error.FailureClass;
import dev.switchboard.core.error.GatewayException;
import dev.switchboard.core.media.MediaKind;
import dev.switchboard.core.media.MediaRef;
import dev.switchboard.core.model.LlmRequest;
import dev.switchboard.core.openai.OpenAiChatCodec;
import dev.switchboard.core.provider.HttpCall;
import dev.switchboard.core.provider.Target;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class GeminiAdapterTest {

  private final GeminiAdapter adapter = new GeminiAdapter();

  private static LlmRequest request(String json) {
    return OpenAiChatCodec.toCanonical(json.getBytes(StandardCharsets.UTF_8));
  }

  private static String user(String contentJson) {
    return "{\"model\":\"google/x\",\"messages\":[{\"role\":\"user\",\"content\":"
        + contentJson
        + "}]}";
  }

  private JsonNode body(String json, Target target) throws Exception {
    return ApiJson.tree(adapter.encode(request(json), target).body());
  }

  private void assertRejected(String json, String... fragments) {
    assertThatThrownBy(() -> adapter.encode(request(json), TestTargets.flash3()))
        .isInstanceOf(GatewayException.class)
        .satisfies(
            e -> {
              assertThat(((GatewayException) e).error().kind())
                  .isEqualTo(FailureClass.INVALID_REQUEST);
              assertThat(e.getMessage()).contains(fragments);
            });
  }

  @Test
  void addressesTheModelAndMethodUnderTheTargetsBaseUrl() {
    Target demo =
        new Target(
            "google-ai-studio",
            "Google AI Studio",
            "http://127.0.0.1:9999/p/google-ai-studio/v1/",
            "gemini-3-flash-preview",
            "",
            GeminiProfiles.gemini(),
            null);
    HttpCall call = adapter.encode(request(user("\"hi\"")), demo);
    assertThat(call.url())
        .isEqualTo(
            "http://127.0.0.1:9999/p/google-ai-studio/v1/models/gemini-3-flash-preview:generateContent");
    assertThat(call.headers()).doesNotContainKey("x-goog-api-key");
    String streaming = user("\"hi\"").replace("{\"model\"", "{\"stream\":true,\"model\"");
    assertThat(adapter.encode(request(streaming), demo).url())
        .endsWith("/models/gemini-3-flash-preview:streamGenerateContent?alt=sse");
  }

  @Test
  void profileIsGeminiWithTheGoogleKeyHeader() {
    var profile = GeminiProfiles.all().get("gemini");
    assertThat(profile.dialect()).isEqualTo("gemini");
    assertThat(profile.authHeader()).isEqualTo("x-goog-api-key");
    assertThat(profile.authScheme()).isEmpty();
    assertThat(profile.defaultBaseUrl())
        .isEqualTo("https://generativelanguage.googleapis.com/v1beta");
    assertThat(adapter.dialect()).isEqualTo(profile.dialect());
  }

  @Test
  void rejectsWhatGeminiCannotExpressWithAClearMessage() {
    assertRejected(
        user("[{\"type\":\"video_url\",\"video_url\":{\"url\":\"ftp://x/y.mp4\"}}]"),
        "\"video_url\" must be an http(s), gs:// or data: URL",
        "a video");
    assertRejected(
        user("[{\"type\":\"video_url\",\"video_url\":{\"url\":\"data:image/png;base64,AA==\"}}]"),
        "must be a video; the data: URL is image/png");
    assertRejected(
        user("[{\"type\":\"image_url\",\"image_url\":{\"url\":\"data:image/png;base64,@@\"}}]"),
        "not a valid data: URL");
    assertRejected(
        user(
            "[{\"type\":\"input_audio\",\"input_audio\":{\"data\":\"AA==\",\"format\":\"pcm16\"}}]"),
        "\"pcm16\" is not supported by Gemini",
        "aac, aiff, flac, mp3, ogg, wav");
    assertRejected(
        user("[{\"type\":\"file\",\"file\":{\"file_id\":\"file-abc\"}}]"), "is not a Gemini file");
    assertRejected(user("[{\"type\":\"hologram\",\"x\":1}]"), "\"hologram\" is not supported");
    assertRejected(
        "{\"model\":\"m\",\"messages\":[{\"role\":\"system\",\"content\":[{\"type\":\"image_url\","
            + "\"image_url\":{\"url\":\"data:image/png;base64,AA==\"}}]},"
            + "{\"role\":\"user\",\"content\":\"hi\"}]}",
        "system messages can only carry text");
    assertRejected(
        "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"},"
            + "{\"role\":\"tool\",\"tool_call_id\":\"call_x\",\"content\":\"42\"}]}",
        "\"call_x\" matches no tool call");
    assertRejected(
        "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"},"
            + "{\"role\":\"assistant\",\"tool_calls\":[{\"id\":\"c\",\"type\":\"function\","
            + "\"function\":{\"name\":\"f\",\"arguments\":\"[1]\"}}]}]}",
        "must be a JSON object for Gemini");
    assertRejected(
        user("\"hi\"")
            .replace("{\"model\"", "{\"response_format\":{\"type\":\"grammar\"},\"model\""),
        "\"grammar\" is not supported by Gemini");
    assertRejected(
        "{\"model\":\"m\",\"messages\":[{\"role\":\"system\",\"content\":\"only\"}]}",
        "at least one user or assistant message");
  }

  @Test
  void asksTheGatewayForTheBytesOfPlainHttpImagesAndPdfsOnly() {
    LlmRequest request =
        request(
            user(
                "[{\"type\":\"text\",\"text\":\"x\"},"
                    + "{\"type\":\"image_url\",\"image_url\":{\"url\":\"https://a.example/cat.png\"}},"
                    + "{\"type\":\"image_url\",\"image_url\":{\"url\":\"https://a.example/cat.png\"}},"
                    + "{\"type\":\"image_url\",\"image_url\":{\"url\":\"data:image/png;base64,AA==\"}},"
                    + "{\"type\":\"image_url\",\"image_url\":{\"url\":\"https://generativelanguage.googleapis.com/v1beta/files/f\"}},"
                    + "{\"type\":\"file\",\"file\":{\"file_data\":\"http://b.example/doc.pdf\"}},"
                    + "{\"type\":\"file\",\"file\":{\"file_data\":\"gs://bucket/doc.pdf\"}},"
                    + "{\"type\":\"video_url\",\"video_url\":{\"url\":\"https://c.example/v.mp4\"}}]"));
    assertThat(adapter.mediaToInline(request, TestTargets.flash3()))
        .containsExactly(
            new MediaRef("https://a.example/cat.png", MediaKind.IMAGE),
            new MediaRef("http://b.example/doc.pdf", MediaKind.PDF));
  }

  @Test
  void omitsTheGenerationConfigWhenNothingWasSetAndMergesAdjacentTurns() throws Exception {
    JsonNode body =
        body(
            "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"a\"},"
                + "{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"\"},"
                + "{\"type\":\"text\",\"text\":\"b\"}]},"
                + "{\"role\":\"assistant\",\"content\":\"\"},{\"role\":\"user\",\"content\":\"c\"}]}",
            TestTargets.flash3());
    assertThat(body.has("generationConfig")).isFalse();
    assertThat(body.get("contents")).hasSize(1);
    assertThat(body.at("/contents/0/parts")).hasSize(3);
  }

  @Test
  void reasoningWithoutEffortOrBudgetOnlyAsksForThoughtsAndPennyPinchesNothing() throws Exception {
    JsonNode config =
        body(
                user("\"hi\"").replace("{\"model\"", "{\"reasoning\":{\"enabled\":true},\"model\""),
                TestTargets.flash3())
            .at("/generationConfig/thinkingConfig");
    assertThat(config.toString()).isEqualTo("{\"includeThoughts\":true}");
    JsonNode pro =
        body(
                user("\"hi\"")
                    .replace("{\"model\"", "{\"reasoning\":{\"effort\":\"minimal\"},\"model\""),
                TestTargets.of("gemini-3-pro-preview"))
            .at("/generationConfig/thinkingConfig/thinkingLevel");
    assertThat(pro.asText()).isEqualTo("low");
    JsonNode medium =
        body(
                user("\"hi\"")
                    .replace("{\"model\"", "{\"reasoning\":{\"effort\":\"medium\"},\"model\""),
                TestTargets.of("gemini-3-pro-preview"))
            .at("/generationConfig/thinkingConfig/thinkingLevel");
    assertThat(medium.asText()).isEqualTo("high");
    JsonNode budget =
        body(
                user("\"hi\"")
                    .replace("{\"model\"", "{\"reasoning\":{\"effort\":\"low\"},\"model\""),
                TestTargets.of("gemini-2.5-flash"))
            .at("/generationConfig/thinkingConfig/thinkingBudget");
    assertThat(budget.asInt()).isEqualTo(13107); // 0.2 of the 65,536 default output limit
  }
}
