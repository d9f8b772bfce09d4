package dev.switchboard.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.api.generation.GenerationData;
import dev.switchboard.api.keys.ActivityRow;
import dev.switchboard.api.keys.CreatedKey;
import dev.switchboard.api.keys.Credits;
import dev.switchboard.api.keys.KeyData;
import dev.switchboard.api.keys.KeyInfo;
import dev.switchboard.api.models.ModelEndpoints;
import dev.switchboard.api.models.ModelList;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The other endpoints against replayed answers shaped as in the reference (§9-11): credits and
 * activity (which the gateway does not serve yet), and the exact requests for keys and generations.
 */
class ReplayEndpointsTest {

  ReplayServer server;
  SwitchboardClient client;
  final List<Duration> sleeps = new ArrayList<>();

  @BeforeEach
  void start() {
    server = ReplayServer.start();
    client = server.client().sleeper(sleeps::add).build();
  }

  @AfterEach
  void stop() {
    client.close();
    server.close();
  }

  @Test
  void creditsGiveTheBalance() {
    server.on(
        "GET",
        "/credits",
        ReplayServer.Reply.json(200, "{\"data\":{\"total_credits\":100.5,\"total_usage\":25.75}}"));
    Credits credits = client.credits();
    assertThat(credits.totalCredits()).isEqualByComparingTo("100.5");
    assertThat(credits.balance()).isEqualByComparingTo("74.75");
    assertThat(server.lastRequest().header("Authorization"))
        .isEqualTo("Bearer " + ReplayServer.KEY);
  }

