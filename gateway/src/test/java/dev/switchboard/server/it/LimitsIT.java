package dev.switchboard.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.errors.PermissionDeniedException;
import com.openai.errors.RateLimitException;
import com.openai.errors.UnexpectedStatusCodeException;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import dev.switchboard.api.json.ApiJson;
import dev.switchboard.simulator.Latency;
import java.math.BigDecimal;
import java.net.http.HttpResponse;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Money and limits enforced on chat requests through the gateway (issue 11): the admit stage
 * refuses with OpenRouter's 402, 403 and 429 (status, headers, body, and the exception the official
 * OpenAI client makes of each), and the plan stage routes within the key's guardrails.
 */
class LimitsIT {

  @RegisterExtension static final TestGateway gw = TestGateway.perClass();

  static final String M = TestGateway.MASTER_KEY;
  static final String MODEL = "deepseek/deepseek-chat-v3-0324";

  static JsonNode json(HttpResponse<String> r, int status) throws Exception {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
    return ApiJson.tree(r.body());
  }

  /** A new inference key; returns {@code [plaintext, hash]}. */
  static String[] key(String body) throws Exception {
    JsonNode created = json(gw.send("POST", "/keys", body, M), 201);
    return new String[] {created.path("key").asText(), created.path("data").path("hash").asText()};
  }

  /** Creates the guardrail {@code body} on {@code gw}, assigns it to the key, returns its id. */
  static String guardrail(TestGateway gw, String body, String keyHash) throws Exception {
    String id = json(gw.send("POST", "/guardrails", body, M), 201).path("data").path("id").asText();
    json(
        gw.send(
            "POST",
            "/guardrails/" + id + "/assignments/keys",
            "{\"key_hashes\":[\"" + keyHash + "\"]}",
            M),
        200);
    return id;
  }

  static String chat(int maxTokens, String extra) {
    return "{\"model\":\""
        + MODEL
        + "\",\"max_tokens\":"
        + maxTokens
        + ",\"messages\":[{\"role\":\"user\",\"content\":\"hello there\"}]"
        + extra
        + "}";
  }

  static HttpResponse<String> post(String body, String key) throws Exception {
    return gw.post("/chat/completions", body, key, "application/json");
  }

  static OpenAIClient openai(String key) {
    return OpenAIOkHttpClient.builder().baseUrl(gw.base()).apiKey(key).maxRetries(0).build();
  }

  static ChatCompletionCreateParams params(long maxTokens) {
    return ChatCompletionCreateParams.builder()
        .model(MODEL)
        .maxTokens(maxTokens)
        .addUserMessage("hello there")
        .build();
  }

  static long upstreamCalls() {
    return gw.simulator().requestCount("deepseek")
        + gw.simulator().requestCount("together")
        + gw.simulator().requestCount("fireworks");
  }

  @Test
  void aKeyWithATinyLimitGetsOpenRoutersPaymentRequiredBeforeAnyUpstreamCall() throws Exception {
    String[] k = key("{\"name\":\"tiny\",\"limit\":0.0001}");
    long before = upstreamCalls();

    HttpResponse<String> r = post(chat(1000, ""), k[0]);
    JsonNode error = json(r, 402).path("error");
    assertThat(error.path("message").asText())
        .startsWith(
            "This request requires more credits, or fewer max_tokens. You requested up to 1000"
                + " tokens, but can only afford ");
    assertThat(error.path("metadata").path("limit_source").asText()).isEqualTo("key_limit");
    assertThat(error.path("metadata").path("limit_usd").decimalValue())
        .isEqualByComparingTo("0.0001");
    assertThat(r.headers().firstValue("retry-after")).isEmpty();
    assertThat(r.headers().map().keySet()).noneMatch(h -> h.startsWith("x-ratelimit"));
    assertThat(r.headers().firstValue("x-generation-id")).isEmpty();
    assertThat(upstreamCalls()).as("no upstream call").isEqualTo(before);

    // Streamed or not, the refusal comes before any stream starts.
    assertThat(post(chat(1000, ",\"stream\":true"), k[0]).statusCode()).isEqualTo(402);
    // What fits is served: 50 tokens cost at most 50 × $0.0000009 plus the prompt.
    assertThat(post(chat(50, ""), k[0]).statusCode()).isEqualTo(200);

    assertThatThrownBy(() -> openai(k[0]).chat().completions().create(params(1000)))
        .isInstanceOfSatisfying(
            UnexpectedStatusCodeException.class, e -> assertThat(e.statusCode()).isEqualTo(402));
  }

