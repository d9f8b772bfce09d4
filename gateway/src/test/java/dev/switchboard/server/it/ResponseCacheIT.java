package dev.switchboard.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.api.json.ApiJson;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Response caching (checklist 147): with {@code X-OpenRouter-Cache: true} a second identical
 * request is a HIT with a new generation id, zero usage and zero cost, and no model call; streams
 * are replayed as streams; TTL, clear and a different body each miss.
 */
class ResponseCacheIT {

  @RegisterExtension static final TestGateway gw = TestGateway.perClass();

  static String body(String question, boolean stream) {
    return "{\"model\":\"deepseek/deepseek-chat-v3-0324\",\"provider\":{\"only\":[\"together\"]},"
        + (stream ? "\"stream\":true," : "")
        + "\"messages\":[{\"role\":\"user\",\"content\":\""
        + question
        + "\"}]}";
  }

  static HttpResponse<String> chat(String body, String... headers) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(gw.base() + "/chat/completions"))
            .timeout(Duration.ofSeconds(20))
            .header("Authorization", "Bearer " + TestGateway.KEY)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body));
    for (int i = 0; i < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    return gw.http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  static String status(HttpResponse<String> r) {
    return r.headers().firstValue("x-openrouter-cache-status").orElse(null);
  }

  @Test
  void aSecondIdenticalRequestIsAHitWithANewIdZeroUsageAndNoModelCall() throws Exception {
    String body = body("cache me please", false);
    HttpResponse<String> first = chat(body, "X-OpenRouter-Cache", "true");
    HttpResponse<String> second =
        chat(body.replace(",", ", "), "X-OpenRouter-Cache", "true"); // whitespace differs
    assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
    assertThat(status(first)).isEqualTo("MISS");
    assertThat(second.statusCode()).as(second.body()).isEqualTo(200);
    assertThat(status(second)).isEqualTo("HIT");
    assertThat(gw.simulator().requestCount("together")).isEqualTo(1);

    String firstId = first.headers().firstValue("x-generation-id").orElseThrow();
    String secondId = second.headers().firstValue("x-generation-id").orElseThrow();
    assertThat(secondId).startsWith("gen-").isNotEqualTo(firstId);
    assertThat(second.headers().firstValue("x-openrouter-cache-source-id")).hasValue(firstId);
    assertThat(second.headers().firstValue("x-openrouter-cache-ttl")).isPresent();
    assertThat(second.headers().firstValue("x-openrouter-cache-age")).isPresent();

    JsonNode a = ApiJson.tree(first.body());
    JsonNode b = ApiJson.tree(second.body());
    assertThat(b.path("id").asText()).isEqualTo(secondId);
    assertThat(b.at("/choices/0/message/content")).isEqualTo(a.at("/choices/0/message/content"));
    assertThat(b.path("model").asText()).isEqualTo("deepseek/deepseek-chat-v3-0324");
    assertThat(b.at("/usage/prompt_tokens").asLong()).isZero();
    assertThat(b.at("/usage/completion_tokens").asLong()).isZero();
    assertThat(b.at("/usage/cost").decimalValue()).isZero();
    assertThat(a.at("/usage/cost").decimalValue()).isPositive();
  }

  @Test
  void aHitHasAGenerationRecordOfItsOwnWithZeroUsageNamingItsSource() throws Exception {
    String body = body("record my hit", false);
    HttpResponse<String> first = chat(body, "X-OpenRouter-Cache", "true");
    HttpResponse<String> second = chat(body, "X-OpenRouter-Cache", "true");
    assertThat(status(second)).isEqualTo("HIT");
    String firstId = first.headers().firstValue("x-generation-id").orElseThrow();
    String hitId = second.headers().firstValue("x-generation-id").orElseThrow();

    JsonNode hit = generation(hitId);
    assertThat(hit.path("id").asText()).isEqualTo(hitId);
    assertThat(hit.path("response_cache_source_id").asText()).isEqualTo(firstId);
    assertThat(hit.path("total_cost").decimalValue()).isZero();
    assertThat(hit.path("usage").decimalValue()).isZero();
    assertThat(hit.path("native_tokens_prompt").asLong()).isZero();
    assertThat(hit.path("native_tokens_completion").asLong()).isZero();
    assertThat(hit.path("model").asText()).isEqualTo("deepseek/deepseek-chat-v3-0324");
    assertThat(hit.path("finish_reason").asText()).isEqualTo("stop");
    assertThat(hit.path("streamed").asBoolean()).isFalse();

    JsonNode source = generation(firstId);
    assertThat(source.path("response_cache_source_id").isNull()).isTrue();
    assertThat(source.path("total_cost").decimalValue()).isPositive();
  }

  @Test
  void aStreamedHitIsRecordedAsStreamed() throws Exception {
    String body = body("record my streamed hit", true);
    HttpResponse<String> first = chat(body, "X-OpenRouter-Cache", "true");
    HttpResponse<String> second = chat(body, "X-OpenRouter-Cache", "true");
    assertThat(status(second)).isEqualTo("HIT");
    JsonNode hit = generation(second.headers().firstValue("x-generation-id").orElseThrow());
    assertThat(hit.path("response_cache_source_id").asText())
        .isEqualTo(first.headers().firstValue("x-generation-id").orElseThrow());
    assertThat(hit.path("streamed").asBoolean()).isTrue();
    assertThat(hit.path("total_cost").decimalValue()).isZero();
    assertThat(hit.path("finish_reason").asText()).isEqualTo("stop");
  }

  /** The {@code /generation} record of {@code id}, waiting for the write behind the request. */
  static JsonNode generation(String id) throws Exception {
    for (int i = 0; i < 50; i++) {
      HttpResponse<String> g = gw.get("/generation?id=" + id, TestGateway.KEY);
      if (g.statusCode() == 200) {
        return ApiJson.tree(g.body()).path("data");
      }
      Thread.sleep(100);
    }
    throw new AssertionError("no generation record for " + id);
  }

  @Test
  void aStreamIsReplayedAsAStream() throws Exception {
    String body = body("stream me from the cache", true);
    HttpResponse<String> first = chat(body, "X-OpenRouter-Cache", "true");
    HttpResponse<String> second = chat(body, "X-OpenRouter-Cache", "true");
    assertThat(status(first)).isEqualTo("MISS");
    assertThat(status(second)).isEqualTo("HIT");
    assertThat(second.headers().firstValue("content-type")).hasValue("text/event-stream");
    assertThat(gw.simulator().requestCount("together")).isEqualTo(1);
    assertThat(text(second.body())).isEqualTo(text(first.body())).isNotEmpty();
    assertThat(second.body()).contains("\"finish_reason\":\"stop\"").endsWith("data: [DONE]\n\n");
    assertThat(second.body()).contains("\"prompt_tokens\":0").contains("\"cost\":0");
  }

  /** The streamed text, from the chunks' content deltas. */
  static String text(String sse) throws Exception {
    StringBuilder out = new StringBuilder();
    for (String line : sse.split("\n")) {
      if (line.startsWith("data: {")) {
        out.append(ApiJson.tree(line.substring(6)).at("/choices/0/delta/content").asText(""));
      }
    }
    return out.toString();
  }

  @Test
  void withoutTheHeaderNothingIsCached() throws Exception {
    String body = body("no cache", false);
    HttpResponse<String> first = chat(body);
    HttpResponse<String> second = chat(body);
    assertThat(status(first)).isNull();
    assertThat(status(second)).isNull();
    assertThat(gw.simulator().requestCount("together")).isEqualTo(2);
  }

  @Test
  void anotherBodyAClearOrAnExpiredEntryMisses() throws Exception {
    String body = body("ttl one second", false);
    assertThat(status(chat(body, "X-OpenRouter-Cache", "true", "X-OpenRouter-Cache-TTL", "1.9")))
        .isEqualTo("MISS");
    assertThat(status(chat(body("something else", false), "X-OpenRouter-Cache", "true")))
        .isEqualTo("MISS");
    HttpResponse<String> cleared =
        chat(body, "X-OpenRouter-Cache", "true", "X-OpenRouter-Cache-Clear", "true");
    assertThat(status(cleared)).isEqualTo("MISS");
    assertThat(cleared.headers().firstValue("x-openrouter-cache-ttl")).hasValue("300");
    Thread.sleep(1_100); // the cleared entry was stored again with the default TTL
    assertThat(status(chat(body, "X-OpenRouter-Cache", "true"))).isEqualTo("HIT");
    String shortLived = body("gone soon", false);
    chat(shortLived, "X-OpenRouter-Cache", "true", "X-OpenRouter-Cache-TTL", "1");
    Thread.sleep(1_200);
    assertThat(status(chat(shortLived, "X-OpenRouter-Cache", "true"))).isEqualTo("MISS");
  }

  @Test
  void aBadCacheHeaderIsRefusedNamingIt() throws Exception {
    HttpResponse<String> r = chat(body("x", false), "X-OpenRouter-Cache", "sometimes");
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.body()).contains("X-OpenRouter-Cache");
  }
}
