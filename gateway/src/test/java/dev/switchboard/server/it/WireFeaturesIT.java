package dev.switchboard.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.api.json.ApiJson;
import dev.switchboard.server.catalog.EndpointEntry;
import dev.switchboard.server.catalog.ModelEntry;
import dev.switchboard.server.catalog.Pricing;
import dev.switchboard.server.config.GatewayConfig;
import dev.switchboard.simulator.Fault;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The rest of the wire (issue 13, item 9), each through the server and the simulator: {@code
 * error.availability} (checklist 24, 61), a non-streaming answer that fails after partial output
 * (35), mandatory reasoning (105), service tiers (150), {@code verbosity} as a soft routing
 * preference (84), {@code :exacto} ordering by the measured tool-call error rate (67) and {@code
 * cache_write_tokens} only where the endpoint prices cache writes (32).
 */
class WireFeaturesIT {

  static final String DEEPSEEK = "deepseek/deepseek-chat-v3-0324";

  static EndpointEntry endpoint(
      String provider, String tag, String prompt, String completion, List<String> params) {
    return new EndpointEntry(
        provider,
        "sim-model",
        tag,
        Pricing.perToken(prompt, completion),
        32_000,
        4_000,
        params,
        null,
        false,
        true,
        false,
        null);
  }

  static ModelEntry model(String id, List<EndpointEntry> endpoints) {
    return new ModelEntry(
        id,
        null,
        id,
        1_700_000_000L,
        "A test model.",
        32_000,
        null,
        null,
        "GPT",
        null,
        null,
        endpoints);
  }

  static final List<String> PARAMS =
      List.of("max_tokens", "temperature", "tools", "tool_choice", "response_format");

  /** A default-tier endpoint on Together, a flex one on Fireworks, a priority one on Groq. */
  static final ModelEntry TIERS =
      model(
          "test/tiers",
          List.of(
              endpoint("together", null, "0.000001", "0.000002", PARAMS),
              endpoint("fireworks", "fireworks/flex", "0.0000005", "0.000001", PARAMS),
              endpoint("groq", "groq/priority", "0.000002", "0.000004", PARAMS)));

  /** Two endpoints; only Fireworks (the dearer) lists verbosity. */
  static final ModelEntry VERBOSE =
      model(
          "test/verbose",
          List.of(
              endpoint("together", null, "0.000001", "0.000002", PARAMS),
              endpoint(
                  "fireworks",
                  null,
                  "0.000003",
                  "0.000006",
                  Stream.concat(PARAMS.stream(), Stream.of("verbosity")).toList())));

  /** Two tool-calling endpoints; Together is the cheaper. */
  static final ModelEntry EXACTO =
      model(
          "test/exacto",
          List.of(
              endpoint("together", null, "0.000001", "0.000002", PARAMS),
              endpoint("fireworks", null, "0.000002", "0.000004", PARAMS)));

  @RegisterExtension
  static final TestGateway gw =
      TestGateway.perClass(
          c ->
              c.withCatalog(
                  new GatewayConfig.CatalogConfig(
                      Stream.concat(
                              c.catalog().models().stream(), Stream.of(TIERS, VERBOSE, EXACTO))
                          .toList(),
                      c.catalog().includeDefaults())));

  static HttpResponse<String> chat(String model, String extra) throws Exception {
    return gw.chat(
        "{\"model\":\""
            + model
            + "\",\"messages\":[{\"role\":\"user\",\"content\":\"What is the weather in Paris?\"}]"
            + (extra.isEmpty() ? "" : "," + extra)
            + "}");
  }

  static JsonNode json(HttpResponse<String> r) throws Exception {
    return ApiJson.tree(r.body());
  }

  static JsonNode upstream(String provider) throws Exception {
    return ApiJson.tree(gw.simulator().lastRequest(provider).orElseThrow().body());
  }

  // ---- error.availability (checklist 24, 61) ------------------------------------------------

  @Test
  void anUnknownModelIsA400WithTheModelNotFoundAvailability() throws Exception {
    HttpResponse<String> r = chat("acme/fake-1.0", "");
    assertThat(r.statusCode()).isEqualTo(400);
    JsonNode error = json(r).path("error");
    assertThat(error.path("message").asText()).isEqualTo("acme/fake-1.0 is not a valid model ID");
    assertThat(error.path("error_type").asText()).isEqualTo("invalid_request");
    assertThat(error.path("http_status").asInt()).isEqualTo(400);
    JsonNode a = error.path("availability");
    assertThat(a.path("code").asText()).isEqualTo("model_not_found");
    assertThat(a.path("retryable").asBoolean(true)).isFalse();
    assertThat(a.path("requested_models")).isEqualTo(ApiJson.tree("[\"acme/fake-1.0\"]"));
    assertThat(a.path("docs_url").asText())
        .isEqualTo("https://openrouter.ai/docs/errors#model_not_found");
  }

