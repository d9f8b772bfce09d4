package dev.switchboard.provider.gemini;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.api.chat.ChatCompletionChunk;
import dev.switchboard.api.json.ApiJson;
import dev.switchboard.core.model.StreamEvent;
import dev.switchboard.core.openai.OpenAiChatCodec;
import dev.switchboard.core.provider.Target;
import dev.switchboard.testkit.Fixtures;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A thought signature goes to the client in {@code reasoning_details}, and when the client sends
 * the assistant turn back as it received it (merging streamed details by index, as OpenRouter's
 * clients do), it returns to Gemini on the part it came with.
 */
class SignatureRoundTripTest {

  private final GeminiAdapter adapter = new GeminiAdapter();

  @Test
  void aFunctionCallSignatureReturnsOnThatFunctionCall() throws Exception {
    String sse = "fixtures/google/stream-function-call-thought-signature.sse";
    String signature =
        ApiJson.tree(Fixtures.sseEvents(sse).getFirst().data())
            .at("/candidates/0/content/parts/0/thoughtSignature")
            .asText();
    ObjectNode assistant = assistantTurn(sse);
    String callId = assistant.at("/tool_calls/0/id").asText();
    ObjectNode tool = ApiJson.object();
    tool.put("role", "tool");
    tool.put("tool_call_id", callId);
    tool.put("content", "{\"country\":\"France\"}");

    JsonNode body = resend(assistant, tool, TestTargets.of("gemini-3-pro-preview"));
    JsonNode model = body.at("/contents/1");
    assertThat(model.get("role").asText()).isEqualTo("model");
    assertThat(model.at("/parts/0/functionCall/name").asText()).isEqualTo("get_country");
    assertThat(model.at("/parts/0/thoughtSignature").asText()).isEqualTo(signature);
    assertThat(body.at("/contents/2/parts/0/functionResponse/name").asText())
        .isEqualTo("get_country");
  }

  @Test
  void aTextSignatureReturnsOnTheFirstTextPartAndThoughtsStayBehind() throws Exception {
    String sse = "fixtures/google/stream-thinking.sse";
    ObjectNode assistant = assistantTurn(sse);
    assertThat(assistant.get("reasoning_details")).hasSize(2);
    JsonNode body = resend(assistant, null, TestTargets.of("gemini-2.5-pro"));
    JsonNode parts = body.at("/contents/1/parts");
    assertThat(parts).hasSize(1);
    assertThat(parts.at("/0/text").asText()).startsWith("This is a great question!");
    assertThat(parts.at("/0/thoughtSignature").asText()).startsWith("CiIB0e2Kb6Syj1a961Ef");
    assertThat(body.toString()).doesNotContain("Clarifying User Goals");
  }

  /** What a client assembles from the streamed chunks, as an assistant message. */
  private static ObjectNode assistantTurn(String resource) {
    Target target = TestTargets.flash3();
    List<StreamEvent> events = GeminiGoldenTest.GOLDEN.decode(target, resource);
    List<ChatCompletionChunk> chunks = GeminiGoldenTest.GOLDEN.transcript(target, events);
    ObjectNode message = ApiJson.object();
    message.put("role", "assistant");
    StringBuilder content = new StringBuilder();
    ArrayNode calls = ApiJson.nodes().arrayNode();
    ArrayNode details = ApiJson.nodes().arrayNode();
    for (ChatCompletionChunk chunk : chunks) {
      JsonNode delta = ApiJson.toTree(chunk).at("/choices/0/delta");
      content.append(delta.path("content").asText(""));
      for (JsonNode call : delta.path("tool_calls")) {
        int index = call.get("index").asInt();
        if (calls.size() <= index) {
          ObjectNode c = calls.addObject();
          c.put("id", call.get("id").asText());
          c.put("type", "function");
          c.putObject("function")
              .put("name", call.at("/function/name").asText())
              .put("arguments", "");
        }
        ObjectNode function = (ObjectNode) calls.get(index).get("function");
        function.put(
            "arguments",
            function.get("arguments").asText() + call.at("/function/arguments").asText(""));
      }
      for (JsonNode detail : delta.path("reasoning_details")) {
        merge(details, detail);
      }
    }
    message.put("content", content.toString());
    if (!calls.isEmpty()) {
      message.set("tool_calls", calls);
    }
    message.set("reasoning_details", details);
    return message;
  }

  private static void merge(ArrayNode details, JsonNode detail) {
    for (JsonNode existing : details) {
      if (existing.get("index").asInt() == detail.get("index").asInt()
          && existing.get("type").equals(detail.get("type"))) {
        ((ObjectNode) existing)
            .put("text", existing.path("text").asText() + detail.path("text").asText());
        return;
      }
    }
    details.add(detail.deepCopy());
  }

  private JsonNode resend(ObjectNode assistant, ObjectNode tool, Target target) throws Exception {
    ObjectNode request = ApiJson.object();
    request.put("model", "google/gemini-3-pro-preview");
    ArrayNode messages = request.putArray("messages");
    messages.addObject().put("role", "user").put("content", "Go");
    messages.add(assistant);
    if (tool != null) {
      messages.add(tool);
    }
    return ApiJson.tree(
        adapter.encode(OpenAiChatCodec.toCanonical(ApiJson.bytes(request)), target).body());
  }
}
