package dev.switchboard.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.api.json.ApiJson;
import dev.switchboard.server.storage.GenerationRecord;
import dev.switchboard.server.storage.Keys;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The management endpoints of issue 11 over HTTP: credits and their ledger, management keys,
 * guardrails and their assignments, budgets, key rate-limit fields, activity and apps.
 */
class MoneyIT {

  @TempDir static Path dir;
  static TestGateway gw;
  static final String M = TestGateway.MASTER_KEY;
  static final String DEMO_HASH = Keys.hash(TestGateway.KEY);

  @BeforeAll
  static void start() {
    gw = TestGateway.start(dir.resolve("data"));
  }

  @AfterAll
  static void stop() {
    gw.close();
  }

  static JsonNode json(HttpResponse<String> r, int status) throws Exception {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
    return ApiJson.tree(r.body());
  }

  @Test
  void creditsAreFundedWithAnAuditTrailAndReportedInOpenRoutersShape() throws Exception {
    JsonNode before = json(gw.get("/credits", M), 200).path("data");
    assertThat(before.has("total_credits")).isTrue();
    assertThat(before.has("total_usage")).isTrue();
    BigDecimal start =
        before.path("total_credits").isNull()
            ? BigDecimal.ZERO
            : before.path("total_credits").decimalValue();

    JsonNode added =
        json(gw.send("POST", "/credits", "{\"amount\":25.5,\"note\":\"Q2 budget\"}", M), 201)
            .path("data");
    assertThat(added.path("amount").decimalValue()).isEqualByComparingTo("25.5");
    assertThat(added.path("note").asText()).isEqualTo("Q2 budget");
    assertThat(added.path("actor").asText()).startsWith("master (sk-sb-mgmt-v1-");
    assertThat(added.path("created_at").asText()).endsWith("Z");

    JsonNode after = json(gw.get("/credits", M), 200).path("data");
    assertThat(after.path("total_credits").decimalValue())
        .isEqualByComparingTo(start.add(new BigDecimal("25.5")));
    JsonNode ledger = json(gw.get("/credits/ledger", M), 200).path("data");
    assertThat(ledger.get(0).path("id").asLong()).isEqualTo(added.path("id").asLong());

    assertThat(
            json(gw.send("POST", "/credits", "{\"amount\":1,\"by\":\"me\"}", M), 400)
                .path("error")
                .path("message")
                .asText())
        .contains("\"by\"");
    json(gw.send("POST", "/credits", "{\"note\":\"x\"}", M), 400);
    json(gw.send("POST", "/credits", "{\"amount\":0}", M), 400);
    json(gw.get("/credits", TestGateway.KEY), 403);
    json(gw.get("/credits", null), 401);
  }

  @Test
  void managementKeysAreListedCreatedAndRevokedButNeverTheLastOne() throws Exception {
    JsonNode created = json(gw.send("POST", "/management-keys", "{\"name\":\"ci\"}", M), 201);
    String plaintext = created.path("key").asText();
    assertThat(plaintext).startsWith(Keys.MANAGEMENT_PREFIX);
    String hash = created.path("data").path("hash").asText();
    json(gw.get("/credits", plaintext), 200);
    JsonNode list = json(gw.get("/management-keys", M), 200).path("data");
    assertThat(list.toString()).contains(hash).doesNotContain(plaintext);

    json(gw.send("DELETE", "/management-keys/" + hash, null, M), 200);
    json(gw.get("/credits", plaintext), 401);
    json(gw.send("DELETE", "/management-keys/" + hash, null, M), 404);
    json(gw.send("DELETE", "/management-keys/" + DEMO_HASH, null, M), 404);
    String master = Keys.hash(M);
    assertThat(
            json(gw.send("DELETE", "/management-keys/" + master, null, M), 400)
                .path("error")
                .path("message")
                .asText())
        .contains("last active management key");
  }

