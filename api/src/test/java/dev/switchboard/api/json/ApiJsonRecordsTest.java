package dev.switchboard.api.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.api.chat.ChatCompletion;
import dev.switchboard.api.chat.ChatCompletionChunk;
import dev.switchboard.api.chat.ChatRequest;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ApiJsonRecordsTest {

  @Test
  void keepsUnknownTopLevelAndNestedFieldsOfARequestThroughARoundTrip() throws Exception {
    String json =
        """
        {"model":"m","messages":[{"role":"user","content":"hi","x_msg":1}],
         "reasoning":{"effort":"high","x_reason":true},"safe_prompt":true,"x_obj":{"a":[1,2]}}""";

    ChatRequest request = ApiJson.read(json, ChatRequest.class);

    assertThat(request.extra()).containsOnlyKeys("safe_prompt", "x_obj");
    assertThat(request.messages().get(0).extra()).containsOnlyKeys("x_msg");
    assertThat(request.reasoning().extra()).containsOnlyKeys("x_reason");
    assertThat(ApiJson.tree(ApiJson.string(request))).isEqualTo(ApiJson.tree(json));
  }

  @Test
  void bindsAClientFieldNamedExtraAsAnUnknownFieldRatherThanAsTheMapItself() throws Exception {
    ChatRequest scalar = ApiJson.read("{\"model\":\"m\",\"extra\":3}", ChatRequest.class);
    ChatRequest object =
        ApiJson.read("{\"model\":\"m\",\"extra\":{\"q\":1},\"z\":true}", ChatRequest.class);

    assertThat(scalar.extra()).containsOnlyKeys("extra");
    assertThat(object.extra()).containsOnlyKeys("extra", "z");
    assertThat(object.extra().get("extra").get("q").asInt()).isEqualTo(1);
    assertThat(ApiJson.string(scalar)).isEqualTo("{\"model\":\"m\",\"extra\":3}");
  }

  @Test
  void keepsUnknownFieldsOfUpstreamCompletionsAndChunks() throws Exception {
    ChatCompletionChunk chunk =
        ApiJson.read(
            "{\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"created\":1,\"choices\":[],"
                + "\"usage\":null,\"obfuscation\":\"abc\"}",
            ChatCompletionChunk.class);
    ChatCompletion completion =
        ApiJson.read(
            "{\"id\":\"c\",\"choices\":[],\"x_groq\":{\"id\":\"r\"}}", ChatCompletion.class);

    assertThat(chunk.extra().get("obfuscation").asText()).isEqualTo("abc");
    assertThat(ApiJson.string(chunk)).contains("\"obfuscation\":\"abc\"");
    assertThat(completion.extra()).containsOnlyKeys("x_groq");
  }

  @Test
  void recordsWithoutUnknownFieldsShareOneEmptyImmutableMap() {
    ChatCompletionChunk chunk =
        new ChatCompletionChunk(
            "g", "P", "m", "chat.completion.chunk", 1, List.of(), null, null, null, null, null);

    assertThat(chunk.extra()).isSameAs(Map.of());
    assertThatThrownBy(() -> chunk.extra().put("a", null))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void writesDecimalsPlainNeverInScientificNotation() {
    assertThat(ApiJson.string(new BigDecimal("0.00000001"))).isEqualTo("0.00000001");
    assertThat(ApiJson.string(new BigDecimal("1E+3"))).isEqualTo("1000");
  }

  @Test
  void readsFloatsAsExactDecimals() throws Exception {
    JsonNode node = ApiJson.tree("{\"cost\":0.0076509169000000005}");

    assertThat(node.get("cost").decimalValue()).isEqualByComparingTo("0.0076509169000000005");
  }

  @Test
  void writesTheNullableFieldsOpenRouterAlwaysSends() {
    ChatCompletion completion =
        new ChatCompletion(
            "gen-1",
            "OpenAI",
            "openai/gpt-4o",
            "chat.completion",
            1,
            List.of(
                new ChatCompletion.Choice(
                    0,
                    null,
                    "stop",
                    null,
                    new ChatCompletion.ResponseMessage(
                        "assistant", "hi", null, null, null, null, null, null, null, null),
                    null)),
            null,
            null,
            null,
            null);

    String json = ApiJson.string(completion);

    assertThat(json)
        .contains("\"system_fingerprint\":null")
        .contains("\"logprobs\":null")
        .contains("\"native_finish_reason\":null")
        .contains("\"refusal\":null")
        .contains("\"reasoning\":null")
        .doesNotContain("reasoning_details")
        .doesNotContain("tool_calls");
  }
}
