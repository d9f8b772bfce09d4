package dev.switchboard.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.api.json.ApiJson;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Nothing accepted and ignored: every request field of the reference (openrouter-api.md §3.1 and
 * §3.2) is sent once through the gateway to the simulator, and either shows its effect (on the
 * upstream body or the answer), or is refused with a 400 or 501 that names it.
 */
class RequestFieldsIT {

  @RegisterExtension static final TestGateway gw = TestGateway.perClass();

  /** The request fields of the reference's tables, §3.1 then §3.2. */
  static final List<String> REFERENCE_FIELDS =
      List.of(
          "model",
          "messages",
          "prompt",
          "max_tokens",
          "max_completion_tokens",
          "temperature",
          "top_p",
          "top_k",
          "frequency_penalty",
          "presence_penalty",
          "repetition_penalty",
          "min_p",
          "top_a",
          "seed",
          "logit_bias",
          "logprobs",
          "top_logprobs",
          "stop",
          "stream",
          "stream_options",
          "response_format",
          "tools",
          "tool_choice",
          "parallel_tool_calls",
          "prediction",
          "user",
          "metadata",
          "modalities",
          "audio",
          "service_tier",
          "prompt_cache_key",
          "prompt_cache_options",
          "reasoning_effort",
          "verbosity",
          "web_search_options",
          "n",
          "models",
          "route",
          "provider",
          "plugins",
          "transforms",
          "usage",
          "reasoning",
          "include_reasoning",
          "debug",
          "session_id",
          "trace",
          "cache_control",
          "image_config",
          "preset",
          "max_tool_calls",
          "stop_server_tools_when");

  /** Deepseek V3 on Together: in demo mode an OpenAI-dialect endpoint of the simulator. */
  static final String MODEL = "deepseek/deepseek-chat-v3-0324";

