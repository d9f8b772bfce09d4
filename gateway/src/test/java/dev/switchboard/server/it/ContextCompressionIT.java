package dev.switchboard.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.api.json.ApiJson;
import dev.switchboard.server.catalog.EndpointEntry;
import dev.switchboard.server.catalog.ModelEntry;
import dev.switchboard.server.catalog.Pricing;
import dev.switchboard.server.config.GatewayConfig;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Context compression (checklist 19, 102): on by default for an 8,192-token endpoint, off with
 * {@code enabled:false} or {@code transforms: []}, asked for with {@code transforms:
 * ["middle-out"]}; the middle of the conversation goes, its ends and tool-call pairs stay.
 */
class ContextCompressionIT {

  static final ModelEntry SMALL =
      new ModelEntry(
          "test/small-8k",
          null,
          "Test: small 8K",
          1_700_000_000L,
          "An 8,192-token model for the compression tests.",
          8_192,
          null,
          null,
          "GPT",
          null,
          "small",
          List.of(
              new EndpointEntry(
                  "together",
                  "small-8k",
                  null,
                  Pricing.perToken("0.000001", "0.000002"),
                  8_192,
                  1_024,
                  List.of("tools", "tool_choice", "max_tokens", "temperature"),
                  null,
                  false,
                  false,
                  false,
                  null)));

  @RegisterExtension
  static final TestGateway gw =
      TestGateway.perClass(
          c ->
              c.withCatalog(
                  new GatewayConfig.CatalogConfig(
                      java.util.stream.Stream.concat(
                              c.catalog().models().stream(), java.util.stream.Stream.of(SMALL))
                          .toList(),
                      c.catalog().includeDefaults())));

  /** A conversation of {@code turns} user/assistant pairs of about 400 tokens each. */
  static String conversation(int turns) {
    StringBuilder m = new StringBuilder("[{\"role\":\"system\",\"content\":\"You are terse.\"}");
    String filler = "lorem ipsum dolor sit amet ".repeat(80);
    for (int i = 0; i < turns; i++) {
      m.append(",{\"role\":\"user\",\"content\":\"question ")
          .append(i)
          .append(' ')
          .append(filler)
          .append("\"}");
      m.append(",{\"role\":\"assistant\",\"content\":\"answer ")
          .append(i)
          .append(' ')
          .append(filler)
          .append("\"}");
    }
    m.append(",{\"role\":\"user\",\"content\":\"the last question\"}]");
    return m.toString();
  }

  static HttpResponse<String> chat(String model, String messages, String extra) throws Exception {
    return gw.chat(
        "{\"model\":\""
            + model
            + "\",\"messages\":"
            + messages
            + (extra.isEmpty() ? "" : "," + extra)
            + "}");
  }

  static JsonNode upstream() throws Exception {
    return gw.simulator().lastRequest("together").orElseThrow().json();
  }

  @Test
  void aLongConversationIsCutInTheMiddleToFitAnEightKEndpointByDefault() throws Exception {
    HttpResponse<String> r = chat("test/small-8k", conversation(30), "\"max_tokens\":500");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    JsonNode sent = upstream().path("messages");
    assertThat(sent.size()).isLessThan(62).isGreaterThan(3);
    assertThat(sent.get(0).path("content").asText()).isEqualTo("You are terse.");
    assertThat(sent.get(1).path("content").asText()).startsWith("question 0 ");
    assertThat(sent.get(sent.size() - 1).path("content").asText()).isEqualTo("the last question");
    assertThat(sent.toString()).doesNotContain("question 15 ");
    // What went upstream fits the context with room for the answer (o200k_base count).
    long tokens = 0;
    for (JsonNode msg : sent) {
      tokens += dev.switchboard.server.limits.PromptEstimator.count(msg.path("content").asText());
    }
    assertThat(tokens).isLessThan(8_192 - 500).isGreaterThan(4_000);
  }

  @Test
  void compressionOffLeavesNoEndpointForAPromptOverTheContext() throws Exception {
    HttpResponse<String> off =
        chat(
            "test/small-8k",
            conversation(30),
            "\"plugins\":[{\"id\":\"context-compression\",\"enabled\":false}]");
    assertThat(off.statusCode()).as(off.body()).isEqualTo(404);
    assertThat(off.body()).contains("context");
    HttpResponse<String> empty = chat("test/small-8k", conversation(30), "\"transforms\":[]");
    assertThat(empty.statusCode()).as(empty.body()).isEqualTo(404);
  }

  @Test
  void aPromptThatFitsIsSentWhole() throws Exception {
    HttpResponse<String> r =
        chat(
            "deepseek/deepseek-chat-v3-0324",
            conversation(3),
            "\"transforms\":[\"middle-out\"],\"provider\":{\"only\":[\"together\"]}");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(upstream().path("messages").size()).isEqualTo(8);
  }

  @Test
  void aToolCallAndItsResultGoOrStayTogether() throws Exception {
    String filler = "lorem ipsum dolor sit amet ".repeat(80);
    StringBuilder m = new StringBuilder("[{\"role\":\"user\",\"content\":\"start\"}");
    for (int i = 0; i < 20; i++) {
      m.append(",{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[{\"id\":\"call_")
          .append(i)
          .append(
              "\",\"type\":\"function\",\"function\":{\"name\":\"look\",\"arguments\":\"{}\"}}]}")
          .append(",{\"role\":\"tool\",\"tool_call_id\":\"call_")
          .append(i)
          .append("\",\"content\":\"")
          .append(filler)
          .append("\"}");
    }
    m.append(",{\"role\":\"user\",\"content\":\"done?\"}]");
    String tools =
        "\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"look\",\"parameters\":{\"type\":\"object\"}}}]";
    HttpResponse<String> r = chat("test/small-8k", m.toString(), tools);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    JsonNode sent = upstream().path("messages");
    assertThat(sent.size()).isLessThan(42);
    java.util.Set<String> called = new java.util.HashSet<>();
    for (JsonNode msg : sent) {
      for (JsonNode call : msg.path("tool_calls")) {
        called.add(call.path("id").asText());
      }
      if (msg.path("role").asText().equals("tool")) {
        assertThat(called).contains(msg.path("tool_call_id").asText());
      }
    }
  }

  @Test
  void compressionHasOnlyTheMiddleOutEngine() throws Exception {
    HttpResponse<String> r =
        chat(
            "test/small-8k",
            conversation(1),
            "\"plugins\":[{\"id\":\"context-compression\",\"engine\":\"summarize\"}]");
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(ApiJson.tree(r.body()).at("/error/message").asText()).contains("plugins[0].engine");
  }
}
