package dev.switchboard.server.inbound;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.core.error.GatewayException;
import dev.switchboard.core.model.ContentPart;
import dev.switchboard.core.model.LlmRequest;
import dev.switchboard.core.model.Message;
import dev.switchboard.core.model.ToolChoice;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** An Anthropic Messages body to the canonical request, and what is refused by name. */
class MessagesRequestReaderTest {

  private static LlmRequest read(String json) {
    return read(json, Map.of());
  }

  private static LlmRequest read(String json, Map<String, String> headers) {
    return MessagesRequestReader.read(json.getBytes(StandardCharsets.UTF_8), headers::get);
  }

  private static String refusal(String json) {
    return refusal(json, Map.of());
  }

  private static String refusal(String json, Map<String, String> headers) {
    try {
      read(json, headers);
    } catch (GatewayException e) {
      assertThat(e.error().httpStatus()).isEqualTo(400);
      return e.error().message();
    }
    throw new AssertionError("accepted: " + json);
  }

  @Test
  void readsAFullConversation() {
    LlmRequest r =
        read(
            """
            {"model":"anthropic/claude-sonnet-4","max_tokens":100,
             "system":[{"type":"text","text":"Be brief.","cache_control":{"type":"ephemeral"}}],
             "messages":[
              {"role":"user","content":[
                 {"type":"image","source":{"type":"base64","media_type":"image/png","data":"AAA"},
                  "cache_control":{"type":"ephemeral","ttl":"1h"}},
                 {"type":"document","title":"a.pdf","source":{"type":"base64","media_type":"application/pdf","data":"JVB"}},
                 {"type":"text","text":"Weather?"}]},
              {"role":"assistant","content":[
                 {"type":"thinking","thinking":"hm","signature":"sig"},
                 {"type":"redacted_thinking","data":"opaque"},
                 {"type":"tool_use","id":"toolu_1","name":"get_weather","input":{"city":"Paris"}}]},
              {"role":"user","content":[
                 {"type":"tool_result","tool_use_id":"toolu_1","content":"sunny","is_error":false},
                 {"type":"text","text":"Thanks"}]}],
             "tools":[{"name":"get_weather","input_schema":{"type":"object"}}],
             "tool_choice":{"type":"any","disable_parallel_tool_use":true},
             "thinking":{"type":"enabled","budget_tokens":2048},
             "stop_sequences":["END"],"temperature":0.5,"top_k":5,
             "metadata":{"user_id":"u-1"},"cache_control":{"type":"ephemeral"},
             "fallbacks":[{"model":"openai/gpt-5.2"}],"session_id":"s-1","stream":true}
            """);
    assertThat(r.model()).isEqualTo("anthropic/claude-sonnet-4");
    assertThat(r.fallbackModels()).containsExactly("openai/gpt-5.2");
    assertThat(r.stream()).isTrue();
    assertThat(r.user()).isEqualTo("u-1");
    assertThat(r.sessionId()).isEqualTo("s-1");
    assertThat(r.sampling().maxTokens()).isEqualTo(100);
    assertThat(r.sampling().stop()).containsExactly("END");
    assertThat(r.sampling().topK()).isEqualTo(5);
    assertThat(r.reasoning().maxTokens()).isEqualTo(2048);
    assertThat(r.toolChoice()).isEqualTo(ToolChoice.REQUIRED);
    assertThat(r.parallelToolCalls()).isFalse();
    assertThat(r.vendorFields()).containsKey("cache_control");

    assertThat(r.messages()).hasSize(5);
    Message.System system = (Message.System) r.messages().get(0);
    assertThat(((ContentPart.Text) system.content().getFirst()).cacheControl()).isNotNull();
    Message.User user = (Message.User) r.messages().get(1);
    ContentPart.Image image = (ContentPart.Image) user.content().get(0);
    assertThat(image.url()).isEqualTo("data:image/png;base64,AAA");
    assertThat(image.cacheControl().path("ttl").asText()).isEqualTo("1h");
    ContentPart.File pdf = (ContentPart.File) user.content().get(1);
    assertThat(pdf.filename()).isEqualTo("a.pdf");
    assertThat(pdf.fileData()).isEqualTo("data:application/pdf;base64,JVB");
    Message.Assistant assistant = (Message.Assistant) r.messages().get(2);
    assertThat(assistant.toolCalls().getFirst().arguments()).isEqualTo("{\"city\":\"Paris\"}");
    assertThat(assistant.reasoningDetails().get(0).path("signature").asText()).isEqualTo("sig");
    assertThat(assistant.reasoningDetails().get(0).path("format").asText())
        .isEqualTo("anthropic-claude-v1");
    assertThat(assistant.reasoningDetails().get(1).path("type").asText())
        .isEqualTo("reasoning.encrypted");
    Message.Tool tool = (Message.Tool) r.messages().get(3);
    assertThat(tool.toolCallId()).isEqualTo("toolu_1");
    assertThat(tool.isError()).isFalse();
    assertThat(Message.text(r.messages().get(4))).isEqualTo("Thanks");
  }

