package dev.switchboard.provider.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.api.json.ApiJson;
import dev.switchboard.core.model.LlmRequest;
import dev.switchboard.core.openai.OpenAiChatCodec;
import dev.switchboard.core.provider.DialectProfile;
import dev.switchboard.core.provider.HttpCall;
import dev.switchboard.core.provider.Target;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class OpenAiAdapterTest {

  private final OpenAiAdapter adapter = new OpenAiAdapter();

  private static LlmRequest request(String json) {
    return OpenAiChatCodec.toCanonical(json.getBytes(StandardCharsets.UTF_8));
  }

  private static final LlmRequest HELLO =
      request(
          "{\"model\":\"openai/gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");

  @Test
  void speaksTheOpenAiDialect() {
    assertThat(adapter.dialect()).isEqualTo("openai");
  }

  @Test
  void postsToTheProfileDefaultUrlWithBearerAuth() {
    HttpCall call = adapter.encode(HELLO, TestTargets.of("groq"));

    assertThat(call.method()).isEqualTo("POST");
    assertThat(call.url()).isEqualTo("https://api.groq.com/openai/v1/chat/completions");
    assertThat(call.headers())
        .containsEntry("Authorization", "Bearer sk-test-key")
        .containsEntry("Content-Type", "application/json")
        .containsEntry("Accept", "application/json");
    assertThat(call.toString()).doesNotContain("sk-test-key");
  }

  @Test
  void prefersTheTargetBaseUrlAndToleratesATrailingSlash() {
    Target target =
        new Target(
            "vllm",
            "vLLM",
            "http://gpu-1:8000/v1/",
            "qwen",
            "",
            OpenAiProfiles.profile("vllm"),
            null);

    HttpCall call = adapter.encode(HELLO, target);

    assertThat(call.url()).isEqualTo("http://gpu-1:8000/v1/chat/completions");
    assertThat(call.headers()).doesNotContainKey("Authorization");
  }

  @Test
  void failsClearlyWhenNoBaseUrlIsKnown() {
    Target target =
        new Target("vllm", "vLLM", null, "qwen", null, OpenAiProfiles.profile("vllm"), null);

    assertThatThrownBy(() -> adapter.encode(HELLO, target))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("no base URL");
  }

  @Test
  void sendsTheProfilesAuthHeaderSchemeAndExtraHeaders() {
    DialectProfile custom =
        new DialectProfile(
            "azure-like",
            "openai",
            "/chat/completions",
            "api-key",
            "",
            "max_tokens",
            true,
            0,
            false,
            Set.of(),
            Map.of("X-Team", "search"),
            List.of());
    Target target =
        new Target("az", "Azure", "https://az.example/openai", "gpt", "k1", custom, null);

    HttpCall call = adapter.encode(HELLO, target);

    assertThat(call.headers()).containsEntry("api-key", "k1").containsEntry("X-Team", "search");
  }

  @Test
  void asksForUsageInStreamsOnlyWhereTheProfileUnderstandsIt() throws Exception {
    LlmRequest stream =
        request(
            "{\"model\":\"m\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");

    JsonNode openai = ApiJson.tree(adapter.encode(stream, TestTargets.of("openai")).body());
    JsonNode mistral = ApiJson.tree(adapter.encode(stream, TestTargets.of("mistral")).body());

    assertThat(openai.at("/stream_options/include_usage").asBoolean()).isTrue();
    assertThat(mistral.has("stream_options")).isFalse();
    assertThat(adapter.encode(stream, TestTargets.of("openai")).headers())
        .containsEntry("Accept", "text/event-stream");
  }

  @Test
  void usesTheUpstreamModelIdAndLeavesAbsentSamplingAbsent() throws Exception {
    JsonNode body = ApiJson.tree(adapter.encode(HELLO, TestTargets.of("openai")).body());

    assertThat(body.get("model").asText()).isEqualTo("upstream-model-id");
    assertThat(body.properties())
        .extracting(Map.Entry::getKey)
        .containsExactly("model", "messages");
  }

  @Test
  void neverSendsToolChoiceOrParallelToolCallsWithoutTools() throws Exception {
    LlmRequest request =
        request(
            "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],"
                + "\"tool_choice\":\"none\",\"parallel_tool_calls\":false}");

    JsonNode body = ApiJson.tree(adapter.encode(request, TestTargets.of("openai")).body());

    assertThat(body.has("tool_choice")).isFalse();
    assertThat(body.has("parallel_tool_calls")).isFalse();
  }

  @Test
  void forwardsMetadataToOpenAiOnlyWithStore() throws Exception {
    String base =
        "\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"metadata\":{\"k\":\"v\"}";

    JsonNode without =
        ApiJson.tree(adapter.encode(request("{" + base + "}"), TestTargets.of("openai")).body());
    JsonNode with =
        ApiJson.tree(
            adapter
                .encode(request("{" + base + ",\"store\":true}"), TestTargets.of("openai"))
                .body());

    assertThat(without.has("metadata")).isFalse();
    assertThat(with.get("metadata").get("k").asText()).isEqualTo("v");
    assertThat(with.get("store").asBoolean()).isTrue();
  }

  @Test
  void aReasoningBudgetBecomesTheEffortItsShareOfTheOutputLimitStandsFor() throws Exception {
    String base =
        "{\"model\":\"openai/gpt-4o\",\"max_tokens\":1000,"
            + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],";
    assertThat(effort(base + "\"reasoning\":{\"max_tokens\":900}}")).isEqualTo("high");
    assertThat(effort(base + "\"reasoning\":{\"max_tokens\":500}}")).isEqualTo("medium");
    assertThat(effort(base + "\"reasoning\":{\"max_tokens\":100}}")).isEqualTo("low");
    assertThat(effort(base + "\"reasoning\":{\"enabled\":true}}")).isEqualTo("medium");
    assertThat(effort(base + "\"reasoning\":{\"max_tokens\":900,\"effort\":\"low\"}}"))
        .isEqualTo("low");
    assertThat(effort(base + "\"reasoning\":{\"enabled\":false,\"max_tokens\":900}}")).isEmpty();
    // An OpenRouter upstream gets the budget itself.
    JsonNode openRouter =
        ApiJson.tree(
            adapter
                .encode(
                    request(base + "\"reasoning\":{\"max_tokens\":900}}"),
                    TestTargets.of("openrouter"))
                .body());
    assertThat(openRouter.at("/reasoning/max_tokens").asInt()).isEqualTo(900);
    assertThat(openRouter.has("reasoning_effort")).isFalse();
  }

  private String effort(String json) throws Exception {
    return ApiJson.tree(adapter.encode(request(json), TestTargets.of("openai")).body())
        .path("reasoning_effort")
        .asText();
  }
}
