package dev.switchboard.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.api.json.ApiJson;
import dev.switchboard.server.catalog.EndpointEntry;
import dev.switchboard.server.catalog.ModelEntry;
import dev.switchboard.server.catalog.Pricing;
import dev.switchboard.server.config.GatewayConfig;
import dev.switchboard.sse.SseEvent;
import dev.switchboard.sse.SseReader;
import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The gateway's own tools through the server, the simulator as upstream and search API: the web
 * plugin and {@code :online}, server tools and their loop, PDF parsing, response healing.
 */
class PluginsIT {

  // Loopback allowed so web_fetch can read the simulator's pages.
  // And a model whose one endpoint has JSON mode but no native json_schema.
  @RegisterExtension
  static final TestGateway gw =
      TestGateway.perClass(c -> withJsonModeOnlyModel(c.withMedia(c.media().withLoopback(true))));

  static final String JSON_MODE_ONLY = "sim/json-mode-only";

  static GatewayConfig withJsonModeOnlyModel(GatewayConfig c) {
    List<ModelEntry> models = new ArrayList<>(c.catalog().models());
    models.add(
        new ModelEntry(
            JSON_MODE_ONLY,
            null,
            "Sim: JSON mode only",
            0,
            null,
            32_768,
            null,
            null,
            "Other",
            null,
            null,
            List.of(
                new EndpointEntry(
                    "deepseek",
                    "deepseek-chat",
                    null,
                    Pricing.perToken("0.000001", "0.000002"),
                    32_768,
                    4_096,
                    List.of("max_tokens", "temperature", "response_format"),
                    null,
                    false,
                    false,
                    false,
                    null))));
    return c.withCatalog(new GatewayConfig.CatalogConfig(models, c.catalog().includeDefaults()));
  }

  static final String OPENAI = "\"provider\":{\"only\":[\"openai\"]}";

  static JsonNode ok(HttpResponse<String> r) throws Exception {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return ApiJson.tree(r.body());
  }

  static JsonNode error(HttpResponse<String> r, int status) throws Exception {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
    return ApiJson.tree(r.body()).path("error");
  }

  static List<JsonNode> citations(JsonNode completion) {
    List<JsonNode> out = new ArrayList<>();
    for (JsonNode a : completion.path("choices").get(0).path("message").path("annotations")) {
      if (a.path("type").asText().equals("url_citation")) {
        out.add(a.path("url_citation"));
      }
    }
    return out;
  }

  static String sent() {
    return gw.simulator().lastRequest("openai").orElseThrow().json().toString();
  }

  // ---- web plugin ------------------------------------------------------------------------

  @Test
  void webPluginSearchesCitesAndCharges() throws Exception {
    JsonNode plain =
        ok(
            gw.chat(
                "{\"model\":\"openai/gpt-5.2\","
                    + OPENAI
                    + ",\"messages\":[{\"role\":\"user\",\"content\":\"latest jvm news\"}]}"));
    JsonNode c =
        ok(
            gw.chat(
                "{\"model\":\"openai/gpt-5.2\","
                    + OPENAI
                    + ",\"plugins\":[{\"id\":\"web\"}],"
                    + "\"messages\":[{\"role\":\"user\",\"content\":\"latest jvm news\"}]}"));
    List<JsonNode> cites = citations(c);
    assertThat(cites).hasSize(5); // max_results defaults to 5 (checklist 96)
    assertThat(cites.get(0).path("url").asText()).isEqualTo("https://search.sim/latest-jvm-news/1");
    assertThat(cites.get(0).path("title").asText()).isEqualTo("Result 1 for latest jvm news");
    assertThat(cites.get(0).path("content").asText()).contains("latest jvm news");
    // The model saw the results and the default search prompt.
    assertThat(sent())
        .contains("https://search.sim/latest-jvm-news/5")
        .contains("A web search was conducted on");
    // 5 results at $0.004 each on top of the same tokens (+ the injected text).
    BigDecimal withSearch = c.path("usage").path("cost").decimalValue();
    BigDecimal without = plain.path("usage").path("cost").decimalValue();
    assertThat(withSearch.subtract(without)).isGreaterThanOrEqualTo(new BigDecimal("0.02"));
    assertThat(c.path("usage").path("prompt_tokens").asLong())
        .isGreaterThan(plain.path("usage").path("prompt_tokens").asLong());
    JsonNode record =
        ok(gw.get("/generation?id=" + c.path("id").asText(), TestGateway.KEY)).path("data");
    assertThat(record.path("num_search_results").asInt()).isEqualTo(5);
    assertThat(record.path("total_cost").decimalValue()).isEqualByComparingTo(withSearch);
  }

