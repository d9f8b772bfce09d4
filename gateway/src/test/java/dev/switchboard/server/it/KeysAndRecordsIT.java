package dev.switchboard.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.api.json.ApiJson;
import dev.switchboard.simulator.Fault;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The key management API, {@code /key}, {@code /generation} and the catalogue endpoints. */
class KeysAndRecordsIT {

  @RegisterExtension static final TestGateway gw = TestGateway.perClass();

  static final String HELLO =
      "{\"model\":\"openai/gpt-5.3-codex\",\"messages\":[{\"role\":\"user\",\"content\":\"hello\"}]}";

  static JsonNode json(HttpResponse<String> r, int status) throws Exception {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
    return ApiJson.tree(r.body());
  }

  static JsonNode createKey(String body) throws Exception {
    return json(gw.send("POST", "/keys", body, TestGateway.MASTER_KEY), 201);
  }

  @Test
  void createdKeyIsShownOnceAndWorksForInference() throws Exception {
    JsonNode created = createKey("{\"name\":\"app one\",\"limit\":5,\"limit_reset\":\"monthly\"}");
    String plaintext = created.path("key").asText();
    String hash = created.path("data").path("hash").asText();
    assertThat(plaintext).matches("sk-sb-v1-[0-9a-f]{64}");
    assertThat(hash).matches("[0-9a-f]{64}");
    assertThat(created.path("data").path("label").asText()).startsWith("sk-sb-v1-").contains("...");
    assertThat(created.path("data").path("limit").decimalValue()).isEqualByComparingTo("5");

    JsonNode fetched = json(gw.get("/keys/" + hash, TestGateway.MASTER_KEY), 200);
    assertThat(fetched.toString()).doesNotContain(plaintext);
    assertThat(fetched.path("data").path("name").asText()).isEqualTo("app one");

    HttpResponse<String> chat = gw.post("/chat/completions", HELLO, plaintext, "application/json");
    assertThat(chat.statusCode()).as(chat.body()).isEqualTo(200);
  }

  @Test
  void disablingAKeyMakesInferenceFailAtOnce() throws Exception {
    JsonNode created = createKey("{\"name\":\"soon disabled\"}");
    String plaintext = created.path("key").asText();
    String hash = created.path("data").path("hash").asText();
    assertThat(gw.post("/chat/completions", HELLO, plaintext, "application/json").statusCode())
        .isEqualTo(200);
    JsonNode patched =
        json(gw.send("PATCH", "/keys/" + hash, "{\"disabled\":true}", TestGateway.MASTER_KEY), 200);
    assertThat(patched.path("data").path("disabled").asBoolean()).isTrue();
    HttpResponse<String> denied =
        gw.post("/chat/completions", HELLO, plaintext, "application/json");
    assertThat(denied.statusCode()).isEqualTo(401);
    assertThat(ApiJson.tree(denied.body()).path("error").path("code").asInt()).isEqualTo(401);
  }

  @Test
  void deletedKeyIsGone() throws Exception {
    JsonNode created = createKey("{\"name\":\"to delete\"}");
    String hash = created.path("data").path("hash").asText();
    JsonNode deleted = json(gw.send("DELETE", "/keys/" + hash, null, TestGateway.MASTER_KEY), 200);
    assertThat(deleted.path("deleted").asBoolean()).isTrue();
    json(gw.get("/keys/" + hash, TestGateway.MASTER_KEY), 404);
    assertThat(
            gw.post("/chat/completions", HELLO, created.path("key").asText(), "application/json")
                .statusCode())
        .isEqualTo(401);
  }

  @Test
  void listShowsKeysWithoutPlaintext() throws Exception {
    JsonNode created = createKey("{\"name\":\"listed\"}");
    JsonNode list = json(gw.get("/keys", TestGateway.MASTER_KEY), 200);
    assertThat(list.path("data").isArray()).isTrue();
    assertThat(list.toString()).contains(created.path("data").path("hash").asText());
    assertThat(list.toString()).doesNotContain(created.path("key").asText());
  }

  @Test
  void inferenceKeyCannotManageKeys() throws Exception {
    HttpResponse<String> r = gw.send("POST", "/keys", "{\"name\":\"x\"}", TestGateway.KEY);
    assertThat(json(r, 403).path("error").path("message").asText())
        .isEqualTo("Only management keys can perform this operation");
  }

  @Test
  void badKeySpecsAreRejected() throws Exception {
    json(gw.send("POST", "/keys", "{}", TestGateway.MASTER_KEY), 400);
    json(
        gw.send(
            "POST", "/keys", "{\"name\":\"x\",\"limit_reset\":\"yearly\"}", TestGateway.MASTER_KEY),
        400);
    json(
        gw.send(
            "POST",
            "/keys",
            "{\"name\":\"x\",\"expires_at\":\"2030-01-01T00:00:00+02:00\"}",
            TestGateway.MASTER_KEY),
        400);
  }