  @Test
  void routingFiltersThatLeaveNothingAreConstraintFilteredOrPrivacyRestricted() throws Exception {
    HttpResponse<String> r = chat(DEEPSEEK, "\"provider\":{\"only\":[\"nobody\"]}");
    assertThat(r.statusCode()).isEqualTo(404);
    JsonNode error = json(r).path("error");
    assertThat(error.path("http_status").asInt()).isEqualTo(404);
    assertThat(error.path("error_type").asText()).isEqualTo("not_found");
    assertThat(error.path("availability").path("code").asText()).isEqualTo("constraint_filtered");
    assertThat(error.path("availability").path("excluded_by"))
        .isEqualTo(ApiJson.tree("[\"allowed_providers\"]"));
    assertThat(error.path("availability").path("requested_models"))
        .isEqualTo(ApiJson.tree("[\"" + DEEPSEEK + "\"]"));

    // Every endpoint of the test models retains prompts: zdr alone leaves nothing.
    HttpResponse<String> zdr = chat("test/exacto", "\"provider\":{\"zdr\":true}");
    assertThat(zdr.statusCode()).isEqualTo(404);
    assertThat(json(zdr).path("error").path("availability").path("code").asText())
        .isEqualTo("privacy_restricted");
  }

  @Test
  void otherErrorsCarryNoAvailability() throws Exception {
    HttpResponse<String> r = gw.chat("{\"model\":\"" + DEEPSEEK + "\",\"messages\":[]}");
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(json(r).path("error").has("availability")).isFalse();
    assertThat(json(r).path("error").has("http_status")).isFalse();
  }

  // ---- partial output, then failure, not streamed (checklist 35) ----------------------------

  @Test
  void aNonStreamingAnswerThatFailsAfterPartialOutputIs200WithTheChoiceError() throws Exception {
    gw.simulator().addFault("together", Fault.partial(3).times(1));
    HttpResponse<String> r = chat(DEEPSEEK, "\"provider\":{\"only\":[\"together\"]}");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    JsonNode body = json(r);
    JsonNode choice = body.path("choices").get(0);
    assertThat(choice.path("finish_reason").asText()).isEqualTo("error");
    assertThat(choice.path("message").path("content").asText()).startsWith("Simulated answer");
    assertThat(choice.path("error").path("code").asInt()).isEqualTo(502);
    assertThat(choice.path("error").path("message").asText()).contains("partial output");
    assertThat(choice.path("error").path("metadata").path("provider_name").asText())
        .isEqualTo("Together");
    // An answer that ended in error is not charged for its tokens (checklist 149).
    assertThat(body.path("usage").path("cost").decimalValue()).isZero();
    assertThat(body.path("usage").path("completion_tokens").asInt()).isEqualTo(3);
  }