  @Test
  void activityRowsForTheLastDaysOrOneDay() {
    String rows =
        "{\"data\":[{\"date\":\"2025-08-24\",\"model\":\"openai/gpt-4.1\",\"model_permaslug\":\"openai/gpt-4.1-2025-04-14\","
            + "\"endpoint_id\":\"550e8400-e29b\",\"provider_name\":\"OpenAI\",\"usage\":0.015,"
            + "\"byok_usage_inference\":0.012,\"requests\":5,\"prompt_tokens\":50,\"completion_tokens\":125,"
            + "\"reasoning_tokens\":25}]}";
    server.on("GET", "/activity", ReplayServer.Reply.json(200, rows));
    List<ActivityRow> all = client.activity();
    assertThat(all)
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.model()).isEqualTo("openai/gpt-4.1");
              assertThat(r.usage()).isEqualByComparingTo("0.015");
              assertThat(r.requests()).isEqualTo(5);
              assertThat(r.reasoningTokens()).isEqualTo(25);
            });
    client.activity(LocalDate.of(2025, 8, 24));
    assertThat(server.lastRequest().query()).isEqualTo("date=2025-08-24");
  }

  @Test
  void generationIsAskedAgainWhileItIsNotRecordedYet() {
    server.on(
        "GET",
        "/generation",
        Replies.error(404, "Generation not found"),
        Replies.error(404, "Generation not found"),
        ReplayServer.Reply.json(
            200,
            "{\"data\":{\"id\":\"gen-1-abc\",\"total_cost\":0.0015,\"model\":\"openai/gpt-4o\","
                + "\"provider_name\":\"OpenAI\",\"tokens_prompt\":10,\"tokens_completion\":20,"
                + "\"streamed\":false,\"cancelled\":false,\"is_byok\":false,\"latency\":1234,"
                + "\"provider_responses\":[{\"provider_name\":\"OpenAI\",\"status\":200}]}}"));
    GenerationData g = client.generation("gen-1-abc");
    assertThat(g.totalCost()).isEqualByComparingTo("0.0015");
    assertThat(g.providerResponses().get(0).path("status").asInt()).isEqualTo(200);
    assertThat(server.requests()).hasSize(3);
    assertThat(server.lastRequest().query()).isEqualTo("id=gen-1-abc");
    assertThat(sleeps).containsExactly(Duration.ofMillis(100), Duration.ofMillis(200));
  }

  @Test
  void generationGivesUpAfterItsWait() {
    server.on("GET", "/generation", Replies.error(404, "Generation not found"));
    NotFoundException e =
        catchThrowableOfType(
            NotFoundException.class, () -> client.generation("gen-x", Duration.ZERO));
    assertThat(e).hasMessage("Generation not found");
    assertThat(server.requests()).hasSize(1);
  }

  @Test
  void keyInfoReadsTheDocumentedShape() {
    server.on(
        "GET",
        "/key",
        ReplayServer.Reply.json(
            200,
            """
            {"data":{"label":"sk-or-v1-au7...890","limit":100,"limit_remaining":74.5,"limit_reset":"monthly",
             "include_byok_in_limit":false,"usage":25.5,"usage_daily":25.5,"usage_weekly":25.5,"usage_monthly":25.5,
             "byok_usage":17.38,"byok_usage_daily":17.38,"byok_usage_weekly":17.38,"byok_usage_monthly":17.38,
             "is_free_tier":false,"is_management_key":false,"is_provisioning_key":false,
             "creator_user_id":"user_2dHF","expires_at":"2027-12-31T23:59:59Z",
             "rate_limit":{"requests":1000,"interval":"1h","note":"deprecated"}}}
            """));
    KeyInfo key = client.key();
    assertThat(key.limitRemaining()).isEqualByComparingTo("74.5");
    assertThat(key.usageMonthly()).isEqualByComparingTo("25.5");
    assertThat(key.expiresAt()).isEqualTo("2027-12-31T23:59:59Z");
    assertThat(key.rateLimit()).containsEntry("interval", "1h");
  }

  static final String KEY =
      "{\"hash\":\"abc123\",\"name\":\"ci\",\"label\":\"sk-or-v1-abc...123\",\"disabled\":false,"
          + "\"limit\":10,\"limit_remaining\":10,\"limit_reset\":\"monthly\",\"include_byok_in_limit\":false,"
          + "\"usage\":0,\"created_at\":\"2025-02-19T20:52:27.363244+00:00\",\"updated_at\":null}";

  @Test
  void keyManagementSendsOnlyTheFieldsSet() {
    server.on(
        "POST",
        "/keys",
        ReplayServer.Reply.json(201, "{\"data\":" + KEY + ",\"key\":\"sk-or-v1-plain\"}"));
    server.on("PATCH", "/keys/abc123", ReplayServer.Reply.json(200, "{\"data\":" + KEY + "}"));
    server.on("GET", "/keys", ReplayServer.Reply.json(200, "{\"data\":[" + KEY + "]}"));
    server.on("DELETE", "/keys/abc123", ReplayServer.Reply.json(200, "{\"deleted\":true}"));

    CreatedKey created =
        client
            .keys()
            .create(
                KeyRequest.create("ci")
                    .limit(new BigDecimal("10"))
                    .limitReset("monthly")
                    .includeByokInLimit(false)
                    .expiresAt(Instant.parse("2027-01-01T00:00:00Z")));
    assertThat(created.key()).isEqualTo("sk-or-v1-plain");
    assertThat(created.data().hash()).isEqualTo("abc123");
    JsonNode body = server.lastRequest().json();
    assertThat(body.toString())
        .isEqualTo(
            "{\"name\":\"ci\",\"limit\":10,\"limit_reset\":\"monthly\",\"include_byok_in_limit\":false,"
                + "\"expires_at\":\"2027-01-01T00:00:00Z\"}");

    KeyData updated = client.keys().update("abc123", KeyRequest.update().disabled(true).noLimit());
    assertThat(updated.name()).isEqualTo("ci");
    assertThat(server.lastRequest().json().toString())
        .isEqualTo("{\"disabled\":true,\"limit\":null}");

    assertThat(client.keys().list(100, true))
        .extracting(KeyData::label)
        .containsExactly("sk-or-v1-abc...123");
    assertThat(server.lastRequest().query()).isEqualTo("offset=100&include_disabled=true");
    assertThat(client.keys().delete("abc123")).isTrue();
    assertThat(server.lastRequest().method()).isEqualTo("DELETE");
  }

  @Test
  void modelsWithPricingAndEndpointsInTheDocumentedShape() {
    String model =
        "{\"id\":\"openai/gpt-4\",\"canonical_slug\":\"openai/gpt-4\",\"name\":\"GPT-4\",\"created\":1692901234,"
            + "\"context_length\":8192,\"architecture\":{\"modality\":\"text->text\",\"input_modalities\":[\"text\"],"
            + "\"output_modalities\":[\"text\"],\"tokenizer\":\"GPT\",\"instruct_type\":\"chatml\"},"
            + "\"pricing\":{\"prompt\":\"0.00003\",\"completion\":\"0.00006\",\"request\":\"0\",\"image\":\"0\",\"discount\":0},"
            + "\"top_provider\":{\"context_length\":8192,\"max_completion_tokens\":4096,\"is_moderated\":true},"
            + "\"per_request_limits\":null,\"supported_parameters\":[\"temperature\",\"max_tokens\"],"
            + "\"reasoning\":{\"mandatory\":false},\"links\":{\"details\":\"/api/v1/models/openai/gpt-4/endpoints\"}}";
    server.on(
        "GET",
        "/models",
        ReplayServer.Reply.json(
            200, "{\"data\":[" + model + "],\"total_count\":1,\"links\":{\"next\":null}}"));
    server.on(
        "GET",
        "/model/openai/gpt-4:free",
        ReplayServer.Reply.json(200, "{\"data\":" + model + "}"));
    server.on(
        "GET",
        "/models/openai/gpt-4/endpoints",
        ReplayServer.Reply.json(
            200,
            "{\"data\":{\"id\":\"openai/gpt-4\",\"name\":\"GPT-4\",\"created\":1692901234,\"endpoints\":[{"
                + "\"name\":\"OpenAI: GPT-4\",\"model_id\":\"openai/gpt-4\",\"context_length\":8192,"
                + "\"pricing\":{\"prompt\":\"0.00003\",\"completion\":\"0.00006\"},\"provider_name\":\"OpenAI\","
                + "\"tag\":\"openai\",\"quantization\":\"fp16\",\"status\":0,\"supports_implicit_caching\":true,"
                + "\"uptime_last_30m\":99.5,\"latency_last_30m\":{\"p50\":0.25},\"throughput_last_30m\":{\"p50\":45.2}}]}}"));

    ModelList list = client.models().list();
    assertThat(list.totalCount()).isEqualTo(1);
    ModelPricing pricing = ModelPricing.of(list.data().getFirst().pricing());
    assertThat(pricing.promptPerMillion()).isEqualByComparingTo("30");
    assertThat(pricing.completionPerMillion()).isEqualByComparingTo("60");
    assertThat(pricing.cost(1000, 500)).isEqualByComparingTo("0.06");
    assertThat(pricing.free()).isFalse();

    assertThat(client.models().get("openai/gpt-4:free").contextLength()).isEqualTo(8192);
    assertThat(server.lastRequest().path()).isEqualTo("/api/v1/model/openai/gpt-4:free");
    ModelEndpoints endpoints = client.models().endpoints("openai/gpt-4");
    assertThat(endpoints.endpoints())
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.tag()).isEqualTo("openai");
              assertThat(e.latencyLast30m()).containsEntry("p50", 0.25);
            });
    client.models().list(java.util.Map.of("supported_parameters", "tools,response_format"));
    assertThat(server.lastRequest().query())
        .isEqualTo("supported_parameters=tools%2Cresponse_format");
  }

  @Test
  void providersListIgnoresFieldsItDoesNotModel() {
    server.on(
        "GET",
        "/providers",
        ReplayServer.Reply.json(
            200,
            "{\"data\":[{\"name\":\"OpenAI\",\"slug\":\"openai\",\"privacy_policy_url\":\"https://openai.com/privacy\","
                + "\"headquarters\":\"US\",\"datacenters\":[\"US\",\"IE\"]}]}"));
    assertThat(client.providers())
        .singleElement()
        .satisfies(p -> assertThat(p.slug()).isEqualTo("openai"));
  }

  @Test
  void debugEchoChunkIsExposedByTheStream() {
    server.on(
        "POST",
        "/chat/completions",
        ReplayServer.Reply.sse(
            "data: {\"id\":\"gen-d\",\"provider\":\"Anthropic\",\"model\":\"anthropic/claude-sonnet-4\","
                + "\"object\":\"chat.completion.chunk\",\"created\":1,\"choices\":[],"
                + "\"debug\":{\"echo_upstream_body\":{\"model\":\"claude-sonnet-4-20250514\",\"max_tokens\":64}}}\n\n"
                + Replies.CHUNK.formatted("Hi")
                + "data: [DONE]\n\n"));
    try (ChatStream s =
        client.chat().stream(
            Chat.request("smart").user("hi").debugEchoUpstreamBody(true).build())) {
      assertThat(s.debugEcho())
          .hasValueSatisfying(
              echo ->
                  assertThat(echo.path("model").asText()).isEqualTo("claude-sonnet-4-20250514"));
      assertThat(s.accumulate().text()).isEqualTo("Hi");
    }
    assertThat(server.lastRequest().json().at("/debug/echo_upstream_body").asBoolean()).isTrue();
  }
}
