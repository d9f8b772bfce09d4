package dev.switchboard.core.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.core.error.FailureClass;
import dev.switchboard.core.error.GatewayException;
import dev.switchboard.core.model.LlmRequest;
import java.nio.charset.StandardCharsets;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;

/** One test per validation rule of {@link OpenAiChatCodec}: each a 400 naming the field. */
class OpenAiChatCodecValidationTest {

  private static final String USER = "{\"role\":\"user\",\"content\":\"hi\"}";

  static LlmRequest parse(String json) {
    return OpenAiChatCodec.toCanonical(json.getBytes(StandardCharsets.UTF_8));
  }

  static AbstractThrowableAssert<?, ? extends Throwable> rejects(String json, String message) {
    return assertThatThrownBy(() -> parse(json))
        .isInstanceOfSatisfying(
            GatewayException.class,
            e -> {
              assertThat(e.error().kind()).isEqualTo(FailureClass.INVALID_REQUEST);
              assertThat(e.error().httpStatus()).isEqualTo(400);
            })
        .hasMessage(message);
  }

  static String body(String fields) {
    return "{\"model\":\"m\",\"messages\":["
        + USER
        + "]"
        + (fields.isEmpty() ? "" : "," + fields)
        + "}";
  }

  @Test
  void rejectsABodyThatIsNotJson() {
    assertThatThrownBy(() -> parse("{\"model\":"))
        .isInstanceOf(GatewayException.class)
        .hasMessageStartingWith("Request body is not valid JSON");
  }

  @Test
  void rejectsABodyThatIsNotAnObject() {
    rejects("[1,2]", "Request body must be a JSON object");
  }

  @Test
  void rejectsAMissingModel() {
    rejects("{\"messages\":[" + USER + "]}", "\"model\" is required");
  }

  @Test
  void takesTheFirstFallbackAsModelWhenOnlyModelsIsGiven() {
    LlmRequest request = parse("{\"models\":[\"a/x\",\"b/y\"],\"messages\":[" + USER + "]}");

    assertThat(request.model()).isEqualTo("a/x");
    assertThat(request.modelChain()).containsExactly("a/x", "b/y");
  }

  @Test
  void rejectsMissingMessagesWithoutPrompt() {
    rejects(
        "{\"model\":\"m\"}",
        "\"messages\" is required and must contain at least one message (or give \"prompt\")");
  }

  @Test
  void rejectsEmptyMessages() {
    rejects(
        "{\"model\":\"m\",\"messages\":[]}",
        "\"messages\" is required and must contain at least one message (or give \"prompt\")");
  }

  @Test
  void rejectsMessagesThatAreNotAnArray() {
    rejects("{\"model\":\"m\",\"messages\":\"hi\"}", "\"messages\" must be an array");
  }

  @Test
  void rejectsAMessageThatIsNotAnObject() {
    rejects("{\"model\":\"m\",\"messages\":[\"hi\"]}", "\"messages[0]\" must be an object");
  }

  @Test
  void rejectsAMessageWithoutRole() {
    rejects(
        "{\"model\":\"m\",\"messages\":[{\"content\":\"hi\"}]}",
        "\"messages[0].role\" is required");
  }

  @Test
  void rejectsAMessageWithAnUnknownRole() {
    rejects(
        "{\"model\":\"m\",\"messages\":[" + USER + ",{\"role\":\"robot\",\"content\":\"x\"}]}",
        "\"messages[1].role\" must be one of \"system\", \"developer\", \"user\", \"assistant\","
            + " \"tool\"");
  }

  @Test
  void rejectsAToolMessageWithoutToolCallId() {
    rejects(
        "{\"model\":\"m\",\"messages\":[" + USER + ",{\"role\":\"tool\",\"content\":\"x\"}]}",
        "\"messages[1].tool_call_id\" is required for role \"tool\"");
  }