  @Test
  void reservationsInFlightThatFillTheLimitGiveARetryable402() throws Exception {
    // One request's worst case (1000 output tokens at the dearest endpoint's $0.0000009, plus the
    // prompt) fits $0.0015; two do not.
    String[] k = key("{\"name\":\"in-flight\",\"limit\":0.0015}");
    gw.simulator().setLatency("deepseek", Latency.of(1_500, 0));
    String slow = chat(1000, ",\"provider\":{\"only\":[\"deepseek\"]}");
    long before = gw.simulator().requestCount("deepseek");
    CompletableFuture<HttpResponse<String>> first =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return post(slow, k[0]);
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            });
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (gw.simulator().requestCount("deepseek") == before && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }

    HttpResponse<String> second = post(chat(1000, ""), k[0]);
    JsonNode error = json(second, 402).path("error");
    assertThat(second.headers().firstValue("retry-after")).hasValue("1");
    assertThat(error.path("metadata").path("limit_source").asText()).isEqualTo("in_flight_budget");
    assertThat(error.path("metadata").path("budget").asText()).isEqualTo("key_limit");

    assertThat(first.get().statusCode()).as(first.get().body()).isEqualTo(200);
    // The first settled at its exact cost, far below its reservation: the same request now fits.
    assertThat(post(chat(1000, ""), k[0]).statusCode()).isEqualTo(200);
  }

  @Test
  void aRateLimitedKeyGets429WithItsHeadersWhileSuccessesCarryNone() throws Exception {
    String[] k = key("{\"name\":\"rated\",\"requests_per_minute\":2}");
    for (int i = 0; i < 2; i++) {
      HttpResponse<String> ok = post(chat(20, ""), k[0]);
      assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
      assertThat(ok.headers().map().keySet()).noneMatch(h -> h.startsWith("x-ratelimit"));
    }

    long before = upstreamCalls();
    HttpResponse<String> r = post(chat(20, ""), k[0]);
    JsonNode error = json(r, 429).path("error");
    long now = System.currentTimeMillis();
    assertThat(r.headers().firstValue("x-ratelimit-limit")).hasValue("2");
    assertThat(r.headers().firstValue("x-ratelimit-remaining")).hasValue("0");
    long reset = Long.parseLong(r.headers().firstValue("x-ratelimit-reset").orElseThrow());
    assertThat(reset).isBetween(now, now + 61_000); // epoch milliseconds
    assertThat(Long.parseLong(r.headers().firstValue("retry-after").orElseThrow()))
        .isBetween(1L, 60L);
    assertThat(error.path("message").asText())
        .isEqualTo("Rate limit exceeded: 2 requests per minute for this key.");
    JsonNode headers = error.path("metadata").path("headers");
    assertThat(headers.path("X-RateLimit-Limit").asText()).isEqualTo("2");
    assertThat(headers.path("X-RateLimit-Remaining").asText()).isEqualTo("0");
    assertThat(headers.path("X-RateLimit-Reset").asLong()).isEqualTo(reset);
    assertThat(error.path("metadata").path("limit_source").asText())
        .isEqualTo("key_requests_per_minute");
    assertThat(upstreamCalls()).as("no upstream call").isEqualTo(before);

    assertThatThrownBy(() -> openai(k[0]).chat().completions().create(params(20)))
        .isInstanceOf(RateLimitException.class);
  }

  @Test
  void aGuardrailBudgetBlocksWith403AndItsMetadata() throws Exception {
    String[] k = key("{\"name\":\"guarded\"}");
    String id =
        guardrail(
            gw, "{\"name\":\"pennies\",\"limit_usd\":0.0002,\"reset_interval\":\"daily\"}", k[1]);

    HttpResponse<String> r = post(chat(1000, ""), k[0]);
    JsonNode error = json(r, 403).path("error");
    assertThat(error.path("message").asText()).startsWith("Request blocked: ").contains("pennies");
    JsonNode m = error.path("metadata");
    assertThat(m.path("limit_source").asText()).isEqualTo("guardrail");
    assertThat(m.path("limit_usd").decimalValue()).isEqualByComparingTo("0.0002");
    assertThat(m.path("spend_usd").decimalValue()).isEqualByComparingTo(BigDecimal.ZERO);
    assertThat(m.path("resets_at").asText()).endsWith("T00:00:00Z");
    assertThat(m.path("guardrail_id").asText()).isEqualTo(id);

    assertThatThrownBy(() -> openai(k[0]).chat().completions().create(params(1000)))
        .isInstanceOf(PermissionDeniedException.class);
  }

  @Test
  void theGuardrailsProviderListsNarrowTheRequestsOwnPreferences() throws Exception {
    String[] k = key("{\"name\":\"routed\"}");
    guardrail(gw, "{\"name\":\"together only\",\"allowed_providers\":[\"together\"]}", k[1]);

    // Unguarded, the request's order is followed.
    String preferDeepseek = chat(20, ",\"provider\":{\"order\":[\"deepseek\"]}");
    JsonNode open = json(post(preferDeepseek, TestGateway.KEY), 200);
    assertThat(open.path("provider").asText()).isEqualTo("DeepSeek");
    // Guarded, only the allowed provider serves, whatever the request prefers.
    JsonNode guarded = json(post(preferDeepseek, k[0]), 200);
    assertThat(guarded.path("provider").asText()).isEqualTo("Together");
    // The request's own only-list intersects with the guardrail's: nothing left is a 404.
    HttpResponse<String> none = post(chat(20, ",\"provider\":{\"only\":[\"deepseek\"]}"), k[0]);
    assertThat(none.statusCode()).as(none.body()).isEqualTo(404);
  }

  @Test
  void aSessionBudgetStopsTheSessionButNotOthers() throws Exception {
    json(gw.send("PUT", "/budgets/session/loop-7", "{\"limit_usd\":0.0002}", M), 200);
    String body = chat(1000, "");
    HttpResponse<String> viaHeader =
        gw.http.send(
            java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create(gw.base() + "/chat/completions"))
                .header("Authorization", "Bearer " + TestGateway.KEY)
                .header("Content-Type", "application/json")
                .header("X-Session-Id", "loop-7")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(body))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    JsonNode m = json(viaHeader, 403).path("error").path("metadata");
    assertThat(m.path("limit_source").asText()).isEqualTo("session_budget");
    assertThat(
            json(post(chat(1000, ",\"session_id\":\"loop-7\""), TestGateway.KEY), 403)
                .path("error")
                .path("message")
                .asText())
        .startsWith("Request blocked: ");
    assertThat(post(chat(1000, ",\"session_id\":\"other\""), TestGateway.KEY).statusCode())
        .isEqualTo(200);
  }
}
