package dev.switchboard.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.api.json.ApiJson;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The CLI's pieces that need no gateway: activity tables, progress, tables, formats. */
class CliUnitTest {

  @Test
  void activityRowsAreSummedByDayAndByModel() throws Exception {
    JsonNode rows =
        ApiJson.tree(
            """
            [{"date":"2026-11-30","model":"openai/gpt-5.2","provider_name":"OpenAI","usage":0.5,
              "requests":2,"prompt_tokens":100,"completion_tokens":50},
             {"date":"2026-11-30","model":"openai/gpt-5.2","provider_name":"Azure","usage":0.25,
              "requests":1,"prompt_tokens":10,"completion_tokens":5},
             {"date":"2026-12-01","model":"anthropic/claude-sonnet-4","provider_name":"Anthropic",
              "usage":1.125,"requests":3,"prompt_tokens":1000,"completion_tokens":2000}]
            """);
    List<JsonNode> list = new ArrayList<>();
    rows.forEach(list::add);

    assertThat(print(UsageCommand.byGroup(list, UsageCommand.By.DAY)))
        .isEqualTo(
            """
            DATE        REQUESTS  PROMPT TOKENS  COMPLETION TOKENS   SPEND
            2026-11-30         3            110                 55   $0.75
            2026-12-01         3          1,000              2,000  $1.125
            total              6          1,110              2,055  $1.875
            """);
    assertThat(print(UsageCommand.byGroup(list, UsageCommand.By.MODEL)).lines().skip(1).findFirst())
        .hasValueSatisfying(l -> assertThat(l).startsWith("anthropic/claude-sonnet-4"));
  }

  @Test
  void progressRewritesOneLineOnATerminalAndIsSilentOtherwise() {
    StringWriter s = new StringWriter();
    Progress p = new Progress(new PrintWriter(s), true, "fetching endpoints", 3);
    p.update(0);
    p.update(3);
    p.done();
    assertThat(s.toString())
        .isEqualTo("\rfetching endpoints 0/3\u001b[K\rfetching endpoints 3/3\u001b[K\r\u001b[K");

    StringWriter silent = new StringWriter();
    Progress off = new Progress(new PrintWriter(silent), false, "x", 3);
    off.update(1);
    off.done();
    assertThat(silent.toString()).isEmpty();
  }

  @Test
  void pricesPerMillionAndDollarsAreExact() throws Exception {
    assertThat(Format.perMillion(ApiJson.tree("\"0.00000175\""))).isEqualTo("$1.75");
    assertThat(Format.perMillion(ApiJson.tree("\"0\""))).isEqualTo("$0");
    assertThat(Format.usd(new java.math.BigDecimal("0.00053375"))).isEqualTo("$0.000534");
    assertThat(Format.usd((java.math.BigDecimal) null)).isEqualTo("-");
  }

  private static String print(Table t) {
    StringWriter s = new StringWriter();
    t.print(new PrintWriter(s));
    return s.toString();
  }
}