  @Test
  void rejectsContentOfAWrongType() {
    rejects(
        "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":42}]}",
        "\"messages[0].content\" must be a string or an array of content parts");
  }

  @Test
  void rejectsAContentPartWithoutType() {
    rejects(
        "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":[{\"text\":\"x\"}]}]}",
        "\"messages[0].content[0]\" must be an object with a string \"type\"");
  }

  @Test
  void rejectsATextPartWithoutText() {
    rejects(
        "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"text\"}]}]}",
        "\"messages[0].content[0].text\" must be a string");
  }

  @Test
  void rejectsAnImagePartWithoutUrl() {
    rejects(
        "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":"
            + "[{\"type\":\"image_url\",\"image_url\":{}}]}]}",
        "\"messages[0].content[0].image_url.url\" is required");
  }

  @Test
  void rejectsAUserMessageWithNullContent() {
    rejects(
        "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":null}]}",
        "\"messages[0].content\" is required");
  }

  @Test
  void rejectsToolCallsThatAreNotAnArray() {
    rejects(
        "{\"model\":\"m\",\"messages\":[{\"role\":\"assistant\",\"tool_calls\":5}]}",
        "\"messages[0].tool_calls\" must be an array");
  }

  @Test
  void rejectsMoreThanFourStopSequences() {
    rejects(
        body("\"stop\":[\"a\",\"b\",\"c\",\"d\",\"e\"]"), "\"stop\" must have 4 items or fewer");
  }

  @Test
  void rejectsStopThatIsNeitherStringNorArray() {
    rejects(body("\"stop\":7"), "\"stop\" must be a string or an array of strings");
  }

  @Test
  void rejectsAStopItemThatIsNotAString() {
    rejects(body("\"stop\":[\"a\",1]"), "\"stop[1]\" must be a string");
  }

  @Test
  void rejectsAToolWithoutFunctionName() {
    rejects(
        body("\"tools\":[{\"type\":\"function\",\"function\":{\"description\":\"x\"}}]"),
        "\"tools[0].function.name\" is required");
  }

  @Test
  void rejectsAToolNameLongerThanSixtyFourCharacters() {
    rejects(
        body(
            "\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\""
                + "a".repeat(65)
                + "\"}}]"),
        "\"tools[0].function.name\" must be at most 64 characters");
  }

  @Test
  void rejectsAToolNameWithCharactersOutsideTheAllowedSet() {
    rejects(
        body("\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"get weather!\"}}]"),
        "\"tools[0].function.name\" may only contain letters, digits, '_' and '-'");
  }

  @Test
  void acceptsAToolNameOfExactlySixtyFourAllowedCharacters() {
    String name = "Az09_-".repeat(10) + "abcd";

    LlmRequest request =
        parse(body("\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"" + name + "\"}}]"));

    assertThat(request.tools()).singleElement().extracting("name").isEqualTo(name);
  }

  @Test
  void rejectsAToolTypeThatIsNeitherAFunctionNorAServerTool() {
    rejects(
        body("\"tools\":[{\"type\":\"retrieval\"}]"),
        "\"tools[0].type\" \"retrieval\" is not supported; tools are \"function\" or the server"
            + " tools openrouter:web_search, openrouter:web_fetch, openrouter:datetime");
  }

  @Test
  void readsServerToolsAndOpenAisWebSearchShorthand() {
    var request =
        OpenAiChatCodec.toCanonical(
            body("\"tools\":[{\"type\":\"openrouter:web_search\",\"parameters\":{\"max_results\":2}},"
                    + "{\"type\":\"web_search_preview\"},{\"type\":\"openrouter:datetime\"}],"
                    + "\"tool_choice\":{\"type\":\"openrouter:datetime\"}")
                .getBytes(java.nio.charset.StandardCharsets.UTF_8));
    assertThat(request.tools())
        .extracting("name")
        .containsExactly("openrouter:web_search", "openrouter:web_search", "openrouter:datetime");
    assertThat(request.tools().getFirst().server()).isTrue();
    assertThat(request.tools().getFirst().parameters().path("max_results").asInt()).isEqualTo(2);
    assertThat(request.toolChoice().functionName()).isEqualTo("openrouter:datetime");
  }

  @Test
  void rejectsAnUnknownToolChoiceString() {
    rejects(
        body("\"tool_choice\":\"sometimes\""),
        "\"tool_choice\" must be \"none\", \"auto\", \"required\" or"
            + " {\"type\":\"function\",\"function\":{\"name\":...}}");
  }

  @Test
  void rejectsAToolChoiceNamingAnUnknownFunction() {
    rejects(
        body(
            "\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"a\"}}],"
                + "\"tool_choice\":{\"type\":\"function\",\"function\":{\"name\":\"b\"}}"),
        "\"tool_choice\" names function \"b\", which is not in \"tools\"");
  }

  @Test
  void rejectsRequiredToolChoiceWithoutTools() {
    rejects(
        body("\"tool_choice\":\"required\""),
        "\"tool_choice\" is \"required\" but no \"tools\" were given");
  }

  @Test
  void rejectsMoreThanThreeModels() {
    rejects(
        body("\"models\":[\"a\",\"b\",\"c\",\"d\"]"), "'models' array must have 3 items or fewer.");
  }

  @Test
  void rejectsASessionIdLongerThan256Characters() {
    rejects(
        body("\"session_id\":\"" + "s".repeat(257) + "\""),
        "\"session_id\" must be at most 256 characters");
  }

  @Test
  void rejectsReasoningEffortsThatDisagree() {
    rejects(
        body("\"reasoning_effort\":\"low\",\"reasoning\":{\"effort\":\"high\"}"),
        "\"reasoning_effort\" (\"low\") and \"reasoning.effort\" (\"high\") must not differ");
  }

  @Test
  void rejectsAnUnknownReasoningEffort() {
    rejects(
        body("\"reasoning_effort\":\"extreme\""),
        "\"reasoning_effort\" must be one of max, xhigh, high, medium, low, minimal, none");
  }

  @Test
  void rejectsTemperatureAboveTwo() {
    rejects(body("\"temperature\":2.01"), "\"temperature\" must be between 0 and 2");
  }

  @Test
  void rejectsNegativeTemperature() {
    rejects(body("\"temperature\":-0.1"), "\"temperature\" must be between 0 and 2");
  }

  @Test
  void rejectsTemperatureThatIsNotANumber() {
    rejects(body("\"temperature\":\"hot\""), "\"temperature\" must be a number");
  }

  @Test
  void rejectsTopPOfZero() {
    rejects(body("\"top_p\":0"), "\"top_p\" must be greater than 0 and at most 1");
  }

  @Test
  void rejectsTopPAboveOne() {
    rejects(body("\"top_p\":1.5"), "\"top_p\" must be greater than 0 and at most 1");
  }

  @Test
  void rejectsMaxTokensBelowOne() {
    rejects(body("\"max_tokens\":0"), "\"max_tokens\" must be at least 1");
  }

  @Test
  void rejectsMaxCompletionTokensBelowOne() {
    rejects(body("\"max_completion_tokens\":-5"), "\"max_completion_tokens\" must be at least 1");
  }

  @Test
  void rejectsTopLogprobsAboveTwenty() {
    rejects(body("\"top_logprobs\":21"), "\"top_logprobs\" must be between 0 and 20");
  }

  @Test
  void rejectsNegativeTopLogprobs() {
    rejects(body("\"top_logprobs\":-1"), "\"top_logprobs\" must be between 0 and 20");
  }

  @Test
  void rejectsPenaltiesOutsideMinusTwoToTwo() {
    rejects(body("\"frequency_penalty\":2.5"), "\"frequency_penalty\" must be between -2 and 2");
  }

  @Test
  void rejectsMetadataWithMoreThanSixteenPairs() {
    StringBuilder pairs = new StringBuilder();
    for (int i = 0; i < 17; i++) {
      pairs.append(i == 0 ? "" : ",").append("\"k").append(i).append("\":\"v\"");
    }
    rejects(body("\"metadata\":{" + pairs + "}"), "\"metadata\" must have 16 pairs or fewer");
  }

  @Test
  void rejectsAMetadataKeyLongerThanSixtyFourCharacters() {
    rejects(
        body("\"metadata\":{\"" + "k".repeat(65) + "\":\"v\"}"),
        "\"metadata\" keys must be at most 64 characters");
  }

  @Test
  void rejectsAMetadataValueLongerThan512Characters() {
    rejects(
        body("\"metadata\":{\"k\":\"" + "v".repeat(513) + "\"}"),
        "\"metadata.k\" must be at most 512 characters");
  }

  @Test
  void rejectsAMetadataValueThatIsNotAString() {
    rejects(body("\"metadata\":{\"k\":1}"), "\"metadata.k\" must be a string");
  }

  @Test
  void rejectsAJsonSchemaResponseFormatWithoutSchemaObject() {
    rejects(
        body("\"response_format\":{\"type\":\"json_schema\"}"),
        "\"response_format.json_schema\" is required when \"type\" is \"json_schema\"");
  }

  @Test
  void acceptsUnknownTopLevelFieldsAsVendorFields() {
    LlmRequest request = parse(body("\"safe_prompt\":true,\"x_new\":{\"a\":1},\"extra\":3"));

    assertThat(request.vendorFields()).containsOnlyKeys("safe_prompt", "x_new", "extra");
  }
}