  @Test
  void guardrailsHaveCrudAndAssignmentsAndShowOnTheKey() throws Exception {
    json(
        gw.send("POST", "/guardrails", "{\"name\":\"g\",\"limit_usd\":5}", M),
        400); // limit_usd without reset_interval
    json(gw.send("POST", "/guardrails", "{\"name\":\"g\",\"allowed\":[]}", M), 400);
    JsonNode g =
        json(
                gw.send(
                    "POST",
                    "/guardrails",
                    "{\"name\":\"team\",\"limit_usd\":5,\"reset_interval\":\"weekly\","
                        + "\"allowed_models\":[\"openai/*\"],\"ignored_providers\":[\"azure\"],"
                        + "\"enforce_zdr\":true}",
                    M),
                201)
            .path("data");
    String id = g.path("id").asText();
    assertThat(g.path("limit_usd").decimalValue()).isEqualByComparingTo("5");
    assertThat(g.path("reset_interval").asText()).isEqualTo("weekly");
    assertThat(g.path("enforce_zdr").asBoolean()).isTrue();
    assertThat(g.path("allowed_providers").isNull()).isTrue();

    JsonNode patched =
        json(
                gw.send("PATCH", "/guardrails/" + id, "{\"limit_usd\":7,\"enforce_zdr\":false}", M),
                200)
            .path("data");
    assertThat(patched.path("limit_usd").decimalValue()).isEqualByComparingTo("7");
    assertThat(patched.path("reset_interval").asText()).isEqualTo("weekly");
    assertThat(patched.path("enforce_zdr").asBoolean()).isFalse();
    assertThat(patched.path("updated_at").isNull()).isFalse();

    String body = "{\"key_hashes\":[\"" + DEMO_HASH + "\"]}";
    assertThat(
            json(gw.send("POST", "/guardrails/" + id + "/assignments/keys", body, M), 200)
                .path("assigned_count")
                .asInt())
        .isEqualTo(1);
    assertThat(
            json(gw.get("/keys/" + DEMO_HASH, M), 200)
                .path("data")
                .path("guardrail_ids")
                .toString())
        .contains(id);
    assertThat(
            json(gw.get("/guardrails/" + id + "/assignments/keys", M), 200).path("data").toString())
        .contains(DEMO_HASH);
    json(
        gw.send(
            "POST",
            "/guardrails/" + id + "/assignments/keys",
            "{\"key_hashes\":[\"" + Keys.hash(M) + "\"]}",
            M),
        400); // a management key cannot carry a guardrail
    assertThat(
            json(gw.send("POST", "/guardrails/" + id + "/assignments/keys/remove", body, M), 200)
                .path("unassigned_count")
                .asInt())
        .isEqualTo(1);
    assertThat(json(gw.get("/guardrails", M), 200).path("data").toString()).contains(id);
    json(gw.send("DELETE", "/guardrails/" + id, null, M), 200);
    json(gw.get("/guardrails/" + id, M), 404);
    json(gw.get("/guardrails", TestGateway.KEY), 403);
  }

  @Test
  void budgetsPerUserAndSessionWithADefault() throws Exception {
    JsonNode put =
        json(
                gw.send(
                    "PUT",
                    "/budgets/user/alice",
                    "{\"limit_usd\":2,\"reset_interval\":\"daily\"}",
                    M),
                200)
            .path("data");
    assertThat(put.path("remaining_usd").decimalValue()).isEqualByComparingTo("2");
    json(gw.send("PUT", "/budgets/session/*", "{\"limit_usd\":0.5}", M), 200);
    JsonNode viaDefault = json(gw.get("/budgets/session/run-42", M), 200).path("data");
    assertThat(viaDefault.path("rule_subject").asText()).isEqualTo("*");
    assertThat(viaDefault.path("reset_interval").isNull()).isTrue();
    json(gw.get("/budgets/user/bob", M), 404);
    json(gw.send("PUT", "/budgets/team/x", "{\"limit_usd\":1}", M), 400);
    json(gw.send("PUT", "/budgets/user/x", "{\"limit_usd\":-1}", M), 400);
    json(
        gw.send("PUT", "/budgets/user/x", "{\"limit_usd\":1,\"reset_interval\":\"hourly\"}", M),
        400);
    assertThat(json(gw.get("/budgets", M), 200).path("data").size()).isGreaterThanOrEqualTo(2);
    json(gw.send("DELETE", "/budgets/user/alice", null, M), 200);
    json(gw.get("/budgets/user/alice", M), 404);
  }

  @Test
  void keysCarryTheirRateLimitsAndLimitFields() throws Exception {
    JsonNode created =
        json(
            gw.send(
                "POST",
                "/keys",
                "{\"name\":\"rated\",\"limit\":3,\"limit_reset\":\"monthly\","
                    + "\"include_byok_in_limit\":true,\"requests_per_minute\":60,"
                    + "\"tokens_per_minute\":0}",
                M),
            201);
    JsonNode data = created.path("data");
    assertThat(data.path("requests_per_minute").asInt()).isEqualTo(60);
    assertThat(data.path("tokens_per_minute").asInt()).isZero();
    assertThat(data.path("limit_remaining").decimalValue()).isEqualByComparingTo("3");
    assertThat(data.path("include_byok_in_limit").asBoolean()).isTrue();
    String hash = data.path("hash").asText();
    JsonNode patched =
        json(gw.send("PATCH", "/keys/" + hash, "{\"requests_per_minute\":null}", M), 200)
            .path("data");
    assertThat(patched.path("requests_per_minute").isNull()).isTrue();
    assertThat(patched.path("tokens_per_minute").asInt()).isZero();
    assertThat(
            json(gw.send("PATCH", "/keys/" + hash, "{\"tokens_per_minute\":-5}", M), 400)
                .path("error")
                .path("message")
                .asText())
        .contains("tokens_per_minute");
    JsonNode self = json(gw.get("/key", created.path("key").asText()), 200).path("data");
    assertThat(self.path("limit").decimalValue()).isEqualByComparingTo("3");
    assertThat(self.path("limit_reset").asText()).isEqualTo("monthly");
    assertThat(self.path("usage_daily").decimalValue()).isZero();

    JsonNode expired =
        json(
            gw.send(
                "POST", "/keys", "{\"name\":\"old\",\"expires_at\":\"2020-01-01T00:00:00Z\"}", M),
            201);
    assertThat(
            json(gw.get("/key", expired.path("key").asText()), 401)
                .path("error")
                .path("message")
                .asText())
        .isEqualTo("API key has expired");
  }

