package dev.switchboard.core.openai;

import static dev.switchboard.core.openai.OpenAiChatCodecValidationTest.body;
import static dev.switchboard.core.openai.OpenAiChatCodecValidationTest.parse;
import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.api.chat.ChatCompletion;
import dev.switchboard.api.json.ApiJson;
import dev.switchboard.core.model.ContentPart;
import dev.switchboard.core.model.FinishReason;
import dev.switchboard.core.model.LlmRequest;
import dev.switchboard.core.model.LlmResponse;
import dev.switchboard.core.model.Message;
import dev.switchboard.core.model.ToolCall;
import dev.switchboard.core.model.ToolChoice;
import dev.switchboard.core.model.Usage;
import java.math.BigDecimal;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How {@link OpenAiChatCodec} maps valid requests and builds responses. */
class OpenAiChatCodecConversionTest {

  @Test
  void turnsAPromptIntoOneUserMessage() {
    LlmRequest request = parse("{\"model\":\"m\",\"prompt\":\"Once upon\"}");

    assertThat(request.messages())
        .containsExactly(new Message.User(List.of(ContentPart.Text.of("Once upon")), null));
  }

  @Test
  void turnsStringContentIntoOneTextPart() {
    LlmRequest request = parse(body(""));

    assertThat(request.messages().get(0).content()).containsExactly(ContentPart.Text.of("hi"));
  }

