package dev.switchboard.core.openai;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.api.chat.ChatCompletionChunk;
import dev.switchboard.api.error.ErrorBody;
import dev.switchboard.api.json.ApiJson;
import dev.switchboard.core.error.FailureClass;
import dev.switchboard.core.error.GatewayError;
import dev.switchboard.core.model.FinishReason;
import dev.switchboard.core.model.StreamEvent;
import dev.switchboard.core.model.Usage;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OpenAiChunkEncoderTest {

  private static final String HEAD =
      "{\"id\":\"gen-1\",\"provider\":\"OpenAI\",\"model\":\"openai/gpt-4o\","
          + "\"object\":\"chat.completion.chunk\",\"created\":7,";

  private final OpenAiChunkEncoder encoder =
      new OpenAiChunkEncoder("gen-1", "openai/gpt-4o", "OpenAI", 7);

  private String only(StreamEvent event) {
    List<ChatCompletionChunk> chunks = encoder.encode(event);
    assertThat(chunks).hasSize(1);
    return ApiJson.string(chunks.get(0));
  }

  @Test
  void writesTextDeltasWithOurIdModelProviderAndTheAssistantRole() {
    assertThat(only(new StreamEvent.TextDelta("Hi")))
        .isEqualTo(
            HEAD
                + "\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"Hi\"},"
                + "\"finish_reason\":null,\"native_finish_reason\":null,\"logprobs\":null}]}");
  }

  @Test
  void writesTheFirstToolCallFragmentWithIdTypeNameAndEmptyArguments() {
    assertThat(only(new StreamEvent.ToolCallStarted(0, "call_1", "get_weather")))
        .contains(
            "\"delta\":{\"role\":\"assistant\",\"tool_calls\":[{\"index\":0,\"id\":\"call_1\","
                + "\"type\":\"function\",\"function\":{\"name\":\"get_weather\",\"arguments\":\"\"}}]}");
  }

  @Test
  void writesLaterToolCallFragmentsWithOnlyIndexAndArguments() throws Exception {
    String chunk = only(new StreamEvent.ToolCallDelta(1, "{\"ci"));

    assertThat(ApiJson.tree(chunk).at("/choices/0/delta"))
        .isEqualTo(
            ApiJson.tree(
                "{\"role\":\"assistant\",\"tool_calls\":[{\"index\":1,"
                    + "\"function\":{\"arguments\":\"{\\\"ci\"}}]}"));
  }

  @Test
  void writesTheFinishChunkWithNormalizedAndNativeReasons() {
    assertThat(only(new StreamEvent.Finished(FinishReason.TOOL_CALLS, "tool_use")))
        .contains(
            "\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\"},"
                + "\"finish_reason\":\"tool_calls\",\"native_finish_reason\":\"tool_use\"");
  }

  @Test
  void writesNoChunkForStartedUsageOrFailure() {
    assertThat(encoder.encode(new StreamEvent.Started("u", "m"))).isEmpty();
    assertThat(encoder.encode(new StreamEvent.UsageReported(Usage.ZERO))).isEmpty();
    assertThat(
            encoder.encode(
                new StreamEvent.Failed(GatewayError.of(FailureClass.UPSTREAM_TRANSIENT, "x"))))
        .isEmpty();
  }

  @Test
  void writesNoChunkForEmptyText() {
    assertThat(encoder.encode(new StreamEvent.TextDelta(""))).isEmpty();
  }

  @Test
  void writesTheUsageChunkWithEmptyChoices() {
    String chunk =
        ApiJson.string(
            encoder.usageChunk(
                OpenAiChatCodec.toApiUsage(new Usage(10, 5, 2, 4, 0, false), null, null)));

    assertThat(chunk)
        .isEqualTo(
            HEAD
                + "\"choices\":[],\"usage\":{\"prompt_tokens\":10,\"completion_tokens\":5,"
                + "\"total_tokens\":15,\"prompt_tokens_details\":{\"cached_tokens\":4,"
                + "\"cache_write_tokens\":0,\"audio_tokens\":0,\"video_tokens\":0},"
                + "\"completion_tokens_details\":{\"reasoning_tokens\":2,\"image_tokens\":0,"
                + "\"audio_tokens\":0}}}");
  }

  @Test
  void writesTheErrorChunkOfChecklist47() throws Exception {
    ChatCompletionChunk chunk =
        encoder.errorChunk(
            new ErrorBody(429, "Rate limit exceeded", Map.of("error_type", "rate_limit_exceeded")));

    assertThat(ApiJson.tree(ApiJson.string(chunk)))
        .isEqualTo(
            ApiJson.tree(
                HEAD
                    + "\"error\":{\"code\":429,\"message\":\"Rate limit exceeded\","
                    + "\"metadata\":{\"error_type\":\"rate_limit_exceeded\"}},"
                    + "\"choices\":[{\"index\":0,\"delta\":{\"content\":\"\"},"
                    + "\"finish_reason\":\"error\",\"native_finish_reason\":null,"
                    + "\"logprobs\":null}]}"));
    assertThat(chunk.error().code()).isEqualTo(429);
  }

  @Test
  void attachesLogprobsToTheTextChunkThatFollowsThem() throws Exception {
    encoder.encode(new StreamEvent.Logprobs(ApiJson.tree("{\"content\":[{\"token\":\"a\"}]}")));

    String withLogprobs = only(new StreamEvent.TextDelta("a"));
    String without = only(new StreamEvent.TextDelta("b"));

    assertThat(withLogprobs).contains("\"logprobs\":{\"content\":[{\"token\":\"a\"}]}");
    assertThat(without).contains("\"logprobs\":null");
  }

  @Test
  void writesReasoningWithItsDetailAsAOneItemArray() throws Exception {
    String chunk =
        only(
            new StreamEvent.ReasoningDelta(
                "hmm", ApiJson.tree("{\"type\":\"reasoning.text\",\"text\":\"hmm\"}")));

    assertThat(chunk)
        .contains(
            "\"delta\":{\"role\":\"assistant\",\"reasoning\":\"hmm\",\"reasoning_details\":"
                + "[{\"type\":\"reasoning.text\",\"text\":\"hmm\"}]}");
  }

  @Test
  void dropsReasoningWhenTheCallerExcludedIt() {
    OpenAiChunkEncoder excluding = new OpenAiChunkEncoder("g", "m", "P", 1, false);

    assertThat(excluding.encode(new StreamEvent.ReasoningDelta("secret", null))).isEmpty();
  }

  @Test
  void writesAnnotationsInADelta() throws Exception {
    assertThat(
            only(
                new StreamEvent.Annotations(
                    ApiJson.tree(
                        "[{\"type\":\"url_citation\",\"url_citation\":{\"url\":\"u\"}}]"))))
        .contains("\"annotations\":[{\"type\":\"url_citation\"");
  }
}