  @Test
  void refusesWhatItCannotHonourByName() {
    String base = "\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]";
    assertThat(refusal("{" + base + ",\"container\":\"c\"}")).contains("\"container\"");
    assertThat(refusal("{" + base + ",\"context_management\":{}}"))
        .contains("\"context_management\"");
    assertThat(
            refusal("{" + base + ",\"tools\":[{\"type\":\"web_search_20250305\",\"name\":\"w\"}]}"))
        .contains("tools[0].type");
    assertThat(refusal("{" + base + ",\"thinking\":{\"type\":\"enabled\",\"budget_tokens\":10}}"))
        .contains("budget_tokens");
    assertThat(refusal("{" + base + ",\"models\":[\"a\"],\"fallbacks\":[{\"model\":\"b\"}]}"))
        .contains("\"fallbacks\" and \"models\"");
    assertThat(
            refusal(
                "{"
                    + base
                    + ",\"fallbacks\":[{\"model\":\"a\"},{\"model\":\"b\"},{\"model\":\"c\"},{\"model\":\"d\"}]}"))
        .contains("3 items or fewer");
    assertThat(refusal("{" + base + ",\"fallbacks\":[{\"model\":\"a\",\"x\":1}]}"))
        .contains("fallbacks[0].x");
    assertThat(refusal("{" + base + ",\"metadata\":{\"tenant\":\"t\"}}"))
        .contains("metadata.tenant");
    assertThat(
            refusal(
                "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"text\","
                    + "\"text\":\"a\",\"citations\":[]}]}]}"))
        .contains("messages[0].content[0].citations");
    assertThat(
            refusal(
                "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"},"
                    + "{\"role\":\"assistant\",\"content\":[{\"type\":\"tool_use\",\"id\":\"t\","
                    + "\"name\":\"f\",\"input\":{},\"cache_control\":{\"type\":\"ephemeral\"}}]}]}"))
        .contains("messages[1].content[0].cache_control");
    assertThat(refusal("{" + base + "}", Map.of("anthropic-beta", "computer-use-2025-01-24")))
        .contains("computer-use-2025-01-24");
    assertThat(refusal("{" + base + "}", Map.of("anthropic-version", "latest")))
        .contains("anthropic-version");
  }

  @Test
  void acceptsTheDocumentedHeadersAndAStringSystem() {
    LlmRequest r =
        read(
            "{\"model\":\"m\",\"system\":\"Be brief.\",\"messages\":[{\"role\":\"user\","
                + "\"content\":\"hi\"}]}",
            Map.of(
                "anthropic-version", "2023-06-01",
                "anthropic-beta", "prompt-caching-2024-07-31, interleaved-thinking-2025-05-14"));
    assertThat(Message.text(r.messages().getFirst())).isEqualTo("Be brief.");
    assertThat(r.messages().getFirst()).isInstanceOf(Message.System.class);
  }

  @Test
  void modelsAloneGiveTheModel() {
    LlmRequest r =
        read(
            "{\"models\":[\"a/x\",\"b/y\"],\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
    assertThat(r.modelChain()).containsExactly("a/x", "b/y");
  }
}
