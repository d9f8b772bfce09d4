package dev.switchboard.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.api.json.ApiJson;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Presets (checklist 71): created and versioned through the management API, applied by {@code
 * @preset/<slug>}, {@code "preset":"<slug>"} and {@code <model>@preset/<slug>}, the request's fields
 * winning; the generation record keeps the preset's id.
 */
class PresetsIT {

  @RegisterExtension static final TestGateway gw = TestGateway.perClass();

  static final String CONFIG =
      "{\"model\":\"deepseek/deepseek-chat-v3-0324\",\"provider\":{\"only\":[\"together\"]},"
          + "\"temperature\":0.2,\"system_prompt\":\"Be terse.\"}";

  static HttpResponse<String> create(String slug, String config) throws Exception {
    return gw.send(
        "POST",
        "/presets",
        "{\"slug\":\"" + slug + "\",\"name\":\"Terse\",\"config\":" + config + "}",
        TestGateway.MASTER_KEY);
  }

  static JsonNode upstream() throws Exception {
    return gw.simulator().lastRequest("together").orElseThrow().json();
  }

  static final String HI = "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]";

  @Test
  void aPresetAppliesByModelByFieldAndAfterAModel() throws Exception {
    HttpResponse<String> created = create("terse", CONFIG);
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    assertThat(ApiJson.tree(created.body()).at("/data/id").asText()).isEqualTo("terse@1");

    HttpResponse<String> byModel = gw.chat("{\"model\":\"@preset/terse\"," + HI + "}");
    assertThat(byModel.statusCode()).as(byModel.body()).isEqualTo(200);
    assertThat(ApiJson.tree(byModel.body()).path("model").asText())
        .isEqualTo("deepseek/deepseek-chat-v3-0324");
    JsonNode up = upstream();
    assertThat(up.path("temperature").decimalValue()).isEqualByComparingTo("0.2");
    assertThat(up.at("/messages/0/role").asText()).isEqualTo("system");
    assertThat(up.at("/messages/0/content").asText()).isEqualTo("Be terse.");
    assertThat(up.at("/messages/1/content").asText()).isEqualTo("hi");
    assertThat(up.has("preset")).isFalse();

    // The request's own fields win over the preset's.
    HttpResponse<String> byField = gw.chat("{\"preset\":\"terse\",\"temperature\":0.9," + HI + "}");
    assertThat(byField.statusCode()).as(byField.body()).isEqualTo(200);
    assertThat(upstream().path("temperature").decimalValue()).isEqualByComparingTo("0.9");
    assertThat(upstream().at("/messages/0/content").asText()).isEqualTo("Be terse.");

    HttpResponse<String> afterModel =
        gw.chat(
            "{\"model\":\"deepseek/deepseek-chat-v3-0324@preset/terse\",\"provider\":{\"only\":[\"fireworks\"]},"
                + HI
                + "}");
    assertThat(afterModel.statusCode()).as(afterModel.body()).isEqualTo(200);
    JsonNode fw = gw.simulator().lastRequest("fireworks").orElseThrow().json();
    assertThat(fw.at("/messages/0/content").asText()).isEqualTo("Be terse.");

    String id = byModel.headers().firstValue("x-generation-id").orElseThrow();
    JsonNode record = null;
    for (int i = 0; i < 50 && record == null; i++) {
      HttpResponse<String> g = gw.get("/generation?id=" + id, TestGateway.KEY);
      if (g.statusCode() == 200) {
        record = ApiJson.tree(g.body()).path("data");
      } else {
        Thread.sleep(100);
      }
    }
    assertThat(record).isNotNull();
    assertThat(record.path("preset_id").asText()).isEqualTo("terse@1");
  }

  @Test
  void anInferenceBodyBecomesTheNextVersionAndTheNewestApplies() throws Exception {
    create("versioned", CONFIG);
    HttpResponse<String> v2 =
        gw.send(
            "POST",
            "/presets/versioned/chat/completions",
            "{\"model\":\"deepseek/deepseek-chat-v3-0324\",\"provider\":{\"only\":[\"together\"]},"
                + "\"temperature\":0.5,\"stream\":true,\"messages\":[{\"role\":\"system\","
                + "\"content\":\"Version two.\"},{\"role\":\"user\",\"content\":\"ignored\"}]}",
            TestGateway.MASTER_KEY);
    assertThat(v2.statusCode()).as(v2.body()).isEqualTo(201);
    JsonNode data = ApiJson.tree(v2.body()).path("data");
    assertThat(data.path("version").asInt()).isEqualTo(2);
    assertThat(data.at("/config/system_prompt").asText()).isEqualTo("Version two.");
    assertThat(data.path("config").has("messages")).isFalse();
    assertThat(data.path("config").has("stream")).isFalse();

    JsonNode versions =
        ApiJson.tree(gw.get("/presets/versioned/versions", TestGateway.MASTER_KEY).body())
            .path("data");
    assertThat(versions.size()).isEqualTo(2);
    assertThat(
            ApiJson.tree(gw.get("/presets/versioned/versions/1", TestGateway.MASTER_KEY).body())
                .at("/data/config/temperature")
                .decimalValue())
        .isEqualByComparingTo("0.2");
    JsonNode list = ApiJson.tree(gw.get("/presets", TestGateway.MASTER_KEY).body()).path("data");
    assertThat(list.toString()).contains("\"id\":\"versioned@2\"");

    assertThat(gw.chat("{\"model\":\"@preset/versioned\"," + HI + "}").statusCode()).isEqualTo(200);
    assertThat(upstream().path("temperature").decimalValue()).isEqualByComparingTo("0.5");
    assertThat(upstream().at("/messages/0/content").asText()).isEqualTo("Version two.");
  }

