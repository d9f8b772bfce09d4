package dev.switchboard.simulator.dialect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.simulator.behavior.Ids;
import dev.switchboard.simulator.behavior.Prompt;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class GeminiDialectTest {

  private final GeminiDialect dialect = new GeminiDialect(new Ids(42));

  private Prompt parse(String modelAction, String alt, String body) throws DialectException {
    return dialect.at(modelAction, alt).parse(body.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void readsTheModelAndMethodFromThePath() throws Exception {
    String body = "{\"contents\":[{\"parts\":[{\"text\":\"hi\"}]}]}";
    Prompt plain = parse("gemini-2.5-pro:generateContent", null, body);
    assertThat(plain.model()).isEqualTo("gemini-2.5-pro");
    assertThat(plain.stream()).isFalse();
    assertThat(plain.includeUsage()).isTrue();
    assertThat(parse("gemini-2.5-pro:streamGenerateContent", "sse", body).stream()).isTrue();
    assertThatThrownBy(() -> parse("gemini-2.5-pro", null, body))
        .isInstanceOfSatisfying(DialectException.class, e -> assertThat(e.status()).isEqualTo(404));
  }

  @Test
  void mapsRolesSystemInstructionToolsAndThinking() throws Exception {
    Prompt prompt =
        parse(
            "gemini-2.0-flash:generateContent",
            null,
            "{\"systemInstruction\":{\"parts\":[{\"text\":\"Be brief.\"}]},"
                + "\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":\"a\"}]},"
                + "{\"role\":\"model\",\"parts\":[{\"text\":\"t\",\"thought\":true},"
                + "{\"functionCall\":{\"name\":\"f\",\"args\":{\"x\":1}}}]},"
                + "{\"role\":\"user\",\"parts\":[{\"functionResponse\":{\"name\":\"f\","
                + "\"response\":{\"output\":\"42\"}}}]}],"
                + "\"tools\":[{\"functionDeclarations\":[{\"name\":\"f\",\"parameters\":"
                + "{\"type\":\"OBJECT\",\"properties\":{\"x\":{\"type\":\"INTEGER\"}}}}]}],"
                + "\"toolConfig\":{\"functionCallingConfig\":{\"mode\":\"NONE\"}},"
                + "\"generationConfig\":{\"stopSequences\":[\"END\"],"
                + "\"thinkingConfig\":{\"includeThoughts\":true}}}");
    assertThat(prompt.turns())
        .extracting(Prompt.Turn::role)
        .containsExactly(
            Prompt.Role.SYSTEM, Prompt.Role.USER, Prompt.Role.ASSISTANT, Prompt.Role.TOOL);
    assertThat(prompt.turns().get(2).text()).isEqualTo("{\"x\":1}");
    assertThat(prompt.turns().get(3).text()).isEqualTo("42");
    assertThat(prompt.tools().getFirst().parameters().toString())
        .isEqualTo("{\"type\":\"object\",\"properties\":{\"x\":{\"type\":\"integer\"}}}");
    assertThat(prompt.toolChoice()).isInstanceOf(Prompt.ToolChoice.None.class);
    assertThat(prompt.stop()).containsExactly("END");
    assertThat(prompt.reasoning()).isTrue();
  }

  @Test
  void writesErrorBodiesInGooglesShape() {
    assertThat(dialect.errorBody(503))
        .isEqualTo(
            "{\"error\": {\"code\": 503,\"message\": \"The model is overloaded. Please try again"
                + " later.\",\"status\": \"UNAVAILABLE\"}}");
    assertThat(dialect.errorBody(418)).contains("\"code\": 418", "Simulated HTTP 418 error.");
    assertThat(dialect.notFoundBody("POST", "/x")).contains("\"status\": \"NOT_FOUND\"");
  }
}