  @Test
  void aStreamThatFailsAfterPartialOutputEndsWithTheErrorChunk() throws Exception {
    gw.simulator().addFault("together", Fault.partial(3).times(1));
    HttpResponse<String> r =
        chat(DEEPSEEK, "\"stream\":true,\"provider\":{\"only\":[\"together\"]}");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).contains("\"finish_reason\":\"error\"").contains("\"error\":{");
  }

  // ---- mandatory reasoning (checklist 105) --------------------------------------------------

  @Test
  void modelsSaysWhereReasoningIsMandatory() throws Exception {
    JsonNode models = json(gw.get("/models", null)).path("data");
    JsonNode codex = null;
    JsonNode deepseek = null;
    for (JsonNode m : models) {
      if (m.path("id").asText().equals("openai/gpt-5.3-codex")) {
        codex = m;
      } else if (m.path("id").asText().equals(DEEPSEEK)) {
        deepseek = m;
      }
    }
    assertThat(codex).isNotNull();
    assertThat(codex.path("reasoning").path("mandatory").asBoolean()).isTrue();
    assertThat(codex.path("reasoning").path("supported_efforts"))
        .isEqualTo(ApiJson.tree("[\"low\",\"medium\",\"high\",\"xhigh\"]"));
    assertThat(codex.path("reasoning").path("default_effort").asText()).isEqualTo("medium");
    assertThat(deepseek.has("reasoning")).isFalse();
  }

  @Test
  void turningMandatoryReasoningOffIsA400ExceptThroughALatestAlias() throws Exception {
    HttpResponse<String> none = chat("openai/gpt-5.3-codex", "\"reasoning\":{\"effort\":\"none\"}");
    assertThat(none.statusCode()).isEqualTo(400);
    assertThat(json(none).path("error").path("message").asText())
        .contains("Reasoning is mandatory for openai/gpt-5.3-codex");
    HttpResponse<String> off = chat("openai/gpt-5.3-codex", "\"reasoning\":{\"enabled\":false}");
    assertThat(off.statusCode()).isEqualTo(400);
    HttpResponse<String> shorthand = chat("openai/gpt-5.3-codex", "\"reasoning_effort\":\"none\"");
    assertThat(shorthand.statusCode()).isEqualTo(400);

    HttpResponse<String> low = chat("openai/gpt-5.3-codex", "\"reasoning\":{\"effort\":\"low\"}");
    assertThat(low.statusCode()).as(low.body()).isEqualTo(200);

    HttpResponse<String> alias =
        chat(
            "~openai/gpt-codex-latest",
            "\"reasoning\":{\"effort\":\"none\"},\"provider\":{\"only\":[\"openai\"]}");
    assertThat(alias.statusCode()).as(alias.body()).isEqualTo(200);
    assertThat(upstream("openai").path("reasoning_effort").asText()).isEqualTo("low");
  }

  // ---- service tiers (checklist 150) --------------------------------------------------------

  @Test
  void withoutAServiceTierOnlyDefaultTierEndpointsServe() throws Exception {
    for (int i = 0; i < 4; i++) {
      HttpResponse<String> r = chat("test/tiers", "");
      assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
      assertThat(json(r).path("provider").asText()).isEqualTo("Together");
    }
    assertThat(upstream("together").has("service_tier")).isFalse();
  }

  @Test
  void flexUsesTheFlexEndpointAndNeverFallsBackToTheDefaultTier() throws Exception {
    HttpResponse<String> r = chat("test/tiers", "\"service_tier\":\"flex\"");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(json(r).path("provider").asText()).isEqualTo("Fireworks");
    assertThat(json(r).path("service_tier").asText()).isEqualTo("flex");
    assertThat(upstream("fireworks").path("service_tier").asText()).isEqualTo("flex");

    gw.simulator().addFault("fireworks", Fault.status(503));
    long together = gw.simulator().requestCount("together");
    HttpResponse<String> failed = chat("test/tiers", "\"service_tier\":\"flex\"");
    assertThat(failed.statusCode()).isEqualTo(503);
    assertThat(gw.simulator().requestCount("together")).isEqualTo(together);
  }

  @Test
  void flexOnAModelWithoutFlexEndpointsRunsNormallyAndReportsTheDefaultTier() throws Exception {
    HttpResponse<String> r =
        chat(DEEPSEEK, "\"service_tier\":\"flex\",\"provider\":{\"only\":[\"together\"]}");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(json(r).path("service_tier").asText()).isEqualTo("default");
    assertThat(upstream("together").has("service_tier")).isFalse();
  }

  @Test
  void priorityGoesFirstToThePriorityEndpointThenFallsBackToTheDefaultTier() throws Exception {
    HttpResponse<String> r = chat("test/tiers", "\"service_tier\":\"fast\"");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(json(r).path("provider").asText()).isEqualTo("Groq");
    assertThat(json(r).path("service_tier").asText()).isEqualTo("priority");
    assertThat(upstream("groq").path("service_tier").asText()).isEqualTo("priority");

    gw.simulator().addFault("groq", Fault.status(503).times(1));
    HttpResponse<String> fallback = chat("test/tiers", "\"service_tier\":\"priority\"");
    assertThat(fallback.statusCode()).as(fallback.body()).isEqualTo(200);
    assertThat(json(fallback).path("provider").asText()).isEqualTo("Together");
    assertThat(json(fallback).path("service_tier").asText()).isEqualTo("default");
  }

  @Test
  void floorAdmitsFlexEndpointsAndATierTagNamedInOnlyAdmitsItsEndpoint() throws Exception {
    HttpResponse<String> floor = chat("test/tiers:floor", "");
    assertThat(floor.statusCode()).as(floor.body()).isEqualTo(200);
    assertThat(json(floor).path("provider").asText()).isEqualTo("Fireworks");

    HttpResponse<String> named = chat("test/tiers", "\"provider\":{\"only\":[\"groq/priority\"]}");
    assertThat(named.statusCode()).as(named.body()).isEqualTo(200);
    assertThat(json(named).path("provider").asText()).isEqualTo("Groq");
  }

  @Test
  void anUnknownServiceTierIsA400NamingTheField() throws Exception {
    HttpResponse<String> r = chat("test/tiers", "\"service_tier\":\"ultra\"");
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(json(r).path("error").path("message").asText()).contains("service_tier");
  }

  // ---- verbosity as a soft routing preference (checklist 84) --------------------------------

  @Test
  void verbosityKeepsOnlyTheEndpointsThatSupportIt() throws Exception {
    for (int i = 0; i < 4; i++) {
      HttpResponse<String> r = chat("test/verbose", "\"verbosity\":\"low\"");
      assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
      assertThat(json(r).path("provider").asText()).isEqualTo("Fireworks");
    }
    assertThat(upstream("fireworks").path("verbosity").asText()).isEqualTo("low");
    // Without it, the cheaper endpoint is back in the running (sorted by price here).
    HttpResponse<String> plain = chat("test/verbose", "\"provider\":{\"sort\":\"price\"}");
    assertThat(json(plain).path("provider").asText()).isEqualTo("Together");
  }

  @Test
  void verbosityThatNoEndpointSupportsIsPassedOnAsIs() throws Exception {
    HttpResponse<String> r =
        chat(DEEPSEEK, "\"verbosity\":\"high\",\"provider\":{\"only\":[\"together\"]}");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(upstream("together").path("verbosity").asText()).isEqualTo("high");
  }

  // ---- :exacto (checklist 67) ---------------------------------------------------------------

  static final String TOOLS =
      "\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"get_weather\","
          + "\"parameters\":{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}},"
          + "\"required\":[\"city\"]}}}]";

  @Test
  void exactoOrdersByTheMeasuredToolCallErrorRate() throws Exception {
    // Unmeasured, the two tie and the cheaper (Together) goes first.
    HttpResponse<String> first = chat("test/exacto:exacto", TOOLS);
    assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
    assertThat(json(first).path("provider").asText()).isEqualTo("Together");
    assertThat(json(first).path("choices").get(0).path("finish_reason").asText())
        .isEqualTo("tool_calls");

    // Together's tool calls break in each of the three ways the checks catch.
    for (Fault.ToolCallDefect defect : Fault.ToolCallDefect.values()) {
      gw.simulator().addFault("together", Fault.badToolCalls(defect).times(1));
      HttpResponse<String> bad =
          chat("test/exacto", TOOLS + ",\"provider\":{\"only\":[\"together\"]}");
      assertThat(bad.statusCode()).as(bad.body()).isEqualTo(200);
    }
    JsonNode endpoints = json(gw.get("/models/test/exacto/endpoints", null)).path("data");
    JsonNode together = null;
    for (JsonNode e : endpoints.path("endpoints")) {
      if (e.path("tag").asText().equals("together")) {
        together = e;
      }
    }
    assertThat(together.path("tool_call_answers_last_1d").asLong()).isEqualTo(4);
    assertThat(together.path("tool_call_error_rate_last_1d").asDouble()).isEqualTo(0.75);

    // Now Fireworks (unmeasured, 0.5) ranks before Together ((3 + 1) / (4 + 2)).
    HttpResponse<String> after = chat("test/exacto:exacto", TOOLS);
    assertThat(json(after).path("provider").asText()).isEqualTo("Fireworks");
    HttpResponse<String> sorted =
        chat("test/exacto", TOOLS + ",\"provider\":{\"sort\":\"exacto\"}");
    assertThat(json(sorted).path("provider").asText()).isEqualTo("Fireworks");
    // An explicit price sort overrides :exacto.
    HttpResponse<String> price =
        chat("test/exacto:exacto", TOOLS + ",\"provider\":{\"sort\":\"price\"}");
    assertThat(json(price).path("provider").asText()).isEqualTo("Together");
  }

  // ---- cache_write_tokens only with write pricing (checklist 32) ----------------------------

  @Test
  void cacheWriteTokensAppearOnlyWhereTheEndpointPricesCacheWrites() throws Exception {
    HttpResponse<String> anthropic =
        chat("anthropic/claude-opus-4.6", "\"provider\":{\"only\":[\"anthropic\"]}");
    assertThat(anthropic.statusCode()).as(anthropic.body()).isEqualTo(200);
    assertThat(
            json(anthropic).path("usage").path("prompt_tokens_details").has("cache_write_tokens"))
        .isTrue();

    HttpResponse<String> deepseek = chat(DEEPSEEK, "\"provider\":{\"only\":[\"together\"]}");
    assertThat(deepseek.statusCode()).isEqualTo(200);
    JsonNode details = json(deepseek).path("usage").path("prompt_tokens_details");
    assertThat(details.has("cached_tokens")).isTrue();
    assertThat(details.has("cache_write_tokens")).isFalse();
  }
}
