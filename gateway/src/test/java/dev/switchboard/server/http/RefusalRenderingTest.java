package dev.switchboard.server.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.errors.OpenAIServiceException;
import com.openai.errors.PermissionDeniedException;
import com.openai.errors.RateLimitException;
import com.openai.models.ChatModel;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import dev.switchboard.api.json.ApiJson;
import dev.switchboard.server.limits.BudgetCounters;
import dev.switchboard.server.limits.BudgetLine;
import dev.switchboard.server.limits.Holder;
import dev.switchboard.server.limits.LimitSource;
import dev.switchboard.server.limits.RateLimiter;
import dev.switchboard.server.limits.Refusal;
import dev.switchboard.server.limits.Refusals;
import dev.switchboard.server.limits.Window;
import dev.switchboard.server.limits.WorstCase;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The 402, 403 and 429 that admission refuses with, rendered by {@link ErrorRenderer} (the same
 * {@code ErrorEnvelope} the pipeline answers with; {@code LimitsIT} checks them through the
 * gateway): status, body, {@code Retry-After} and {@code X-RateLimit-*} headers, and the exception
 * the official OpenAI client turns each into.
 */
class RefusalRenderingTest {

  static final Instant NOW = Instant.parse("2026-03-04T12:00:00Z");
  static final WorstCase WORST =
      new WorstCase(23, 100, new BigDecimal("0.00001"), new BigDecimal("0.00002"), BigDecimal.ZERO);