  @Test
  void onlineVariantIsTheWebPluginAndTakesItsSettings() throws Exception {
    JsonNode c =
        ok(
            gw.chat(
                "{\"model\":\"openai/gpt-5.2:online\","
                    + OPENAI
                    + ",\"plugins\":[{\"id\":\"web\",\"max_results\":2,\"search_prompt\":\"SEARCHED:\"}],"
                    + "\"messages\":[{\"role\":\"user\",\"content\":\"vert.x 5\"}]}"));
    assertThat(citations(c)).hasSize(2);
    assertThat(sent()).contains("SEARCHED:").doesNotContain("A web search was conducted");
    long before = gw.simulator().searchCount();
    JsonNode off =
        ok(
            gw.chat(
                "{\"model\":\"openai/gpt-5.2:online\","
                    + OPENAI
                    + ",\"plugins\":[{\"id\":\"web\",\"enabled\":false}],"
                    + "\"messages\":[{\"role\":\"user\",\"content\":\"vert.x 5\"}]}"));
    assertThat(citations(off)).isEmpty();
    assertThat(gw.simulator().searchCount()).isEqualTo(before);
  }

  @Test
  void webPluginRefusesWhatItDoesNotDo() throws Exception {
    assertThat(
            error(
                    gw.chat(
                        "{\"model\":\"openai/gpt-5.2\",\"plugins\":[{\"id\":\"web\",\"engine\":\"firecrawl\"}],"
                            + "\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}"),
                    400)
                .path("message")
                .asText())
        .contains("web.engine");
    assertThat(
            error(
                    gw.chat(
                        "{\"model\":\"openai/gpt-5.2\",\"plugins\":[{\"id\":\"web\",\"max_results\":0}],"
                            + "\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}"),
                    400)
                .path("message")
                .asText())
        .contains("web.max_results");
  }

  @Test
  void streamedAnswerCarriesTheCitationsInADelta() throws Exception {
    HttpResponse<String> r =
        gw.chat(
            "{\"model\":\"openai/gpt-5.2\","
                + OPENAI
                + ",\"stream\":true,\"plugins\":[{\"id\":\"web\",\"max_results\":3}],"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"streams\"}]}");
    assertThat(r.statusCode()).isEqualTo(200);
    List<SseEvent> events = new ArrayList<>();
    SseReader.builder().onEvent(events::add).build().feed(r.body());
    JsonNode annotations = null;
    BigDecimal cost = null;
    for (SseEvent e : events) {
      if (e.isDone()) {
        continue;
      }
      JsonNode chunk = ApiJson.tree(e.data());
      for (JsonNode choice : chunk.path("choices")) {
        if (choice.path("delta").has("annotations")) {
          annotations = choice.path("delta").path("annotations");
        }
      }
      if (chunk.has("usage")) {
        cost = chunk.path("usage").path("cost").decimalValue();
      }
    }
    assertThat(annotations).isNotNull();
    assertThat(annotations).hasSize(3);
    assertThat(annotations.get(0).path("url_citation").path("url").asText())
        .startsWith("https://search.sim/streams/");
    assertThat(cost).isGreaterThanOrEqualTo(new BigDecimal("0.012"));
  }

