package dev.switchboard.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.api.json.ApiJson;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * openrouter/auto (checklist 69-70): a deterministic choice among the allowed models; the answer
 * names the concrete model; nothing eligible is a 404 with OpenRouter's message.
 */
class AutoRouterIT {

  @RegisterExtension static final TestGateway gw = TestGateway.perClass();

  static HttpResponse<String> auto(String plugin, String extra) throws Exception {
    return gw.chat(
        "{\"model\":\"openrouter/auto\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]"
            + (plugin == null ? "" : ",\"plugins\":[" + plugin + "]")
            + extra
            + "}");
  }

  static String model(HttpResponse<String> r) throws Exception {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return ApiJson.tree(r.body()).path("model").asText();
  }

  @Test
  void theAnswerNamesAConcreteAllowedModelAndTheChoiceIsDeterministic() throws Exception {
    String plugin = "{\"id\":\"auto-router\",\"allowed_models\":[\"anthropic/*\"]}";
    String first = model(auto(plugin, ""));
    assertThat(first).startsWith("anthropic/").isNotEqualTo("openrouter/auto");
    assertThat(model(auto(plugin, ""))).isEqualTo(first);
    assertThat(model(auto(null, ""))).isNotEqualTo("openrouter/auto");
  }

  @Test
  void theCostTierMovesTheChoiceUpThePriceList() throws Exception {
    String low =
        model(
            auto(
                "{\"id\":\"auto-router\",\"allowed_models\":[\"openai/*\"],\"cost_tier\":\"low\"}",
                ""));
    String max =
        model(
            auto(
                "{\"id\":\"auto-router\",\"allowed_models\":[\"openai/*\"],\"cost_tier\":\"max\"}",
                ""));
    assertThat(low).startsWith("openai/");
    assertThat(max).startsWith("openai/").isNotEqualTo(low);
  }

  @Test
  void excludedAndPinnedModelsAreHonoured() throws Exception {
    String pinned =
        model(
            auto(
                "{\"id\":\"auto-router\",\"allowed_models\":[\"*/claude-*\"],"
                    + "\"pin_model\":\"anthropic/claude-sonnet-4\"}",
                ""));
    assertThat(pinned).isEqualTo("anthropic/claude-sonnet-4");
    String other =
        model(
            auto(
                "{\"id\":\"auto-router\",\"allowed_models\":[\"*/claude-*\"],"
                    + "\"excluded_models\":[\"anthropic/claude-sonnet-4\"],"
                    + "\"pin_model\":\"anthropic/claude-sonnet-4\"}",
                ""));
    assertThat(other).contains("claude-").isNotEqualTo("anthropic/claude-sonnet-4");
  }

  @Test
  void noEligibleModelIsA404WithOpenRoutersMessage() throws Exception {
    HttpResponse<String> r = auto("{\"id\":\"auto-router\",\"allowed_models\":[\"nobody/*\"]}", "");
    assertThat(r.statusCode()).isEqualTo(404);
    assertThat(ApiJson.tree(r.body()).at("/error/message").asText())
        .isEqualTo("No models match your request and model restrictions");
    HttpResponse<String> bad = auto("{\"id\":\"auto-router\",\"colour\":\"red\"}", "");
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(bad.body()).contains("colour");
  }
}
