package dev.switchboard.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.api.json.ApiJson;
import dev.switchboard.testkit.conformance.CompatibilityDoc;
import dev.switchboard.testkit.conformance.InboundResult;
import dev.switchboard.testkit.conformance.ScenarioResult.Outcome;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The inbound dimension of the conformance matrix: inbound API × upstream dialect × scenario, each
 * cell a real request through the demo gateway (route, pipeline, adapter, simulator in the
 * upstream's dialect) with its answer checked. Each API's cells go to {@code
 * target/conformance/inbound/<api>.jsonl}, from which {@link CompatibilityDoc} renders its table of
 * {@code docs/providers/compatibility.md} ("Inbound APIs"); a test fails when one of its cells
 * does.
 */
class InboundConformanceIT {

  @RegisterExtension static final TestGateway gw = TestGateway.perClass();

  static final List<String> DIALECTS = List.of("openai", "anthropic", "gemini");

  /** A chat model of each dialect; Claude pinned to Anthropic's own API. */
  static final Map<String, String> CHAT =
      Map.of(
          "openai", "\"model\":\"openai/gpt-5.2\"",
          "anthropic",
              "\"model\":\"anthropic/claude-sonnet-4\",\"provider\":{\"only\":[\"anthropic\"]}",
          "gemini", "\"model\":\"google/gemini-3-flash-preview\"");

  /** An embedding model of each dialect that has an embeddings API. */
  static final Map<String, String> EMBED =
      Map.of(
          // two endpoints at one price (OpenAI, Azure): pinned, so that a refusal's message names
          // the same provider in every run and the generated matrix does not change between runs
          "openai",
          "\"model\":\"openai/text-embedding-3-small\",\"provider\":{\"only\":[\"openai\"]}",
          "gemini",
          "\"model\":\"google/gemini-embedding-001\"");

  static final String WEATHER =
      "{\"type\":\"function\",\"name\":\"get_weather\",\"parameters\":{\"type\":\"object\","
          + "\"properties\":{\"city\":{\"type\":\"string\"}},\"required\":[\"city\"]}}";

  /** One scenario: the request's body after the model, and the check of the answer. */
  interface Check {
    void check(HttpResponse<String> res) throws Exception;
  }

  record Scenario(String title, String path, String body, Check check, Map<String, String> skip) {}

  @Test
  void responsesApi() throws Exception {
    List<Scenario> s = new ArrayList<>();
    s.add(
        new Scenario(
            "Text input, message output",
            "/responses",
            "\"input\":\"Hello\"",
            res -> text(res, "Hello"),
            Map.of()));
    s.add(
        new Scenario(
            "Instructions and message items",
            "/responses",
            "\"instructions\":\"Be brief\",\"input\":[{\"role\":\"user\",\"content\":[{\"type\":"
                + "\"input_text\",\"text\":\"Hi there\"}]}]",
            res -> text(res, "Hi there"),
            Map.of()));
    s.add(
        new Scenario(
            "Streamed text with sequence numbers",
            "/responses",
            "\"input\":\"Stream it\",\"stream\":true",
            InboundConformanceIT::responsesStream,
            Map.of()));
    s.add(
        new Scenario(
            "Function call",
            "/responses",
            "\"input\":\"Weather in Paris?\",\"tools\":[" + WEATHER + "]",
            res -> {
              JsonNode fc = item(res, "function_call");
              assertThat(fc.path("name").asText()).isEqualTo("get_weather");
              assertThat(ApiJson.tree(fc.path("arguments").asText()).has("city")).isTrue();
            },
            Map.of()));
    s.add(
        new Scenario(
            "Function call output in a later turn",
            "/responses",
            "\"tools\":["
                + WEATHER
                + "],\"input\":[{\"role\":\"user\",\"content\":\"Weather?\"},"
                + "{\"type\":\"function_call\",\"call_id\":\"call_1\",\"name\":\"get_weather\","
                + "\"arguments\":\"{\\\"city\\\":\\\"Oslo\\\"}\"},{\"type\":\"function_call_output\","
                + "\"call_id\":\"call_1\",\"output\":\"snowing\"}]",
            res -> text(res, "snowing"),
            Map.of()));
    s.add(
        new Scenario(
            "text.format json_schema",
            "/responses",
            "\"input\":\"JSON please\",\"text\":{\"format\":{\"type\":\"json_schema\",\"name\":\"f\","
                + "\"schema\":{\"type\":\"object\",\"properties\":{\"sky\":{\"type\":\"string\"}},"
                + "\"required\":[\"sky\"]}}}",
            res -> {
              JsonNode msg = item(res, "message");
              String text = msg.path("content").get(0).path("text").asText();
              assertThat(ApiJson.tree(text).path("sky").isTextual()).isTrue();
            },
            Map.of()));
    s.add(
        new Scenario(
            "Reasoning item with encrypted_content",
            "/responses",
            "\"input\":\"Think\",\"reasoning\":{\"effort\":\"high\"}",
            res -> {
              JsonNode r = item(res, "reasoning");
              assertThat(r.path("summary").get(0).path("text").asText()).isNotEmpty();
            },
            Map.of("openai", "OpenAI's chat completions return no reasoning text")));
    s.add(
        new Scenario(
            "Image input (input_image)",
            "/responses",
            "\"input\":[{\"role\":\"user\",\"content\":[{\"type\":\"input_text\",\"text\":\"What"
                + " is this?\"},{\"type\":\"input_image\",\"image_url\":\"data:image/png;base64,"
                + "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==\"}]}]",
            res -> text(res, "What is this?"),
            Map.of()));
    s.add(
        new Scenario(
            "store: true refused (stateless)",
            "/responses",
            "\"input\":\"x\",\"store\":true",
            res -> refused(res, "store"),
            Map.of()));
    run("responses", "`POST /responses` (OpenAI Responses API)", s, CHAT);
  }

  @Test
  void completionsApi() throws Exception {
    List<Scenario> s = new ArrayList<>();
    s.add(
        new Scenario(
            "Prompt to text_completion",
            "/completions",
            "\"prompt\":\"Once upon\"",
            res -> {
              JsonNode body = ok(res);
              assertThat(body.path("object").asText()).isEqualTo("text_completion");
              assertThat(body.path("choices").get(0).path("text").asText()).contains("Once upon");
            },
            Map.of()));
    s.add(
        new Scenario(
            "Streamed text deltas",
            "/completions",
            "\"prompt\":\"Stream it\",\"stream\":true",
            res -> {
              assertThat(res.statusCode()).isEqualTo(200);
              StringBuilder text = new StringBuilder();
              for (JsonNode e : events(res)) {
                for (JsonNode c : e.path("choices")) {
                  text.append(c.path("text").asText(""));
                }
              }
              assertThat(text.toString()).contains("Stream it");
            },
            Map.of()));
    s.add(
        new Scenario(
            "max_tokens and stop",
            "/completions",
            "\"prompt\":\"Count\",\"max_tokens\":50,\"stop\":[\"zzz\"]",
            res ->
                assertThat(ok(res).path("choices").get(0).path("finish_reason").asText())
                    .isIn("stop", "length"),
            Map.of()));
    s.add(
        new Scenario(
            "Token-id prompt refused",
            "/completions",
            "\"prompt\":[1,2,3]",
            res -> refused(res, "token ids"),
            Map.of()));
    run("completions", "`POST /completions` (legacy text completions)", s, CHAT);
  }

  @Test
  void embeddingsApi() throws Exception {
    Map<String, String> noApi = Map.of("anthropic", "Anthropic has no embeddings API");
    List<Scenario> s = new ArrayList<>();
    s.add(
        new Scenario("One text", "/embeddings", "\"input\":\"a\"", res -> vectors(res, 1), noApi));
    s.add(
        new Scenario(
            "A batch of texts, in order",
            "/embeddings",
            "\"input\":[\"a\",\"b\",\"c\"]",
            res -> vectors(res, 3),
            noApi));
    s.add(
        new Scenario(
            "dimensions",
            "/embeddings",
            "\"input\":\"a\",\"dimensions\":64",
            res -> assertThat(ok(res).path("data").get(0).path("embedding")).hasSize(64),
            noApi));
    s.add(
        new Scenario(
            "encoding_format: base64",
            "/embeddings",
            "\"input\":\"a\",\"encoding_format\":\"base64\"",
            res -> assertThat(ok(res).path("data").get(0).path("embedding").isTextual()).isTrue(),
            noApi));
    s.add(
        new Scenario(
            "Token-id input",
            "/embeddings",
            "\"input\":[[1,2,3]]",
            res -> {
              if (res.statusCode() == 400) {
                refused(res, "token-id");
              } else {
                vectors(res, 1);
              }
            },
            noApi));
    s.add(
        new Scenario(
            "input_type",
            "/embeddings",
            "\"input\":\"a\",\"input_type\":\"search_query\"",
            res -> {
              if (res.statusCode() == 400) {
                refused(res, "input_type");
              } else {
                vectors(res, 1);
              }
            },
            noApi));
    run("embeddings", "`POST /embeddings`", s, EMBED);
  }

  private static void run(
      String api, String heading, List<Scenario> scenarios, Map<String, String> models)
      throws Exception {
    List<InboundResult> results = new ArrayList<>();
    List<String> failures = new ArrayList<>();
    for (Scenario sc : scenarios) {
      for (String dialect : DIALECTS) {
        if (sc.skip().containsKey(dialect) || !models.containsKey(dialect)) {
          results.add(result(api, sc, dialect, Outcome.NOT_APPLICABLE, sc.skip().get(dialect)));
          continue;
        }
        HttpResponse<String> res =
            gw.post(
                sc.path(),
                "{" + models.get(dialect) + "," + sc.body() + "}",
                TestGateway.KEY,
                "application/json");
        try {
          sc.check().check(res);
          results.add(
              res.statusCode() == 400
                  ? result(
                      api,
                      sc,
                      dialect,
                      Outcome.REJECTED,
                      ApiJson.tree(res.body()).at("/error/message").asText())
                  : result(api, sc, dialect, Outcome.PASS, null));
        } catch (AssertionError | Exception e) {
          String why = e.getMessage() + " — " + res.statusCode() + " " + res.body();
          results.add(result(api, sc, dialect, Outcome.FAIL, why));
          failures.add(sc.title() + " / " + dialect + ": " + why);
        }
      }
    }
    InboundResult.write(Path.of("target"), api, heading, "InboundConformanceIT", results);
    CompatibilityDoc.render(CompatibilityDoc.repoRoot(Path.of("").toAbsolutePath()));
    assertThat(failures).isEmpty();
  }

  private static InboundResult result(
      String api, Scenario sc, String dialect, Outcome outcome, String detail) {
    return new InboundResult(api, dialect, sc.title(), sc.title(), outcome, detail);
  }

  // ---- checks ------------------------------------------------------------------------------

  private static JsonNode ok(HttpResponse<String> res) throws Exception {
    assertThat(res.statusCode()).as(res.body()).isEqualTo(200);
    return ApiJson.tree(res.body());
  }

  private static void refused(HttpResponse<String> res, String naming) {
    assertThat(res.statusCode()).isEqualTo(400);
    assertThat(res.body()).contains(naming);
  }

  private static JsonNode item(HttpResponse<String> res, String type) throws Exception {
    for (JsonNode item : ok(res).path("output")) {
      if (item.path("type").asText().equals(type)) {
        return item;
      }
    }
    throw new AssertionError("no " + type + " item");
  }

  private static void text(HttpResponse<String> res, String contains) throws Exception {
    JsonNode msg = item(res, "message");
    assertThat(msg.path("content").get(0).path("text").asText()).contains(contains);
    assertThat(ApiJson.tree(res.body()).path("usage").path("cost").isNumber()).isTrue();
  }

  private static void vectors(HttpResponse<String> res, int n) throws Exception {
    JsonNode body = ok(res);
    assertThat(body.path("data")).hasSize(n);
    assertThat(body.path("usage").path("cost").isNumber()).isTrue();
  }

  private static List<JsonNode> events(HttpResponse<String> res) throws Exception {
    List<JsonNode> out = new ArrayList<>();
    for (String line : res.body().split("\n")) {
      if (line.startsWith("data: ") && !line.equals("data: [DONE]")) {
        out.add(ApiJson.tree(line.substring(6)));
      }
    }
    return out;
  }

  private static void responsesStream(HttpResponse<String> res) throws Exception {
    assertThat(res.statusCode()).isEqualTo(200);
    List<JsonNode> events = events(res);
    Map<String, Integer> first = new LinkedHashMap<>();
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < events.size(); i++) {
      JsonNode e = events.get(i);
      assertThat(e.path("sequence_number").asInt()).isEqualTo(i);
      first.putIfAbsent(e.path("type").asText(), i);
      if (e.path("type").asText().equals("response.output_text.delta")) {
        text.append(e.path("delta").asText());
      }
    }
    assertThat(first.keySet().iterator().next()).isEqualTo("response.created");
    assertThat(events.getLast().path("type").asText()).isEqualTo("response.completed");
    assertThat(text.toString()).contains("Stream it");
    assertThat(res.body()).endsWith("data: [DONE]\n\n");
  }
}