  @Test
  void mapsContentPartsToTheirTypesAndKeepsUnknownPartsRaw() {
    LlmRequest request =
        parse(
            "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":["
                + "{\"type\":\"text\",\"text\":\"a\",\"cache_control\":{\"type\":\"ephemeral\"}},"
                + "{\"type\":\"image_url\",\"image_url\":{\"url\":\"u\",\"detail\":\"low\"}},"
                + "{\"type\":\"input_audio\",\"input_audio\":{\"data\":\"d\",\"format\":\"wav\"}},"
                + "{\"type\":\"input_video\",\"video_url\":{\"url\":\"v\"}},"
                + "{\"type\":\"file\",\"file\":{\"filename\":\"f.pdf\",\"file_data\":\"data:x\"}},"
                + "{\"type\":\"hologram\",\"beam\":1}]}]}");

    List<ContentPart> parts = request.messages().get(0).content();
    assertThat(parts.get(0)).isInstanceOf(ContentPart.Text.class);
    assertThat(((ContentPart.Text) parts.get(0)).cacheControl()).isNotNull();
    assertThat(parts.get(1)).isEqualTo(new ContentPart.Image("u", "low"));
    assertThat(parts.get(2)).isEqualTo(new ContentPart.Audio("d", "wav"));
    assertThat(parts.get(3)).isEqualTo(new ContentPart.Video("v"));
    assertThat(parts.get(4)).isEqualTo(new ContentPart.File("f.pdf", "data:x", null));
    assertThat(parts.get(5)).isInstanceOf(ContentPart.Unknown.class);
    assertThat(((ContentPart.Unknown) parts.get(5)).raw().get("beam").asInt()).isEqualTo(1);
  }

  @Test
  void keepsAssistantToolCallsReasoningAliasAndDetailsUnchanged() {
    LlmRequest request =
        parse(
            "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"q\"},"
                + "{\"role\":\"assistant\",\"content\":null,\"reasoning_content\":\"think\","
                + "\"reasoning_details\":[{\"type\":\"reasoning.encrypted\",\"data\":\"xyz\"}],"
                + "\"tool_calls\":[{\"id\":\"c1\",\"type\":\"function\","
                + "\"function\":{\"name\":\"f\",\"arguments\":\"{\\\"a\\\":1}\"}}]}]}");

    Message.Assistant assistant = (Message.Assistant) request.messages().get(1);
    assertThat(assistant.content()).isEmpty();
    assertThat(assistant.reasoning()).isEqualTo("think");
    assertThat(assistant.reasoningDetails().get(0).get("data").asText()).isEqualTo("xyz");
    assertThat(assistant.toolCalls()).containsExactly(new ToolCall("c1", "f", "{\"a\":1}"));
  }

  @Test
  void prefersMaxCompletionTokensOverMaxTokens() {
    LlmRequest request = parse(body("\"max_tokens\":50,\"max_completion_tokens\":1000"));

    assertThat(request.sampling().maxTokens()).isEqualTo(1000);
  }

  @Test
  void leavesUnsetSamplingFieldsNull() {
    LlmRequest request = parse(body(""));

    assertThat(request.sampling().temperature()).isNull();
    assertThat(request.sampling().topP()).isNull();
    assertThat(request.sampling().maxTokens()).isNull();
    assertThat(request.sampling().stop()).isNull();
    assertThat(request.reasoning()).isNull();
  }

  @Test
  void keepsDecimalsExactlyAsSent() {
    LlmRequest request = parse(body("\"temperature\":0.70"));

    assertThat(request.sampling().temperature()).isEqualTo(new BigDecimal("0.70"));
  }

  @Test
  void turnsAStopStringIntoAOneItemList() {
    assertThat(parse(body("\"stop\":\"END\"")).sampling().stop()).containsExactly("END");
  }

  @Test
  void treatsIncludeReasoningFalseAsExclude() {
    LlmRequest request = parse(body("\"include_reasoning\":false"));

    assertThat(request.reasoning().exclude()).isTrue();
  }

  @Test
  void fillsReasoningEffortFromTheShorthand() {
    LlmRequest request = parse(body("\"reasoning_effort\":\"low\""));

    assertThat(request.reasoning().effort()).isEqualTo("low");
    assertThat(request.reasoning().exclude()).isFalse();
  }

  @Test
  void acceptsEqualReasoningEffortsGivenTwice() {
    LlmRequest request =
        parse(
            body(
                "\"reasoning_effort\":\"high\",\"reasoning\":{\"effort\":\"high\",\"max_tokens\":9}"));

    assertThat(request.reasoning().effort()).isEqualTo("high");
    assertThat(request.reasoning().maxTokens()).isEqualTo(9);
  }

  @Test
  void mapsToolChoiceForms() {
    String tools = "\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"f\"}}],";

    assertThat(parse(body(tools + "\"tool_choice\":\"auto\"")).toolChoice())
        .isEqualTo(ToolChoice.AUTO);
    assertThat(parse(body(tools + "\"tool_choice\":\"required\"")).toolChoice())
        .isEqualTo(ToolChoice.REQUIRED);
    assertThat(
            parse(
                    body(
                        tools
                            + "\"tool_choice\":{\"type\":\"function\",\"function\":{\"name\":\"f\"}}"))
                .toolChoice())
        .isEqualTo(ToolChoice.function("f"));
  }

  @Test
  void keepsOpenRouterRoutingFieldsForTheGateway() {
    LlmRequest request =
        parse(
            body(
                "\"provider\":{\"order\":[\"A\"]},\"plugins\":[{\"id\":\"web\"}],"
                    + "\"session_id\":\"s\",\"user\":\"u\",\"stream\":true"));

    // parsed once, typed: provider slugs compare case-insensitively, so they are kept lower case
    assertThat(request.provider().order()).containsExactly("a");
    assertThat(request.plugins().get(0).get("id").asText()).isEqualTo("web");
    assertThat(request.sessionId()).isEqualTo("s");
    assertThat(request.user()).isEqualTo("u");
    assertThat(request.stream()).isTrue();
    assertThat(request.vendorFields()).isEmpty();
  }

  @Test
  void buildsACompletionWithOpenRouterNullsAndNoEmptyOptionalFields() throws Exception {
    LlmResponse response =
        new LlmResponse(
            "up-1",
            "gpt-4o",
            "Hello",
            null,
            null,
            null,
            List.of(),
            FinishReason.STOP,
            "stop",
            new Usage(3, 2, 0, 0, 0, false),
            null,
            null,
            null,
            null);

    ChatCompletion completion =
        OpenAiChatCodec.toCompletion(
            response,
            "gen-1",
            "openai/gpt-4o",
            "OpenAI",
            42,
            OpenAiChatCodec.toApiUsage(response.usage(), new BigDecimal("0.00001"), false));

    assertThat(ApiJson.tree(ApiJson.string(completion)))
        .isEqualTo(
            ApiJson.tree(
                """
                {"id":"gen-1","provider":"OpenAI","model":"openai/gpt-4o","object":"chat.completion",
                 "created":42,"choices":[{"index":0,"logprobs":null,"finish_reason":"stop",
                 "native_finish_reason":"stop","message":{"role":"assistant","content":"Hello",
                 "refusal":null,"reasoning":null}}],"system_fingerprint":null,
                 "usage":{"prompt_tokens":3,"completion_tokens":2,"total_tokens":5,"cost":0.00001,
                 "is_byok":false,"prompt_tokens_details":{"cached_tokens":0,"cache_write_tokens":0,
                 "audio_tokens":0,"video_tokens":0},"completion_tokens_details":
                 {"reasoning_tokens":0,"image_tokens":0,"audio_tokens":0}}}"""));
  }

  @Test
  void writesToolCallsWithTypeFunctionAndReasoningDetailsOnlyWhenPresent() throws Exception {
    LlmResponse response =
        new LlmResponse(
            "up-1",
            "m",
            null,
            null,
            "why",
            ApiJson.tree("[{\"type\":\"reasoning.text\"}]"),
            List.of(new ToolCall("c1", "f", "{}")),
            FinishReason.TOOL_CALLS,
            "tool_use",
            Usage.ZERO,
            null,
            "fp",
            null,
            null);

    ChatCompletion.ResponseMessage message =
        OpenAiChatCodec.toCompletion(response, "g", "m", "P", 1, null).choices().get(0).message();
    ChatCompletion.ResponseMessage hidden =
        OpenAiChatCodec.toCompletion(response, "g", "m", "P", 1, null, false)
            .choices()
            .get(0)
            .message();

    assertThat(message.toolCalls().get(0).type()).isEqualTo("function");
    assertThat(message.reasoning()).isEqualTo("why");
    assertThat(message.reasoningDetails()).isNotNull();
    assertThat(hidden.reasoning()).isNull();
    assertThat(hidden.reasoningDetails()).isNull();
  }
}