  @Test
  void generationRecordHoldsTokensCostAndAttempts() throws Exception {
    gw.simulator().addFault("openai", new Fault.Status(503, null, Map.of(), 1));
    HttpResponse<String> chat =
        gw.chat(HELLO.replace("\"messages\"", "\"provider\":{\"sort\":\"price\"},\"messages\""));
    JsonNode completion = json(chat, 200);
    String id = completion.path("id").asText();
    assertThat(chat.headers().firstValue("x-generation-id")).hasValue(id);
    assertThat(completion.path("provider").asText()).isEqualTo("Azure");

    JsonNode data = json(gw.get("/generation?id=" + id, TestGateway.KEY), 200).path("data");
    assertThat(data.path("id").asText()).isEqualTo(id);
    assertThat(data.path("model").asText()).isEqualTo("openai/gpt-5.3-codex");
    assertThat(data.path("provider_name").asText()).isEqualTo("Azure");
    assertThat(data.path("tokens_prompt").asLong())
        .isEqualTo(completion.path("usage").path("prompt_tokens").asLong());
    assertThat(data.path("tokens_completion").asLong())
        .isEqualTo(completion.path("usage").path("completion_tokens").asLong());
    assertThat(data.path("total_cost").decimalValue())
        .isEqualByComparingTo(completion.path("usage").path("cost").decimalValue());
    assertThat(data.path("streamed").asBoolean()).isFalse();
    assertThat(data.path("provider_responses")).hasSize(2);
    assertThat(data.path("provider_responses").get(0).path("status").asInt()).isEqualTo(503);
    assertThat(data.path("provider_responses").get(1).path("status").asInt()).isEqualTo(200);
  }

  @Test
  void generationLookupErrors() throws Exception {
    json(gw.get("/generation", TestGateway.KEY), 400);
    json(gw.get("/generation?id=gen-0000000000-AAAAAAAAAAAAAAAAAAAA", TestGateway.KEY), 404);
    json(gw.get("/generation?id=x", null), 401);
  }

  @Test
  void keyInfoShowsUsageAfterAPaidRequest() throws Exception {
    JsonNode created = createKey("{\"name\":\"metered\",\"limit\":1}");
    String plaintext = created.path("key").asText();
    // With a limit, the worst case must fit it: without max_tokens it would be the model's whole
    // maximum output (checklist 52), which $1 cannot cover.
    String capped = HELLO.replace("\"messages\"", "\"max_tokens\":200,\"messages\"");
    JsonNode completion =
        json(gw.post("/chat/completions", capped, plaintext, "application/json"), 200);
    JsonNode info = json(gw.get("/key", plaintext), 200).path("data");
    assertThat(info.path("usage").decimalValue())
        .isEqualByComparingTo(completion.path("usage").path("cost").decimalValue());
    assertThat(info.path("limit_remaining").decimalValue())
        .isEqualByComparingTo(
            java.math.BigDecimal.ONE.subtract(
                completion.path("usage").path("cost").decimalValue()));
    assertThat(info.path("is_management_key").asBoolean()).isFalse();
    assertThat(json(gw.get("/auth/key", plaintext), 200).path("data").path("label").asText())
        .isEqualTo(info.path("label").asText());
  }

  @Test
  void catalogueIsPublic() throws Exception {
    JsonNode models = json(gw.get("/models", null), 200);
    assertThat(models.path("data").size()).isEqualTo(models.path("total_count").asInt());
    assertThat(models.path("links").has("next")).isTrue();
    JsonNode first = models.path("data").get(0);
    for (String field :
        new String[] {
          "id",
          "canonical_slug",
          "name",
          "created",
          "context_length",
          "architecture",
          "pricing",
          "top_provider",
          "per_request_limits",
          "supported_parameters",
          "default_parameters",
          "supported_voices",
          "links"
        }) {
      assertThat(first.has(field)).as(field).isTrue();
    }
    assertThat(first.path("pricing").path("prompt").isTextual()).isTrue();

    JsonNode endpoints =
        json(gw.get("/models/anthropic/claude-sonnet-4/endpoints", null), 200).path("data");
    assertThat(endpoints.path("endpoints")).hasSize(3);
    assertThat(endpoints.path("endpoints").get(0).path("pricing").path("prompt").asText())
        .isEqualTo("0.000003");
    json(gw.get("/models/acme/none/endpoints", null), 404);

    JsonNode providers = json(gw.get("/providers", null), 200);
    assertThat(providers.path("data").toString()).contains("\"slug\":\"openai\"");
    HttpResponse<String> ready =
        gw.http.send(
            java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create(gw.base().replace("/api/v1", "") + "/health/ready"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(json(ready, 200).path("status").asText()).isEqualTo("ready");
  }

  @Test
  void modelsPaginateWhenAsked() throws Exception {
    JsonNode page = json(gw.get("/models?limit=2", null), 200);
    assertThat(page.path("data")).hasSize(2);
    assertThat(page.path("links").path("next").asText())
        .isEqualTo("/api/v1/models?offset=2&limit=2");
  }
}
