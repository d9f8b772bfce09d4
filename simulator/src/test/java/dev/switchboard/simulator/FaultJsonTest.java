package dev.switchboard.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.api.json.ApiJson;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FaultJsonTest {

  @Test
  void readsEveryKindWithDefaults() {
    assertThat(FaultJson.parse("{\"kind\":\"status\",\"status\":503}"))
        .isEqualTo(new Fault.Status(503, null, Map.of(), Fault.UNTIL_CLEARED));
    assertThat(FaultJson.parse("{\"kind\":\"timeout\"}")).isEqualTo(Fault.timeout());
    assertThat(FaultJson.parse("{\"kind\":\"cut\"}")).isEqualTo(Fault.cut(2));
    assertThat(FaultJson.parse("{\"kind\":\"malformed\",\"after_chunks\":5,\"count\":1}"))
        .isEqualTo(Fault.malformed(5).times(1));
    assertThat(FaultJson.parse("{\"kind\":\"error_event\",\"style\":\"data\"}"))
        .isEqualTo(Fault.errorEvent(2).withStyle(Fault.ErrorStyle.DATA));
    assertThat(FaultJson.parse("{\"kind\":\"partial\",\"after_chunks\":4}"))
        .isEqualTo(Fault.partial(4));
    assertThat(FaultJson.parse("{\"kind\":\"bad_tool_calls\",\"defect\":\"unknown_name\"}"))
        .isEqualTo(Fault.badToolCalls(Fault.ToolCallDefect.UNKNOWN_NAME));
    assertThat(FaultJson.parse("{\"kind\":\"bad_tool_calls\"}"))
        .isEqualTo(Fault.badToolCalls(Fault.ToolCallDefect.INVALID_JSON));
    assertThat(FaultJson.parse(ApiJson.string(FaultJson.toJson(Fault.partial(3).times(2)))))
        .isEqualTo(Fault.partial(3).times(2));
  }

  @Test
  void keepsAnObjectBodyAsJsonTextAndAStringBodyAsIs() {
    Fault.Status json =
        (Fault.Status)
            FaultJson.parse("{\"kind\":\"status\",\"status\":400,\"body\":{\"error\":{\"a\":1}}}");
    Fault.Status text =
        (Fault.Status) FaultJson.parse("{\"kind\":\"status\",\"status\":502,\"body\":\"<html>\"}");

    assertThat(json.body()).isEqualTo("{\"error\":{\"a\":1}}");
    assertThat(text.body()).isEqualTo("<html>");
  }

  @Test
  void readsAnArrayAsAScript() {
    List<Fault> script =
        FaultJson.parseList(
            "[{\"kind\":\"status\",\"status\":429,\"count\":2},{\"kind\":\"cut\"}]");

    assertThat(script).hasSize(2);
    assertThat(script.getFirst().count()).isEqualTo(2);
  }

  @Test
  void writesWhatItReads() {
    Fault fault =
        Fault.status(429).withHeader("Retry-After", "3").withBody("{\"error\":{}}").times(4);

    String json = ApiJson.string(FaultJson.toJson(fault));

    assertThat(FaultJson.parse(json)).isEqualTo(fault);
    assertThat(json).contains("\"body\":{\"error\":{}}");
  }

  @Test
  void explainsWhatIsWrong() {
    assertThatThrownBy(() -> FaultJson.parse("{\"kind\":\"status\"}"))
        .hasMessageContaining("numeric \"status\"");
    assertThatThrownBy(() -> FaultJson.parse("{\"kind\":\"nope\"}"))
        .hasMessageContaining("unknown fault kind 'nope'");
    assertThatThrownBy(() -> FaultJson.parse("{\"kind\":\"cut\",\"after_chunks\":-1}"))
        .hasMessageContaining("afterChunks");
    assertThatThrownBy(() -> FaultJson.parse("not json")).hasMessageContaining("not valid JSON");
    assertThatThrownBy(() -> FaultJson.parse("{\"kind\":\"error_event\",\"style\":\"x\"}"))
        .hasMessageContaining("style 'x'");
  }
}