  static Vertx vertx;
  static HttpServer server;
  static final HttpClient http = HttpClient.newHttpClient();
  static final Map<String, Refusal> REFUSALS =
      Map.of(
          "/402/chat/completions",
          Refusals.shortOf(
              new BudgetCounters.Short(
                  BudgetLine.of(
                      Holder.key("k"),
                      Window.MONTHLY,
                      new BigDecimal("0.001"),
                      false,
                      LimitSource.KEY_LIMIT),
                  BigDecimal.ZERO,
                  BigDecimal.ZERO,
                  new BigDecimal("0.00223")),
              WORST,
              NOW,
              1),
          "/402-in-flight/chat/completions",
          Refusals.shortOf(
              new BudgetCounters.Short(
                  BudgetLine.of(
                      Holder.ORG,
                      Window.LIFETIME,
                      new BigDecimal("0.003"),
                      false,
                      LimitSource.CREDITS),
                  BigDecimal.ZERO,
                  new BigDecimal("0.00223"),
                  new BigDecimal("0.00223")),
              WORST,
              NOW,
              3),
          "/403/chat/completions",
          Refusals.shortOf(
              new BudgetCounters.Short(
                  new BudgetLine(
                      Holder.key("k"),
                      Window.DAILY,
                      new BigDecimal("1"),
                      false,
                      LimitSource.GUARDRAIL,
                      "g-1",
                      "team"),
                  new BigDecimal("0.9999"),
                  BigDecimal.ZERO,
                  new BigDecimal("0.00223")),
              WORST,
              NOW,
              1),
          "/429/chat/completions",
          Refusals.rateLimited(
              "Rate limit exceeded: free-models-per-min.",
              "free_models_per_minute",
              new RateLimiter.Verdict(false, 20, 0, 1_772_625_660_000L, 2_500)));

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    server =
        vertx
            .createHttpServer()
            .requestHandler(
                req ->
                    req.body()
                        .onComplete(
                            b ->
                                ErrorRenderer.render(
                                    req.response(), REFUSALS.get(req.path()).error())))
            .listen(0, "127.0.0.1")
            .toCompletionStage()
            .toCompletableFuture()
            .get(10, TimeUnit.SECONDS);
  }

  @AfterAll
  static void stop() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  static HttpResponse<String> post(String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.actualPort() + path))
            .POST(HttpRequest.BodyPublishers.ofString("{}"))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  static OpenAIClient client(String prefix) {
    return OpenAIOkHttpClient.builder()
        .baseUrl("http://127.0.0.1:" + server.actualPort() + prefix)
        .apiKey("sk-test")
        .maxRetries(0)
        .build();
  }

  static ChatCompletionCreateParams params() {
    return ChatCompletionCreateParams.builder()
        .model(ChatModel.GPT_4O_MINI)
        .addUserMessage("hi")
        .build();
  }

  @Test
  void aRateLimit429CarriesItsHeadersAndTheirCopyInTheBody() throws Exception {
    HttpResponse<String> r = post("/429/chat/completions");
    assertThat(r.statusCode()).isEqualTo(429);
    assertThat(r.headers().firstValue("x-ratelimit-limit")).hasValue("20");
    assertThat(r.headers().firstValue("x-ratelimit-remaining")).hasValue("0");
    assertThat(r.headers().firstValue("x-ratelimit-reset")).hasValue("1772625660000");
    assertThat(r.headers().firstValue("retry-after")).hasValue("3");
    JsonNode error = ApiJson.tree(r.body()).path("error");
    assertThat(error.path("code").asInt()).isEqualTo(429);
    assertThat(error.path("message").asText())
        .isEqualTo("Rate limit exceeded: free-models-per-min.");
    assertThat(error.path("metadata").path("headers").path("X-RateLimit-Reset").asText())
        .isEqualTo("1772625660000");
    assertThat(error.path("metadata").path("error_type").asText()).isEqualTo("rate_limit_exceeded");
    assertThatThrownBy(() -> client("/429").chat().completions().create(params()))
        .isInstanceOf(RateLimitException.class);
  }

  @Test
  void anUnaffordableRequestIsA402WithOpenRoutersMessageAndNoRateLimitHeaders() throws Exception {
    HttpResponse<String> r = post("/402/chat/completions");
    assertThat(r.statusCode()).isEqualTo(402);
    assertThat(r.headers().firstValue("retry-after")).isEmpty();
    assertThat(r.headers().map().keySet()).noneMatch(h -> h.startsWith("x-ratelimit"));
    JsonNode error = ApiJson.tree(r.body()).path("error");
    assertThat(error.path("message").asText())
        .startsWith(
            "This request requires more credits, or fewer max_tokens. You requested up to 100"
                + " tokens, but can only afford 38.");
    assertThat(error.path("metadata").path("limit_source").asText()).isEqualTo("key_limit");
    assertThat(error.path("metadata").path("resets_at").asText()).isEqualTo("2026-04-01T00:00:00Z");
    assertThatThrownBy(() -> client("/402").chat().completions().create(params()))
        .isInstanceOfSatisfying(
            OpenAIServiceException.class, e -> assertThat(e.statusCode()).isEqualTo(402));
  }

  @Test
  void aBudgetFilledByRequestsInFlightIsARetryable402() throws Exception {
    HttpResponse<String> r = post("/402-in-flight/chat/completions");
    assertThat(r.statusCode()).isEqualTo(402);
    assertThat(r.headers().firstValue("retry-after")).hasValue("3");
    JsonNode m = ApiJson.tree(r.body()).path("error").path("metadata");
    assertThat(m.path("limit_source").asText()).isEqualTo("in_flight_budget");
    assertThat(m.path("budget").asText()).isEqualTo("credits");
    assertThat(m.path("reserved_usd").decimalValue()).isEqualByComparingTo("0.00223");
  }

  @Test
  void aSpentGuardrailBudgetIsA403RequestBlocked() throws Exception {
    HttpResponse<String> r = post("/403/chat/completions");
    assertThat(r.statusCode()).isEqualTo(403);
    JsonNode error = ApiJson.tree(r.body()).path("error");
    assertThat(error.path("message").asText()).startsWith("Request blocked:");
    JsonNode m = error.path("metadata");
    assertThat(m.path("limit_source").asText()).isEqualTo("guardrail");
    assertThat(m.path("limit_usd").decimalValue()).isEqualByComparingTo("1");
    assertThat(m.path("spend_usd").decimalValue()).isEqualByComparingTo("0.9999");
    assertThat(m.path("resets_at").asText()).isEqualTo("2026-03-05T00:00:00Z");
    assertThatThrownBy(() -> client("/403").chat().completions().create(params()))
        .isInstanceOf(PermissionDeniedException.class);
  }
}