  // ---- server tools ----------------------------------------------------------------------

  @Test
  void datetimeServerToolRunsInTheGatewaysLoop() throws Exception {
    JsonNode c =
        ok(
            gw.chat(
                "{\"model\":\"openai/gpt-5.2\","
                    + OPENAI
                    + ",\"tools\":[{\"type\":\"openrouter:datetime\"}],"
                    + "\"messages\":[{\"role\":\"user\",\"content\":\"What time is it?\"}]}"));
    JsonNode message = c.path("choices").get(0).path("message");
    assertThat(message.has("tool_calls")).isFalse();
    assertThat(c.path("choices").get(0).path("finish_reason").asText()).isEqualTo("stop");
    // The model's second round quotes the tool's result: today's date from the gateway's clock.
    assertThat(message.path("content").asText())
        .contains(java.time.LocalDate.now(java.time.ZoneOffset.UTC).toString().substring(0, 4));
    JsonNode details = c.path("usage").path("server_tool_use_details");
    assertThat(details.path("tool_calls_requested").asInt()).isEqualTo(1);
    assertThat(details.path("tool_calls_executed").asInt()).isEqualTo(1);
    assertThat(details.path("web_search_requests").asInt()).isZero();
    // Both rounds are in the record, the first with the call it made.
    JsonNode record =
        ok(gw.get("/generation?id=" + c.path("id").asText(), TestGateway.KEY)).path("data");
    JsonNode rounds = record.path("provider_responses");
    assertThat(rounds).hasSize(2);
    assertThat(rounds.get(0).path("round").asInt()).isZero();
    assertThat(rounds.get(0).path("server_tool_calls").get(0).asText()).isEqualTo("datetime");
    assertThat(rounds.get(1).path("round").asInt()).isEqualTo(1);
    // Tokens of both rounds are billed: the first round's prompt counts too.
    assertThat(c.path("usage").path("prompt_tokens").asLong())
        .isGreaterThan(
            gw.simulator().lastRequest("openai").orElseThrow().json().path("messages").size());
    // The model saw a function tool, never the server tool type.
    assertThat(sent()).contains("\"name\":\"datetime\"").doesNotContain("openrouter:");
  }

