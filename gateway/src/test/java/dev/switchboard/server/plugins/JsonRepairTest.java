package dev.switchboard.server.plugins;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.api.json.ApiJson;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class JsonRepairTest {

  @Test
  void closesTheChecklistExample() {
    // Checklist 101.
    assertThat(ApiJson.string(JsonRepair.parse("{\"name\":\"Alice\",\"age\":30")))
        .isEqualTo("{\"name\":\"Alice\",\"age\":30}");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "Here you go: {\"a\":[1,2,]} hope it helps|{\"a\":[1,2]}",
        "{a: 1, 'b': 'x'}|{\"a\":1,\"b\":\"x\"}",
        "{\"a\":{\"b\":[1,{\"c\":\"unterminated|{\"a\":{\"b\":[1,{\"c\":\"unterminated\"}]}}",
        "{\"a\":1,\"b\"|{\"a\":1}",
        "{\"a\":1,\"b\":|{\"a\":1}",
        "[1,2|[1,2]",
      })
  void repairs(String broken, String expected) {
    assertThat(ApiJson.string(JsonRepair.parse(broken))).isEqualTo(expected);
  }

  @Test
  void dropsMarkdownFences() {
    assertThat(ApiJson.string(JsonRepair.parse("```json\n{\"a\":1,}\n```"))).isEqualTo("{\"a\":1}");
  }

  @Test
  void leavesWhatHasNoJsonAlone() {
    assertThat(JsonRepair.parse("no json here")).isNull();
    assertThat(JsonRepair.parse(null)).isNull();
  }
}
