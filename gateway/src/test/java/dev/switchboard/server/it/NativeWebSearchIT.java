package dev.switchboard.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.api.json.ApiJson;
import dev.switchboard.sse.SseEvent;
import dev.switchboard.sse.SseReader;
import java.math.BigDecimal;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The {@code web} plugin's {@code native} engine through the server, the simulator playing OpenAI's
 * {@code web_search_options} and Anthropic's {@code web_search} server tool: the upstream's
 * citations become {@code url_citation} annotations (whole and streamed), each search is charged at
 * the endpoint's {@code pricing.web_search}, the default engine is native where every endpoint has
 * it, and {@code /models} says which endpoints do.
 */
class NativeWebSearchIT {

  @RegisterExtension static final TestGateway gw = TestGateway.perClass();

  static final BigDecimal SEARCH_PRICE = new BigDecimal("0.01");

  static JsonNode ok(HttpResponse<String> r) throws Exception {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return ApiJson.tree(r.body());
  }

  static String body(String model, String plugins, String question, boolean stream) {
    return "{\"model\":\""
        + model
        + "\","
        + plugins
        + (stream ? "\"stream\":true," : "")
        + "\"messages\":[{\"role\":\"user\",\"content\":\""
        + question
        + "\"}]}";
  }

  @Test
  void openAiNativeSearchCitesTheProvidersResultsAndChargesTheSearch() throws Exception {
    long exaBefore = gw.simulator().searchCount();
    JsonNode c =
        ok(
            gw.chat(
                body(
                    "openai/gpt-5.2",
                    "\"provider\":{\"only\":[\"openai\"]},\"plugins\":[{\"id\":\"web\","
                        + "\"engine\":\"native\"}],",
                    "What is new in Java 25",
                    false)));
    JsonNode sent = gw.simulator().lastRequest("openai").orElseThrow().json();
    assertThat(sent.has("web_search_options")).isTrue();
    assertThat(sent.toString()).doesNotContain("search.sim"); // no results injected: none ran here
    assertThat(gw.simulator().searchCount()).isEqualTo(exaBefore);

    JsonNode annotations = c.at("/choices/0/message/annotations");
    assertThat(annotations).hasSize(3);
    assertThat(annotations.get(0).path("type").asText()).isEqualTo("url_citation");
    assertThat(annotations.get(0).at("/url_citation/url").asText())
        .isEqualTo("https://search.sim/what-is-new-in-java-25/1");
    assertThat(annotations.get(0).at("/url_citation/title").asText())
        .isEqualTo("Result 1 for What is new in Java 25");
    assertThat(c.at("/usage/server_tool_use_details/web_search_requests").asInt()).isEqualTo(1);
    BigDecimal cost = c.at("/usage/cost").decimalValue();
    assertThat(cost).isGreaterThan(SEARCH_PRICE);

    JsonNode record = generation(c.path("id").asText());
    assertThat(record.path("web_search_engine").asText()).isEqualTo("native");
    assertThat(record.path("total_cost").decimalValue()).isEqualByComparingTo(cost);
  }

  @Test
  void openAiNativeSearchStreamsItsAnnotations() throws Exception {
    HttpResponse<String> r =
        gw.chat(
            body(
                "openai/gpt-5.2",
                "\"provider\":{\"only\":[\"openai\"]},\"plugins\":[{\"id\":\"web\","
                    + "\"engine\":\"native\"}],",
                "streamed native search",
                true));
    Streamed s = streamed(r);
    assertThat(s.annotations).hasSize(3);
    assertThat(s.annotations.get(2).at("/url_citation/url").asText())
        .isEqualTo("https://search.sim/streamed-native-search/3");
    assertThat(s.cost).isGreaterThan(SEARCH_PRICE);
  }

  @Test
  void withoutAnEngineAnthropicsOwnSearchToolRunsWhereEveryEndpointHasIt() throws Exception {
    // claude-haiku-4-5 is served by Anthropic only, which has native search: the default engine.
    long exaBefore = gw.simulator().searchCount();
    JsonNode c =
        ok(
            gw.chat(
                body("anthropic/claude-haiku-4.5:online", "", "Anthropic search please", false)));
    JsonNode sent = gw.simulator().lastRequest("anthropic").orElseThrow().json();
    assertThat(sent.path("tools").toString())
        .contains("\"type\":\"web_search_20250305\"")
        .contains("\"name\":\"web_search\"");
    assertThat(gw.simulator().searchCount()).isEqualTo(exaBefore);

    JsonNode message = c.at("/choices/0/message");
    assertThat(message.path("content").asText()).isNotEmpty();
    JsonNode annotations = message.path("annotations");
    assertThat(annotations).hasSize(3);
    assertThat(annotations.get(1).at("/url_citation/url").asText())
        .isEqualTo("https://search.sim/anthropic-search-please/2");
    assertThat(annotations.get(1).at("/url_citation/content").asText())
        .isEqualTo("Simulated page 2 about Anthropic search please.");
    assertThat(annotations.get(1).at("/url_citation/end_index").asInt())
        .isEqualTo(message.path("content").asText().length());
    assertThat(c.at("/usage/server_tool_use_details/web_search_requests").asInt()).isEqualTo(1);
    assertThat(c.at("/usage/cost").decimalValue()).isGreaterThan(SEARCH_PRICE);
    assertThat(generation(c.path("id").asText()).path("web_search_engine").asText())
        .isEqualTo("native");
  }