  @Test
  void serverToolsWithAStreamRunWholeRoundsAndStreamTheAnswer() throws Exception {
    HttpResponse<String> r =
        gw.chat(
            "{\"model\":\"openai/gpt-5.2\","
                + OPENAI
                + ",\"stream\":true,"
                + "\"tools\":[{\"type\":\"openrouter:web_search\",\"parameters\":{\"max_results\":2}}],"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"streamed search\"}]}");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("content-type")).hasValue("text/event-stream");
    List<SseEvent> events = new ArrayList<>();
    SseReader.builder().onEvent(events::add).build().feed(r.body());
    assertThat(events.getLast().isDone()).isTrue();
    StringBuilder text = new StringBuilder();
    JsonNode annotations = null;
    JsonNode usage = null;
    String finish = null;
    for (SseEvent e : events) {
      if (e.isDone()) {
        continue;
      }
      JsonNode chunk = ApiJson.tree(e.data());
      for (JsonNode ch : chunk.path("choices")) {
        text.append(ch.path("delta").path("content").asText(""));
        assertThat(ch.path("delta").has("tool_calls")).isFalse();
        if (ch.path("delta").has("annotations")) {
          annotations = ch.path("delta").path("annotations");
        }
        if (!ch.path("finish_reason").isNull()) {
          finish = ch.path("finish_reason").asText();
        }
      }
      if (chunk.has("usage")) {
        usage = chunk.path("usage");
      }
    }
    assertThat(text.toString()).contains("search.sim/streamed-search/1");
    assertThat(finish).isEqualTo("stop");
    assertThat(annotations).hasSize(2);
    assertThat(usage.path("server_tool_use_details").path("web_search_requests").asInt())
        .isEqualTo(1);
    // Upstream, both rounds were whole.
    assertThat(
            gw.simulator()
                .lastRequest("openai")
                .orElseThrow()
                .json()
                .path("stream")
                .asBoolean(false))
        .isFalse();
  }

  @Test
  void webSearchServerToolCitesAndCounts() throws Exception {
    JsonNode c =
        ok(
            gw.chat(
                "{\"model\":\"openai/gpt-5.2\","
                    + OPENAI
                    + ",\"tools\":[{\"type\":\"openrouter:web_search\",\"parameters\":{\"max_results\":2}}],"
                    + "\"messages\":[{\"role\":\"user\",\"content\":\"kotlin coroutines\"}]}"));
    assertThat(citations(c)).hasSize(2);
    assertThat(c.path("choices").get(0).path("message").path("content").asText())
        .contains("search.sim/kotlin-coroutines/1");
    assertThat(c.path("usage").path("server_tool_use_details").path("web_search_requests").asInt())
        .isEqualTo(1);
  }

  @Test
  void openAiWebSearchShorthandIsTheServerTool() throws Exception {
    JsonNode c =
        ok(
            gw.chat(
                "{\"model\":\"openai/gpt-5.2\","
                    + OPENAI
                    + ",\"tools\":[{\"type\":\"web_search_preview\"}],"
                    + "\"messages\":[{\"role\":\"user\",\"content\":\"graal\"}]}"));
    assertThat(citations(c)).hasSize(5);
  }

  @Test
  void webFetchReadsPagesThroughTheSafeFetcher() throws Exception {
    String page = gw.simulator().url() + "/web/hello-page";
    JsonNode c =
        ok(
            gw.chat(
                "{\"model\":\"openai/gpt-5.2\","
                    + OPENAI
                    + ",\"tools\":[{\"type\":\"openrouter:web_fetch\"}],"
                    + "\"messages\":[{\"role\":\"user\",\"content\":\"Read "
                    + page
                    + " please\"}]}"));
    String tool = toolResult();
    assertThat(tool)
        .contains("This is the simulated page")
        .contains("Page hello-page")
        .doesNotContain("<p>")
        .doesNotContain("var x");
    assertThat(c.path("usage").path("server_tool_use_details").path("tool_calls_executed").asInt())
        .isEqualTo(1);
  }

  @Test
  void clientToolsStillGoToTheClient() throws Exception {
    JsonNode c =
        ok(
            gw.chat(
                "{\"model\":\"openai/gpt-5.2\","
                    + OPENAI
                    + ",\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"lookup\",\"parameters\":{\"type\":\"object\",\"properties\":{\"id\":{\"type\":\"string\"}}}}},{\"type\":\"openrouter:datetime\"}],"
                    + "\"messages\":[{\"role\":\"user\",\"content\":\"look it up\"}]}"));
    JsonNode calls = c.path("choices").get(0).path("message").path("tool_calls");
    assertThat(calls).hasSize(1);
    assertThat(calls.get(0).path("function").path("name").asText()).isEqualTo("lookup");
  }

  @Test
  void serverToolLimitsAndUnbuiltOnesAreClear() throws Exception {
    assertThat(
            error(
                    gw.chat(
                        "{\"model\":\"openai/gpt-5.2\",\"tools\":[{\"type\":\"openrouter:image_generation\"}],"
                            + "\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}"),
                    501)
                .path("message")
                .asText())
        .contains("openrouter:image_generation");
    assertThat(
            error(
                    gw.chat(
                        "{\"model\":\"openai/gpt-5.2\",\"max_tool_calls\":31,\"tools\":[{\"type\":\"openrouter:datetime\"}],"
                            + "\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}"),
                    400)
                .path("message")
                .asText())
        .contains("max_tool_calls");

    assertThat(
            error(
                    gw.chat(
                        "{\"model\":\"openai/gpt-5.2\",\"tools\":[{\"type\":\"openrouter:web_search\",\"parameters\":{\"allowed_domains\":[\"a.com\"]}}],"
                            + "\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}"),
                    501)
                .path("message")
                .asText())
        .contains("parameters.allowed_domains");
    // max_tool_calls is acted on, not passed upstream.
    ok(
        gw.chat(
            "{\"model\":\"openai/gpt-5.2\","
                + OPENAI
                + ",\"max_tool_calls\":1,\"tools\":[{\"type\":\"openrouter:datetime\"}],"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"time?\"}]}"));
    assertThat(sent()).doesNotContain("max_tool_calls");
  }

  @Test
  void webFetchRefusesLoopbackWhenNotAllowed() throws Exception {
    try (TestGateway strict =
        TestGateway.start(java.nio.file.Files.createTempDirectory("sb-plugins-"))) {
      String page = strict.simulator().url() + "/web/secret";
      HttpResponse<String> r =
          strict.chat(
              "{\"model\":\"openai/gpt-5.2\","
                  + OPENAI
                  + ",\"tools\":[{\"type\":\"openrouter:web_fetch\"}],"
                  + "\"messages\":[{\"role\":\"user\",\"content\":\"Read "
                  + page
                  + "\"}]}");
      assertThat(r.statusCode()).isEqualTo(200);
      String tool = toolResult(strict);
      assertThat(tool)
          .contains("error")
          .contains("public addresses")
          .doesNotContain("simulated page");
    }
  }

  static String toolResult() {
    return toolResult(gw);
  }

  static String toolResult(TestGateway g) {
    JsonNode messages = g.simulator().lastRequest("openai").orElseThrow().json().path("messages");
    for (JsonNode m : messages) {
      if (m.path("role").asText().equals("tool")) {
        return m.path("content").toString();
      }
    }
    throw new AssertionError("no tool message in " + messages);
  }

  // ---- file parser ------------------------------------------------------------------------

  static String pdf(String text) throws Exception {
    try (PDDocument doc = new PDDocument()) {
      PDPage page = new PDPage();
      doc.addPage(page);
      try (PDPageContentStream s = new PDPageContentStream(doc, page)) {
        s.beginText();
        s.setFont(new PDType1Font(Standard14Fonts.FontName.HELVETICA), 12);
        s.newLineAtOffset(72, 700);
        s.showText(text);
        s.endText();
      }
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      doc.save(out);
      return "data:application/pdf;base64," + Base64.getEncoder().encodeToString(out.toByteArray());
    }
  }

  static String fileMessage(String dataUrl) {
    return "{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"Summarise\"},"
        + "{\"type\":\"file\",\"file\":{\"filename\":\"report.pdf\",\"file_data\":\""
        + dataUrl
        + "\"}}]}";
  }

  @Test
  void pdfTextIsParsedAnnotatedAndNotParsedAgain() throws Exception {
    String doc = pdf("Quarterly revenue grew by seven percent");
    JsonNode c =
        ok(
            gw.chat(
                "{\"model\":\"openai/gpt-5.2\","
                    + OPENAI
                    + ",\"plugins\":[{\"id\":\"file-parser\",\"pdf\":{\"engine\":\"pdf-text\"}}],"
                    + "\"messages\":["
                    + fileMessage(doc)
                    + "]}"));
    assertThat(sent())
        .contains("Quarterly revenue grew by seven percent")
        .doesNotContain("application/pdf");
    JsonNode annotation = c.path("choices").get(0).path("message").path("annotations").get(0);
    assertThat(annotation.path("type").asText()).isEqualTo("file");
    assertThat(annotation.path("file").path("name").asText()).isEqualTo("report.pdf");
    assertThat(annotation.path("file").path("hash").asText()).hasSize(64);
    assertThat(annotation.path("file").path("content").get(0).path("text").asText())
        .contains("seven percent");

    // Sent back on the assistant turn, the annotation stands for the file: no parse (its text,
    // changed here, is what the model gets).
    ObjectNode back = annotation.deepCopy();
    ((ObjectNode) back.path("file").path("content").get(0)).put("text", "FROM THE ANNOTATION");
    ok(
        gw.chat(
            "{\"model\":\"openai/gpt-5.2\","
                + OPENAI
                + ",\"plugins\":[{\"id\":\"file-parser\",\"pdf\":{\"engine\":\"cloudflare-ai\"}}],"
                + "\"messages\":["
                + fileMessage(doc)
                + ",{\"role\":\"assistant\",\"content\":\"ok\",\"annotations\":["
                + back
                + "]},"
                + "{\"role\":\"user\",\"content\":\"more\"}]}"));
    assertThat(sent()).contains("FROM THE ANNOTATION").doesNotContain("seven percent");
  }

  @Test
  void modelsWithoutFileSupportGetTheTextWithoutAskingAndNativeKeepsTheFile() throws Exception {
    String doc = pdf("Plain text for deepseek");
    ok(
        gw.chat(
            "{\"model\":\"deepseek/deepseek-chat-v3-0324\",\"provider\":{\"only\":[\"deepseek\"]},"
                + "\"messages\":["
                + fileMessage(doc)
                + "]}"));
    assertThat(gw.simulator().lastRequest("deepseek").orElseThrow().json().toString())
        .contains("Plain text for deepseek");
    ok(
        gw.chat(
            "{\"model\":\"openai/gpt-5.2\","
                + OPENAI
                + ",\"plugins\":[{\"id\":\"file-parser\",\"pdf\":{\"engine\":\"native\"}}],"
                + "\"messages\":["
                + fileMessage(doc)
                + "]}"));
    assertThat(sent()).contains("application/pdf").doesNotContain("Plain text for deepseek");
  }

  @Test
  void hostileOrUnconfiguredParsingFailsClearly() throws Exception {
    String junk =
        "data:application/pdf;base64,"
            + Base64.getEncoder().encodeToString("%PDF-1.7\n garbage \u0000\u0001".getBytes());
    assertThat(
            error(
                    gw.chat(
                        "{\"model\":\"openai/gpt-5.2\",\"plugins\":[{\"id\":\"file-parser\"}],"
                            + "\"messages\":["
                            + fileMessage(junk)
                            + "]}"),
                    422)
                .path("message")
                .asText())
        .contains("report.pdf");
    assertThat(
            error(
                    gw.chat(
                        "{\"model\":\"openai/gpt-5.2\",\"plugins\":[{\"id\":\"file-parser\",\"pdf\":{\"engine\":\"mistral-ocr\"}}],"
                            + "\"messages\":["
                            + fileMessage(pdf("x"))
                            + "]}"),
                    503)
                .path("message")
                .asText())
        .contains("plugins.file-parser.ocr-url");
    // The gateway is still fine.
    ok(
        gw.chat(
            "{\"model\":\"openai/gpt-5.2\",\"messages\":[{\"role\":\"user\",\"content\":\"alive?\"}]}"));
  }

  // ---- structured outputs ------------------------------------------------------------------

  static final String SCHEMA =
      "\"response_format\":{\"type\":\"json_schema\",\"json_schema\":{\"name\":\"city\",\"strict\":true,"
          + "\"schema\":{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"},"
          + "\"population\":{\"type\":\"integer\"}},\"required\":[\"city\",\"population\"]}}}";

  @Test
  void structuredOutputsAreEmulatedWhereNoEndpointIsNative() throws Exception {
    String body =
        "{\"model\":\""
            + JSON_MODE_ONLY
            + "\",%s"
            + SCHEMA
            + ",\"messages\":[{\"role\":\"user\",\"content\":\"a city\"}]}";
    long before = gw.simulator().requestCount("deepseek");
    JsonNode c = ok(gw.chat(body.formatted("")));
    assertThat(gw.simulator().requestCount("deepseek") - before).isEqualTo(1);
    JsonNode answer =
        ApiJson.tree(c.path("choices").get(0).path("message").path("content").asText());
    assertThat(answer.has("city")).isTrue();
    // The schema went to the model as an instruction.
    assertThat(gw.simulator().lastRequest("deepseek").orElseThrow().json().toString())
        .contains("conforms to this JSON Schema");
    // A cut-off answer fails the schema check: one repair round, then the answer as it is.
    before = gw.simulator().requestCount("deepseek");
    ok(gw.chat(body.formatted("\"max_tokens\":4,")));
    assertThat(gw.simulator().requestCount("deepseek") - before).isEqualTo(2);
    assertThat(gw.simulator().lastRequest("deepseek").orElseThrow().json().toString())
        .contains("does not conform to the JSON Schema");
    // Natively served: no instruction, no check.
    ok(
        gw.chat(
            "{\"model\":\"openai/gpt-5.2\","
                + OPENAI
                + ","
                + SCHEMA
                + ",\"max_tokens\":4,\"messages\":[{\"role\":\"user\",\"content\":\"a city\"}]}"));
    assertThat(sent())
        .doesNotContain("conforms to this JSON Schema")
        .doesNotContain("does not conform");
  }

  @Test
  void modelsSayWhichEndpointsTakeJsonSchemaNatively() throws Exception {
    JsonNode models = ok(gw.get("/models", TestGateway.KEY)).path("data");
    JsonNode gpt = null;
    JsonNode deepseek = null;
    for (JsonNode m : models) {
      if (m.path("id").asText().equals("openai/gpt-5.2")) {
        gpt = m;
      } else if (m.path("id").asText().equals(JSON_MODE_ONLY)) {
        deepseek = m;
      }
    }
    assertThat(gpt.path("supported_parameters").toString()).contains("structured_outputs");
    assertThat(deepseek.path("supported_parameters").toString())
        .doesNotContain("structured_outputs");
  }

  // ---- response healing -------------------------------------------------------------------

  @Test
  void responseHealingRepairsTruncatedJsonOnlyWhenAsked() throws Exception {
    String body =
        "{\"model\":\"openai/gpt-5.2\","
            + OPENAI
            + ",\"max_tokens\":6,\"response_format\":{\"type\":\"json_object\"},"
            + "%s\"messages\":[{\"role\":\"user\",\"content\":\"give json\"}]}";
    String raw =
        ok(gw.chat(body.formatted("")))
            .path("choices")
            .get(0)
            .path("message")
            .path("content")
            .asText();
    assertThat(raw).startsWith("{\"answer\"");
    assertThat(JsonValid.parse(raw)).isFalse();
    String healed =
        ok(gw.chat(body.formatted("\"plugins\":[{\"id\":\"response-healing\"}],")))
            .path("choices")
            .get(0)
            .path("message")
            .path("content")
            .asText();
    assertThat(JsonValid.parse(healed)).as(healed).isTrue();
    assertThat(ApiJson.tree(healed).path("answer").asText()).isNotEmpty();
    // Streams are left alone.
    HttpResponse<String> s =
        gw.chat(body.formatted("\"stream\":true,\"plugins\":[{\"id\":\"response-healing\"}],"));
    StringBuilder text = new StringBuilder();
    List<SseEvent> events = new ArrayList<>();
    SseReader.builder().onEvent(events::add).build().feed(s.body());
    for (SseEvent e : events) {
      if (!e.isDone()) {
        for (JsonNode ch : ApiJson.tree(e.data()).path("choices")) {
          text.append(ch.path("delta").path("content").asText(""));
        }
      }
    }
    assertThat(text.toString()).isEqualTo(raw);
  }

  /** Whether a text is one JSON value. */
  static final class JsonValid {
    static boolean parse(String s) throws Exception {
      try {
        ApiJson.mapper().readTree(s);
        return s.strip().endsWith("}");
      } catch (Exception e) {
        return false;
      }
    }
  }
}