  @Test
  void unknownPresetsAndBadConfigsAreRefusedNamingThem() throws Exception {
    HttpResponse<String> unknown = gw.chat("{\"model\":\"@preset/nope\"," + HI + "}");
    assertThat(unknown.statusCode()).isEqualTo(404);
    assertThat(unknown.body()).contains("nope");
    HttpResponse<String> bad = create("bad", "{\"temperature\":7}");
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(bad.body()).contains("temperature");
    HttpResponse<String> field = create("bad", "{\"colour\":\"red\"}");
    assertThat(field.statusCode()).isEqualTo(400);
    assertThat(field.body()).contains("config.colour");
    HttpResponse<String> slug = create("Bad Slug", CONFIG);
    assertThat(slug.statusCode()).isEqualTo(400);
    HttpResponse<String> differ = gw.chat("{\"model\":\"@preset/a\",\"preset\":\"b\"," + HI + "}");
    assertThat(differ.statusCode()).isEqualTo(400);
    // An inference key cannot manage presets.
    assertThat(
            gw.send("POST", "/presets", "{\"slug\":\"x\",\"config\":{}}", TestGateway.KEY)
                .statusCode())
        .isIn(401, 403);
  }

  static HttpResponse<String> post(String path, String body) throws Exception {
    return gw.send("POST", path, body, TestGateway.KEY);
  }

  @Test
  void aPresetAppliesOnMessagesResponsesAndCompletionsAlike() throws Exception {
    assertThat(create("everywhere", CONFIG).statusCode()).isEqualTo(201);

    // /messages: the three ways; the preset's system prompt goes before the request's "system".
    HttpResponse<String> m =
        post(
            "/messages",
            "{\"model\":\"@preset/everywhere\",\"max_tokens\":50,\"system\":\"Mine.\"," + HI + "}");
    assertThat(m.statusCode()).as(m.body()).isEqualTo(200);
    assertThat(ApiJson.tree(m.body()).path("model").asText())
        .isEqualTo("deepseek/deepseek-chat-v3-0324");
    JsonNode up = upstream();
    assertThat(up.path("temperature").decimalValue()).isEqualByComparingTo("0.2");
    assertThat(up.at("/messages/0/content").asText()).isEqualTo("Be terse.");
    assertThat(up.at("/messages/1/content").asText()).isEqualTo("Mine.");
    assertThat(up.at("/messages/2/content").asText()).isEqualTo("hi");
    HttpResponse<String> mField =
        post(
            "/messages",
            "{\"preset\":\"everywhere\",\"max_tokens\":50,\"temperature\":0.7," + HI + "}");
    assertThat(mField.statusCode()).as(mField.body()).isEqualTo(200);
    assertThat(upstream().path("temperature").decimalValue()).isEqualByComparingTo("0.7");
    HttpResponse<String> mAfter =
        post(
            "/messages",
            "{\"model\":\"deepseek/deepseek-chat-v3-0324@preset/everywhere\",\"max_tokens\":50,"
                + HI
                + "}");
    assertThat(mAfter.statusCode()).as(mAfter.body()).isEqualTo(200);
    assertThat(upstream().at("/messages/0/content").asText()).isEqualTo("Be terse.");

    // /responses: "input" as a string, and "instructions" after the preset's system prompt.
    HttpResponse<String> r =
        post(
            "/responses",
            "{\"model\":\"@preset/everywhere\",\"instructions\":\"Mine.\",\"input\":\"hi\"}");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    up = upstream();
    assertThat(up.path("temperature").decimalValue()).isEqualByComparingTo("0.2");
    assertThat(up.at("/messages/0/content").asText()).isEqualTo("Be terse.");
    assertThat(up.toString()).contains("Mine.");
    assertThat(up.at("/messages").get(up.at("/messages").size() - 1).path("content").asText())
        .isEqualTo("hi");
    HttpResponse<String> rField =
        post(
            "/responses",
            "{\"preset\":\"everywhere\",\"input\":[{\"role\":\"user\"," + "\"content\":\"hi\"}]}");
    assertThat(rField.statusCode()).as(rField.body()).isEqualTo(200);
    assertThat(upstream().at("/messages/0/content").asText()).isEqualTo("Be terse.");

    // /completions: the prompt stays the prompt; the system prompt goes before it.
    HttpResponse<String> c =
        post("/completions", "{\"model\":\"@preset/everywhere\",\"prompt\":\"Once upon\"}");
    assertThat(c.statusCode()).as(c.body()).isEqualTo(200);
    assertThat(ApiJson.tree(c.body()).path("object").asText()).isEqualTo("text_completion");
    up = upstream();
    assertThat(up.path("temperature").decimalValue()).isEqualByComparingTo("0.2");
    assertThat(up.at("/messages/0/content").asText()).isEqualTo("Be terse.");
    assertThat(up.at("/messages/1/content").asText()).isEqualTo("Once upon");
    HttpResponse<String> cAfter =
        post(
            "/completions",
            "{\"model\":\"deepseek/deepseek-chat-v3-0324@preset/everywhere\",\"prompt\":\"x\"}");
    assertThat(cAfter.statusCode()).as(cAfter.body()).isEqualTo(200);
    assertThat(upstream().at("/messages/0/content").asText()).isEqualTo("Be terse.");

    HttpResponse<String> unknown =
        post("/messages", "{\"model\":\"@preset/nope\",\"max_tokens\":5," + HI + "}");
    assertThat(unknown.statusCode()).isEqualTo(404);
    assertThat(unknown.body()).contains("nope");
  }
}