  static final String BASE =
      "\"model\":\""
          + MODEL
          + "\",\"provider\":{\"only\":[\"together\"]},"
          + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]";

  @FunctionalInterface
  interface Check {
    void verify(HttpResponse<String> response, JsonNode upstream) throws Exception;
  }

  record Case(String field, String body, Check check) {
    @Override
    public String toString() {
      return field + ": " + body;
    }
  }

  static Case withBase(String field, String fragment, Check check) {
    return new Case(field, "{" + BASE + "," + fragment + "}", check);
  }

  static Check forwarded(String name, String json) {
    return (r, up) -> {
      assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
      assertThat(up.get(name)).as(name + " upstream: " + up).isEqualTo(ApiJson.tree(json));
    };
  }

  static Check dropped(String name) {
    return (r, up) -> {
      assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
      assertThat(up.has(name)).as(name + " upstream: " + up).isFalse();
    };
  }

  static Check refused(int status, String... named) {
    return (r, up) -> {
      assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
      String message = ApiJson.tree(r.body()).path("error").path("message").asText();
      for (String n : named) {
        assertThat(message).contains(n);
      }
    };
  }

  static Check ok(Check then) {
    return (r, up) -> {
      assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
      then.verify(r, up);
    };
  }

  static Stream<Case> cases() {
    List<Case> c = new ArrayList<>();
    // §3.1
    c.add(
        withBase(
            "model",
            "\"seed\":1",
            ok(
                (r, up) -> {
                  assertThat(ApiJson.tree(r.body()).path("model").asText()).isEqualTo(MODEL);
                  assertThat(up.path("model").asText()).isEqualTo("deepseek-ai/DeepSeek-V3");
                })));
    c.add(
        withBase(
            "messages",
            "\"seed\":1",
            ok((r, up) -> assertThat(up.at("/messages/0/content").asText()).isEqualTo("hi"))));
    c.add(
        new Case(
            "prompt",
            "{\"model\":\""
                + MODEL
                + "\",\"provider\":{\"only\":[\"together\"]},"
                + "\"prompt\":\"say hi\"}",
            ok(
                (r, up) -> {
                  assertThat(up.at("/messages/0/role").asText()).isEqualTo("user");
                  assertThat(up.at("/messages/0/content").asText()).isEqualTo("say hi");
                })));
    // The demo's endpoints speak OpenAI's dialect, which takes the limit as max_completion_tokens.
    c.add(withBase("max_tokens", "\"max_tokens\":50", forwarded("max_completion_tokens", "50")));
    c.add(
        withBase(
            "max_completion_tokens",
            "\"max_completion_tokens\":60",
            forwarded("max_completion_tokens", "60")));
    c.add(withBase("temperature", "\"temperature\":0.5", forwarded("temperature", "0.5")));
    c.add(withBase("top_p", "\"top_p\":0.9", forwarded("top_p", "0.9")));
    // OpenRouter's sampling extensions that an OpenAI-dialect endpoint does not take are dropped,
    // as the reference says of unsupported parameters; require_parameters refuses such endpoints.
    c.add(withBase("top_k", "\"top_k\":40", dropped("top_k")));
    c.add(
        withBase(
            "frequency_penalty",
            "\"frequency_penalty\":0.1",
            forwarded("frequency_penalty", "0.1")));
    c.add(
        withBase(
            "presence_penalty", "\"presence_penalty\":0.2", forwarded("presence_penalty", "0.2")));
    c.add(
        withBase(
            "repetition_penalty", "\"repetition_penalty\":1.1", dropped("repetition_penalty")));
    c.add(withBase("min_p", "\"min_p\":0.05", dropped("min_p")));
    c.add(withBase("top_a", "\"top_a\":0.1", dropped("top_a")));
    c.add(
        new Case(
            "top_a",
            "{\"model\":\""
                + MODEL
                + "\",\"provider\":{\"only\":[\"together\"],\"require_parameters\":true},"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"top_a\":0.1}",
            (r, up) -> assertThat(r.statusCode()).isEqualTo(404)));
    c.add(withBase("seed", "\"seed\":7", forwarded("seed", "7")));
    c.add(
        withBase(
            "logit_bias",
            "\"logit_bias\":{\"50256\":-100}",
            forwarded("logit_bias", "{\"50256\":-100}")));
    c.add(withBase("logprobs", "\"logprobs\":true", forwarded("logprobs", "true")));
    c.add(
        withBase(
            "top_logprobs",
            "\"logprobs\":true,\"top_logprobs\":2",
            forwarded("top_logprobs", "2")));
    c.add(withBase("stop", "\"stop\":[\"END\"]", forwarded("stop", "[\"END\"]")));
    c.add(
        withBase(
            "stream",
            "\"stream\":true",
            ok(
                (r, up) -> {
                  assertThat(r.headers().firstValue("content-type")).hasValue("text/event-stream");
                  assertThat(up.path("stream").asBoolean()).isTrue();
                })));
    // A deprecated no-op: usage is always reported.
    c.add(
        withBase(
            "stream_options",
            "\"stream\":true,\"stream_options\":{\"include_usage\":false}",
            ok((r, up) -> assertThat(r.body()).contains("\"usage\":{"))));
    c.add(withBase("stream_options", "\"stream_options\":\"yes\"", refused(400, "stream_options")));
    c.add(
        withBase(
            "response_format",
            "\"response_format\":{\"type\":\"json_object\"}",
            forwarded("response_format", "{\"type\":\"json_object\"}")));
    String tool =
        "{\"type\":\"function\",\"function\":{\"name\":\"get_time\",\"parameters\":"
            + "{\"type\":\"object\",\"properties\":{}}}}";
    c.add(
        withBase(
            "tools",
            "\"tools\":[" + tool + "]",
            ok(
                (r, up) ->
                    assertThat(up.at("/tools/0/function/name").asText()).isEqualTo("get_time"))));
    c.add(
        withBase(
            "tool_choice",
            "\"tools\":[" + tool + "],\"tool_choice\":\"required\"",
            forwarded("tool_choice", "\"required\"")));
    c.add(
        withBase(
            "parallel_tool_calls",
            "\"tools\":[" + tool + "],\"parallel_tool_calls\":false",
            forwarded("parallel_tool_calls", "false")));
    c.add(
        withBase(
            "prediction",
            "\"prediction\":{\"type\":\"content\",\"content\":\"hello\"}",
            forwarded("prediction", "{\"type\":\"content\",\"content\":\"hello\"}")));
    c.add(
        withBase(
            "user",
            "\"user\":\"alice@example.com\"",
            ok(
                (r, up) -> {
                  assertThat(up.path("user").asText()).startsWith("sb-user-");
                  assertThat(up.toString()).doesNotContain("alice");
                })));
    // Kept by the gateway (the generation record); OpenAI takes it upstream only with store:true.
    c.add(
        withBase(
            "metadata",
            "\"metadata\":{\"team\":\"blue\"}",
            ok((r, up) -> assertThat(up.has("metadata")).isFalse())));
    c.add(withBase("metadata", "\"metadata\":{\"team\":7}", refused(400, "metadata")));
    c.add(
        withBase("modalities", "\"modalities\":[\"text\"]", forwarded("modalities", "[\"text\"]")));
    c.add(
        withBase(
            "audio",
            "\"audio\":{\"voice\":\"alloy\",\"format\":\"wav\"}",
            forwarded("audio", "{\"voice\":\"alloy\",\"format\":\"wav\"}")));
    // Routing (service-tier endpoints, WireFeaturesIT); this model has none: it runs on the
    // default tier, which the answer reports, and the tier is not sent upstream.
    c.add(
        withBase(
            "service_tier",
            "\"service_tier\":\"flex\"",
            ok(
                (r, up) -> {
                  assertThat(up.has("service_tier")).as(up.toString()).isFalse();
                  assertThat(ApiJson.tree(r.body()).path("service_tier").asText())
                      .isEqualTo("default");
                })));
    c.add(withBase("service_tier", "\"service_tier\":\"ultra\"", refused(400, "service_tier")));
    c.add(
        withBase(
            "prompt_cache_key",
            "\"prompt_cache_key\":\"conv-1\"",
            forwarded("prompt_cache_key", "\"conv-1\"")));
    c.add(
        withBase(
            "prompt_cache_options",
            "\"prompt_cache_options\":{\"mode\":\"explicit\"}",
            forwarded("prompt_cache_options", "{\"mode\":\"explicit\"}")));
    c.add(
        withBase(
            "reasoning_effort",
            "\"reasoning_effort\":\"low\"",
            forwarded("reasoning_effort", "\"low\"")));
    c.add(
        withBase(
            "reasoning_effort", "\"reasoning_effort\":\"loud\"", refused(400, "reasoning_effort")));
    // A soft routing preference (WireFeaturesIT); no endpoint here lists it, so it goes on as is.
    c.add(withBase("verbosity", "\"verbosity\":\"low\"", forwarded("verbosity", "\"low\"")));
    c.add(
        withBase(
            "web_search_options",
            "\"web_search_options\":{\"search_context_size\":\"low\"}",
            forwarded("web_search_options", "{\"search_context_size\":\"low\"}")));
    // Checklist 16: n > 1 still returns exactly one choice (and more are never asked upstream).
    c.add(
        withBase(
            "n",
            "\"n\":2",
            ok(
                (r, up) -> {
                  assertThat(up.has("n")).isFalse();
                  assertThat(ApiJson.tree(r.body()).path("choices").size()).isEqualTo(1);
                })));
    // §3.2
    c.add(
        new Case(
            "models",
            "{\"models\":[\""
                + MODEL
                + "\"],\"provider\":{\"only\":[\"together\"]},"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}",
            ok(
                (r, up) ->
                    assertThat(ApiJson.tree(r.body()).path("model").asText()).isEqualTo(MODEL))));
    c.add(
        withBase(
            "route",
            "\"route\":\"fallback\"",
            ok((r, up) -> assertThat(up.has("route")).isFalse())));
    c.add(withBase("route", "\"route\":\"random\"", refused(400, "route")));
    c.add(
        new Case(
            "provider",
            "{\"model\":\""
                + MODEL
                + "\",\"provider\":{\"only\":[\"fireworks\"]},"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}",
            ok(
                (r, up) ->
                    assertThat(up.path("model").asText())
                        .isEqualTo("accounts/fireworks/models/deepseek-v3-0324"))));
    c.add(
        withBase(
            "provider", "\"seed\":1,\"provider\":{\"sorted\":1}", refused(400, "provider.sorted")));
    c.add(withBase("plugins", "\"plugins\":[{\"id\":\"teleport\"}]", refused(400, "teleport")));
    c.add(
        withBase(
            "plugins",
            "\"plugins\":[{\"id\":\"web\"}]",
            ok(
                (r, up) ->
                    assertThat(
                            ApiJson.tree(r.body())
                                .at("/choices/0/message/annotations/0/type")
                                .asText())
                        .isEqualTo("url_citation"))));
    c.add(
        withBase(
            "plugins",
            "\"plugins\":[{\"id\":\"web\",\"enabled\":false}]",
            ok((r, up) -> assertThat(up.has("plugins")).isFalse())));
    // Compression on; this prompt fits, so it goes whole (ContextCompressionIT shows the cut).
    c.add(
        withBase(
            "transforms",
            "\"transforms\":[\"middle-out\"]",
            ok((r, up) -> assertThat(up.has("transforms")).isFalse())));
    c.add(withBase("transforms", "\"transforms\":[\"shrink\"]", refused(400, "transforms[0]")));
    c.add(
        withBase(
            "usage",
            "\"usage\":{\"include\":true}",
            ok((r, up) -> assertThat(ApiJson.tree(r.body()).path("usage").has("cost")).isTrue())));
    c.add(withBase("usage", "\"usage\":{\"detail\":true}", refused(400, "usage.detail")));
    c.add(
        withBase(
            "reasoning",
            "\"reasoning\":{\"effort\":\"high\"}",
            forwarded("reasoning_effort", "\"high\"")));
    c.add(
        withBase(
            "include_reasoning",
            "\"include_reasoning\":false",
            ok(
                (r, up) ->
                    assertThat(
                            ApiJson.tree(r.body())
                                    .at("/choices/0/message/reasoning")
                                    .isMissingNode()
                                || ApiJson.tree(r.body())
                                    .at("/choices/0/message/reasoning")
                                    .isNull())
                        .isTrue())));
    c.add(
        withBase(
            "debug",
            "\"debug\":{\"echo_upstream_body\":true}",
            ok(
                (r, up) -> {
                  assertThat(ApiJson.tree(r.body()).has("debug")).isFalse();
                  assertThat(up.has("debug")).isFalse();
                })));
    c.add(
        withBase(
            "debug",
            "\"stream\":true,\"debug\":{\"echo_upstream_body\":true}",
            ok(
                (r, up) -> {
                  String first = null;
                  for (String line : r.body().split("\n")) {
                    if (line.startsWith("data: {")) {
                      first = line.substring(6);
                      break;
                    }
                  }
                  JsonNode chunk = ApiJson.tree(first);
                  assertThat(chunk.path("choices").isArray()).isTrue();
                  assertThat(chunk.path("choices")).isEmpty();
                  assertThat(chunk.at("/debug/echo_upstream_body")).isEqualTo(up);
                })));
    c.add(withBase("debug", "\"debug\":{\"verbose\":true}", refused(400, "debug.verbose")));
    c.add(
        withBase(
            "session_id",
            "\"session_id\":\"s-1\"",
            ok((r, up) -> assertThat(up.has("session_id")).isFalse())));
    c.add(withBase("trace", "\"trace\":{\"trace_id\":\"t1\"}", refused(501, "trace")));
    // Anthropic-style automatic caching: the Messages dialect takes it.
    c.add(
        new Case(
            "cache_control",
            "{\"model\":\"anthropic/claude-sonnet-4\",\"provider\":{\"only\":[\"anthropic\"]},"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],"
                + "\"cache_control\":{\"type\":\"ephemeral\"}}",
            forwarded("cache_control", "{\"type\":\"ephemeral\"}")));
    c.add(
        withBase(
            "image_config",
            "\"image_config\":{\"aspect_ratio\":\"1:1\"}",
            refused(501, "image_config")));
    // PresetsIT shows a preset applied; an unknown one is a 404 naming it.
    c.add(withBase("preset", "\"preset\":\"my-preset\"", refused(404, "my-preset")));
    c.add(
        withBase(
            "max_tool_calls",
            "\"max_tool_calls\":3",
            ok((r, up) -> assertThat(up.has("max_tool_calls")).isFalse())));
    c.add(withBase("max_tool_calls", "\"max_tool_calls\":31", refused(400, "max_tool_calls")));
    c.add(
        withBase(
            "stop_server_tools_when",
            "\"stop_server_tools_when\":[{\"type\":\"step_count_is\",\"count\":2}]",
            refused(501, "stop_server_tools_when")));
    return c.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void everyFieldHasItsEffectOrIsRefused(Case c) throws Exception {
    gw.simulator().reset();
    HttpResponse<String> r = gw.chat(c.body());
    JsonNode upstream =
        gw.simulator().requests("together").stream()
            .reduce((a, b) -> b)
            .or(() -> gw.simulator().requests("fireworks").stream().reduce((a, b) -> b))
            .or(() -> gw.simulator().requests("anthropic").stream().reduce((a, b) -> b))
            .map(rec -> rec.json())
            .orElse(ApiJson.tree("{}"));
    c.check().verify(r, upstream);
  }

  @Test
  void everyReferenceFieldHasACase() {
    Set<String> covered = new LinkedHashSet<>();
    cases().forEach(c -> covered.add(c.field()));
    assertThat(covered).containsAll(REFERENCE_FIELDS);
  }

  @Test
  void unknownTopLevelFieldsStillPassThroughToOpenAiDialectUpstreams() throws Exception {
    HttpResponse<String> r = gw.chat("{" + BASE + ",\"safe_prompt\":true}");
    assertThat(r.statusCode()).isEqualTo(200);
    JsonNode up = gw.simulator().lastRequest("together").orElseThrow().json();
    assertThat(up.path("safe_prompt").asBoolean()).isTrue();
  }
}