  @Test
  void anthropicNativeSearchStreamsItsCitations() throws Exception {
    Streamed s =
        streamed(
            gw.chat(
                body(
                    "anthropic/claude-haiku-4.5",
                    "\"plugins\":[{\"id\":\"web\",\"engine\":\"native\"}],",
                    "stream anthropic search",
                    true)));
    assertThat(s.annotations).hasSize(3);
    assertThat(s.annotations.get(0).at("/url_citation/url").asText())
        .isEqualTo("https://search.sim/stream-anthropic-search/1");
    assertThat(s.text).isNotEmpty();
    assertThat(s.cost).isGreaterThan(SEARCH_PRICE);
  }

  @Test
  void whereSomeEndpointLacksItTheDefaultIsExaAndNativeIsRefusedWhereNoneHasIt() throws Exception {
    long exaBefore = gw.simulator().searchCount();
    JsonNode c =
        ok(
            gw.chat(
                body(
                    "openai/gpt-5.2:online",
                    "\"provider\":{\"only\":[\"openai\"]},",
                    "mixed endpoints",
                    false)));
    assertThat(gw.simulator().searchCount()).isEqualTo(exaBefore + 1);
    assertThat(gw.simulator().lastRequest("openai").orElseThrow().json().has("web_search_options"))
        .isFalse();
    assertThat(generation(c.path("id").asText()).path("web_search_engine").asText())
        .isEqualTo("exa");

    // Asked for by name on a model with mixed endpoints: the ones without it are passed over.
    JsonNode named =
        ok(
            gw.chat(
                body(
                    "openai/gpt-5.2",
                    "\"plugins\":[{\"id\":\"web\",\"engine\":\"native\"}],",
                    "named native",
                    false)));
    assertThat(gw.simulator().lastRequest("openai").orElseThrow().json().has("web_search_options"))
        .isTrue();
    assertThat(named.at("/choices/0/message/annotations")).hasSize(3);

    HttpResponse<String> refused =
        gw.chat(
            body(
                "deepseek/deepseek-chat-v3-0324",
                "\"plugins\":[{\"id\":\"web\",\"engine\":\"native\"}],",
                "no native here",
                false));
    assertThat(refused.statusCode()).isEqualTo(400);
    assertThat(refused.body()).contains("web.engine").contains("web_search_options");
  }

  @Test
  void theCatalogSaysWhichEndpointsHaveNativeSearch() throws Exception {
    JsonNode endpoints =
        ok(gw.get("/models/openai/gpt-5.2/endpoints", TestGateway.KEY)).at("/data/endpoints");
    boolean openai = false;
    boolean azure = false;
    for (JsonNode e : endpoints) {
      boolean has = e.path("supported_parameters").toString().contains("web_search_options");
      if (e.path("tag").asText().equals("openai")) {
        openai = has;
        assertThat(e.at("/pricing/web_search").asText()).isEqualTo("0.01");
      } else if (e.path("tag").asText().equals("azure")) {
        azure = !has;
      }
    }
    assertThat(openai).as(endpoints.toString()).isTrue();
    assertThat(azure).as(endpoints.toString()).isTrue();
    JsonNode models = ok(gw.get("/models", TestGateway.KEY)).path("data");
    for (JsonNode m : models) {
      if (m.path("id").asText().equals("deepseek/deepseek-chat-v3-0324")) {
        assertThat(m.path("supported_parameters").toString()).doesNotContain("web_search_options");
      }
      if (m.path("id").asText().equals("anthropic/claude-haiku-4.5")) {
        assertThat(m.path("supported_parameters").toString()).contains("web_search_options");
      }
    }
  }

  record Streamed(String text, JsonNode annotations, BigDecimal cost) {}

  static Streamed streamed(HttpResponse<String> r) throws Exception {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    List<SseEvent> events = new ArrayList<>();
    SseReader.builder().onEvent(events::add).build().feed(r.body());
    StringBuilder text = new StringBuilder();
    JsonNode annotations = null;
    BigDecimal cost = null;
    for (SseEvent e : events) {
      if (e.isDone()) {
        continue;
      }
      JsonNode chunk = ApiJson.tree(e.data());
      for (JsonNode ch : chunk.path("choices")) {
        text.append(ch.path("delta").path("content").asText(""));
        JsonNode a = ch.path("delta").path("annotations");
        if (a.isArray()) {
          if (annotations == null) {
            annotations = ApiJson.mapper().createArrayNode();
          }
          a.forEach(((com.fasterxml.jackson.databind.node.ArrayNode) annotations)::add);
        }
      }
      if (chunk.has("usage")) {
        cost = chunk.path("usage").path("cost").decimalValue();
      }
    }
    return new Streamed(text.toString(), annotations, cost);
  }

  static JsonNode generation(String id) throws Exception {
    for (int i = 0; i < 50; i++) {
      HttpResponse<String> g = gw.get("/generation?id=" + id, TestGateway.KEY);
      if (g.statusCode() == 200) {
        return ApiJson.tree(g.body()).path("data");
      }
      Thread.sleep(100);
    }
    throw new AssertionError("no generation record for " + id);
  }
}