  @Test
  void activityCoversTheLast30CompletedDaysFromTheRollup() throws Exception {
    LocalDate today = LocalDate.now(ZoneOffset.UTC);
    Instant yesterday = today.minusDays(1).atTime(12, 0).toInstant(ZoneOffset.UTC);
    Instant old = today.minusDays(31).atTime(12, 0).toInstant(ZoneOffset.UTC);
    var generations = gw.gateway.services().storage().generations();
    for (int i = 0; i < 3; i++) {
      generations.record(record("gen-act-" + i, yesterday));
    }
    generations.record(record("gen-act-old", old));
    generations.flush();

    JsonNode rows = json(gw.get("/activity?api_key_hash=" + DEMO_HASH, M), 200).path("data");
    JsonNode row = null;
    for (JsonNode r : rows) {
      if (r.path("model").asText().equals("acme/activity-test")) {
        row = r;
      }
    }
    assertThat(row).as(rows.toString()).isNotNull();
    assertThat(row.path("date").asText()).isEqualTo(today.minusDays(1).toString());
    assertThat(row.path("requests").asLong()).isEqualTo(3);
    assertThat(row.path("prompt_tokens").asLong()).isEqualTo(30);
    assertThat(row.path("completion_tokens").asLong()).isEqualTo(15);
    assertThat(row.path("usage").decimalValue()).isEqualByComparingTo("0.003");
    assertThat(row.path("provider_name").asText()).isEqualTo("Acme Cloud");

    JsonNode oneDay = json(gw.get("/activity?date=" + today.minusDays(1), M), 200).path("data");
    assertThat(oneDay.toString()).contains("acme/activity-test");
    json(gw.get("/activity?date=" + today, M), 400);
    json(gw.get("/activity?date=" + today.minusDays(31), M), 400);
    json(gw.get("/activity?date=yesterday", M), 400);
    json(gw.get("/activity?group_by=workspace", M), 400);
    json(gw.get("/activity?api_key_hash=nope", M), 400);
    json(gw.get("/activity", TestGateway.KEY), 403);
    assertThat(
            json(gw.get("/activity?api_key_hash=" + Keys.hash("other"), M), 200)
                .path("data")
                .size())
        .isZero();
  }

  @Test
  void appsComeFromTheRefererAndRankTokensPerModelPerDay() throws Exception {
    HttpRequest req =
        HttpRequest.newBuilder(URI.create(gw.base() + "/chat/completions"))
            .header("Authorization", "Bearer " + TestGateway.KEY)
            .header("Content-Type", "application/json")
            .header("HTTP-Referer", "https://ranked.example/app?x=1")
            .header("X-Title", "Ranked App")
            .POST(
                HttpRequest.BodyPublishers.ofString(
                    "{\"model\":\"deepseek/deepseek-chat-v3-0324\",\"messages\":"
                        + "[{\"role\":\"user\",\"content\":\"Hello\"}]}"))
            .build();
    HttpResponse<String> chat = gw.http.send(req, HttpResponse.BodyHandlers.ofString());
    JsonNode completion = json(chat, 200);
    // The record is enqueued as the response ends, which may be just after the client has it.
    String id = completion.path("id").asText();
    long deadline = System.nanoTime() + 5_000_000_000L;
    while (gw.get("/generation?id=" + id, TestGateway.KEY).statusCode() != 200
        && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    gw.gateway.services().storage().generations().flush();

    JsonNode apps = json(gw.get("/apps", M), 200).path("data");
    JsonNode app = null;
    for (JsonNode a : apps) {
      if (a.path("referer").asText().equals("https://ranked.example/app")) {
        app = a;
      }
    }
    assertThat(app).as(apps.toString()).isNotNull();
    assertThat(app.path("title").asText()).isEqualTo("Ranked App");

    JsonNode ranks = json(gw.get("/apps/rankings", M), 200).path("data");
    assertThat(ranks.toString()).contains("\"app_id\":" + app.path("id").asLong());
    JsonNode gen =
        json(gw.get("/generation?id=" + completion.path("id").asText(), TestGateway.KEY), 200)
            .path("data");
    assertThat(gen.path("app_id").asLong()).isEqualTo(app.path("id").asLong());
    json(gw.get("/apps", TestGateway.KEY), 403);
  }

  private static GenerationRecord record(String id, Instant at) {
    return GenerationRecord.builder(id)
        .keyHash(DEMO_HASH)
        .model("acme/activity-test")
        .providerName("Acme Cloud")
        .createdAt(at)
        .totalCost(new BigDecimal("0.001"))
        .tokensPrompt(10L)
        .tokensCompletion(5L)
        .latencyMs(10)
        .build();
  }
}
