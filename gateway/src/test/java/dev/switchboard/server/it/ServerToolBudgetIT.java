package dev.switchboard.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.api.json.ApiJson;
import java.math.BigDecimal;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The server-tool loop within a key's limit: admission holds one model round's worst case, and
 * every further step (the web search fees a round's calls can add, the next model round) is covered
 * by extending the hold first; a step the limit cannot cover stops the loop with a 402, so the
 * key's spend never goes past its limit.
 */
class ServerToolBudgetIT {

  @RegisterExtension static final TestGateway gw = TestGateway.perClass();

  /**
   * A forced web search in every round (5 results, $0.02 of fees each) until the last round, which
   * the gateway asks to answer.
   */
  static final String SEARCHING =
      "{\"model\":\"openai/gpt-5.2\",\"provider\":{\"only\":[\"openai\"]},\"max_tokens\":50,"
          + "\"tools\":[{\"type\":\"openrouter:web_search\",\"parameters\":{\"max_results\":5}}],"
          + "\"tool_choice\":{\"type\":\"openrouter:web_search\"},"
          + "\"messages\":[{\"role\":\"user\",\"content\":\"search and search again\"}]}";

  static String key(String limit) throws Exception {
    HttpResponse<String> created =
        gw.send(
            "POST",
            "/keys",
            "{\"name\":\"budget-" + limit + "\",\"limit\":" + limit + "}",
            TestGateway.MASTER_KEY);
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    return ApiJson.tree(created.body()).path("key").asText();
  }

  /** The key's spend as {@code /key} reports it, once the charge is booked. */
  static BigDecimal usage(String key) throws Exception {
    BigDecimal usage = BigDecimal.ZERO;
    for (int i = 0; i < 50 && usage.signum() == 0; i++) {
      usage = ApiJson.tree(gw.get("/key", key).body()).at("/data/usage").decimalValue();
      if (usage.signum() == 0) {
        Thread.sleep(100);
      }
    }
    return usage;
  }

  @Test
  void aLimitThatCoversOneSearchRoundStopsTheLoopBeforeTheNextWithoutOverspending()
      throws Exception {
    // Unlimited enough: every round runs, four searches at $0.02, more than the small limit.
    String rich = key("5");
    long before = gw.simulator().requestCount("openai");
    HttpResponse<String> all = gw.post("/chat/completions", SEARCHING, rich, "application/json");
    assertThat(all.statusCode()).as(all.body()).isEqualTo(200);
    long allRounds = gw.simulator().requestCount("openai") - before;
    assertThat(allRounds).isGreaterThanOrEqualTo(3);
    BigDecimal richSpend = usage(rich);
    assertThat(richSpend).isGreaterThan(new BigDecimal("0.06"));

    // $0.03 covers the first round, its one search ($0.02) and the round after; not the second
    // search that round asks for.
    String small = key("0.03");
    before = gw.simulator().requestCount("openai");
    HttpResponse<String> r = gw.post("/chat/completions", SEARCHING, small, "application/json");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(402);
    JsonNode error = ApiJson.tree(r.body()).path("error");
    assertThat(error.path("message").asText())
        .contains("server-tool loop stopped after 2 model round(s)");
    assertThat(gw.simulator().requestCount("openai") - before).isEqualTo(2);
    BigDecimal spend = usage(small);
    assertThat(spend)
        .isGreaterThan(new BigDecimal("0.02"))
        .isLessThanOrEqualTo(new BigDecimal("0.03"));

    // The rounds that ran are in the generation record and billed there too.
    String id = r.headers().firstValue("x-generation-id").orElseThrow();
    JsonNode record = null;
    for (int i = 0; i < 50 && record == null; i++) {
      HttpResponse<String> g = gw.get("/generation?id=" + id, small);
      if (g.statusCode() == 200) {
        record = ApiJson.tree(g.body()).path("data");
      } else {
        Thread.sleep(100);
      }
    }
    assertThat(record).isNotNull();
    assertThat(record.path("total_cost").decimalValue()).isEqualByComparingTo(spend);
    assertThat(record.path("num_search_results").asInt()).isEqualTo(5);
  }
}
