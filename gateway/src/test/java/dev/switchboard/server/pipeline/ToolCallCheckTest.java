package dev.switchboard.server.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.api.json.ApiJson;
import dev.switchboard.core.model.ToolCall;
import dev.switchboard.core.model.ToolSpec;
import java.util.List;
import org.junit.jupiter.api.Test;

class ToolCallCheckTest {

  static final List<ToolSpec> TOOLS =
      List.of(
          new ToolSpec(
              "get_weather",
              null,
              schema(
                  "{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}},"
                      + "\"required\":[\"city\"]}"),
              null,
              null));

  static com.fasterxml.jackson.databind.JsonNode schema(String json) {
    try {
      return ApiJson.tree(json);
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }

  static String problem(String name, String args) {
    return ToolCallCheck.problem(new ToolCall("call_1", name, args), TOOLS);
  }

  @Test
  void aSoundCallPasses() {
    assertThat(problem("get_weather", "{\"city\":\"Paris\"}")).isNull();
    assertThat(
            ToolCallCheck.valid(
                List.of(new ToolCall("c", "get_weather", "{\"city\":\"x\"}")), TOOLS))
        .isTrue();
  }

  @Test
  void eachDefectIsFound() {
    assertThat(problem("get_weather", "{\"city\":\"Pa")).isEqualTo("invalid_json");
    assertThat(problem("get_time", "{\"city\":\"Paris\"}")).isEqualTo("unknown_name");
    assertThat(problem("get_weather", "[1]")).isEqualTo("schema");
    assertThat(problem("get_weather", "{\"city\":3}")).isEqualTo("schema");
    assertThat(problem("get_weather", "{}")).isEqualTo("schema");
  }

  @Test
  void oneBadCallMakesTheAnswerBad() {
    assertThat(
            ToolCallCheck.valid(
                List.of(
                    new ToolCall("a", "get_weather", "{\"city\":\"x\"}"),
                    new ToolCall("b", "nope", "{}")),
                TOOLS))
        .isFalse();
  }
}
