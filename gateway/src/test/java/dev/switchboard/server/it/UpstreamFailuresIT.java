package dev.switchboard.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.api.json.ApiJson;
import dev.switchboard.simulator.Fault;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Upstreams that misbehave: silence, garbage, cut connections, errors inside a 200. */
class UpstreamFailuresIT {

  @RegisterExtension static final TestGateway gw = TestGateway.perClass();

  static final String XIAOMI =
      "{\"model\":\"xiaomi/mimo-v2-flash:free\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

  static JsonNode error(HttpResponse<String> r, int status) throws Exception {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
    JsonNode e = ApiJson.tree(r.body()).path("error");
    assertThat(e.path("code").asInt()).isEqualTo(status);
    return e;
  }

  @Test
  void upstreamThatNeverAnswersIsA408AfterTheFirstByteTimeout() throws Exception {
    gw.simulator().addFault("xiaomi", new Fault.Timeout(0, 0));
    long t0 = System.nanoTime();
    JsonNode e = error(gw.chat(XIAOMI), 408);
    long ms = (System.nanoTime() - t0) / 1_000_000;
    assertThat(ms).isBetween(2_500L, 15_000L);
    assertThat(e.path("message").asText()).contains("no response within");
  }

  @Test
  void theDeadlineHeaderCutsAnUpstreamThatNeverAnswersLongBeforeItsTimeout() throws Exception {
    gw.simulator().addFault("xiaomi", new Fault.Timeout(0, 0));
    long t0 = System.nanoTime();
    HttpResponse<String> r = withDeadline("800");
    long ms = (System.nanoTime() - t0) / 1_000_000;
    JsonNode e = error(r, 408);
    assertThat(ms).isBetween(700L, 2_500L); // the first-byte time-out here is 3 s
    assertThat(e.path("message").asText()).contains("deadline of 800 ms");
    assertThat(r.headers().firstValue("x-generation-id")).isPresent();
  }

  @Test
  void aDeadlineHeaderThatIsNotAWholeNumberWithinTheLimitIsA400NamingIt() throws Exception {
    for (String bad : java.util.List.of("abc", "0", "-5", "1.5", "300001", "99999999999")) {
      JsonNode e = error(withDeadline(bad), 400);
      assertThat(e.path("message").asText())
          .as(bad)
          .contains("X-Switchboard-Timeout-Ms")
          .contains("300000");
    }
    assertThat(withDeadline("300000").statusCode()).isEqualTo(200);
  }

  static HttpResponse<String> withDeadline(String ms) throws Exception {
    return gw.http.send(
        java.net.http.HttpRequest.newBuilder(java.net.URI.create(gw.base() + "/chat/completions"))
            .header("Authorization", "Bearer " + TestGateway.KEY)
            .header("Content-Type", "application/json")
            .header("X-Switchboard-Timeout-Ms", ms)
            .timeout(java.time.Duration.ofSeconds(20))
            .POST(java.net.http.HttpRequest.BodyPublishers.ofString(XIAOMI))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void garbageFromTheUpstreamIsA502ProviderError() throws Exception {
    gw.simulator().addFault("xiaomi", new Fault.Malformed(0, 0));
    JsonNode e = error(gw.chat(XIAOMI), 502);
    assertThat(e.path("metadata").path("provider_name").asText()).isEqualTo("Xiaomi");
  }

  @Test
  void connectionClosedWithoutAResponseIsA502() throws Exception {
    gw.simulator().addFault("xiaomi", new Fault.Cut(0, 0));
    error(gw.chat(XIAOMI), 502);
  }

  @Test
  void errorInsideA200BodyIsAProviderError() throws Exception {
    gw.simulator().addFault("xiaomi", new Fault.ErrorEvent(0, Fault.ErrorStyle.EVENT, null, 0));
    HttpResponse<String> r = gw.chat(XIAOMI);
    assertThat(r.statusCode()).isGreaterThanOrEqualTo(400);
    assertThat(ApiJson.tree(r.body()).path("error").path("message").asText())
        .isEqualTo("Provider returned error");
  }

  @Test
  void upstreamCredentialFailureIsNotBlamedOnTheCaller() throws Exception {
    gw.simulator().addFault("xiaomi", new Fault.Status(401, null, Map.of(), 0));
    JsonNode e = error(gw.chat(XIAOMI), 502);
    assertThat(e.path("metadata").path("raw").asText()).contains("invalid_api_key");
  }

  @Test
  void errorsAfterPlanningCarryTheGenerationIdOfTheirRecordAndTheOverhead() throws Exception {
    for (int status : new int[] {400, 503}) {
      gw.simulator().addFault("xiaomi", new Fault.Status(status, null, Map.of(), 0));
      HttpResponse<String> r = gw.chat(XIAOMI);
      gw.simulator().clearFaults();
      assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
      String id = r.headers().firstValue("x-generation-id").orElseThrow();
      assertThat(id).startsWith("gen-");
      assertThat(
              Double.parseDouble(r.headers().firstValue("x-switchboard-overhead-ms").orElseThrow()))
          .isGreaterThanOrEqualTo(0.0);
      JsonNode record =
          ApiJson.tree(gw.get("/generation?id=" + id, TestGateway.KEY).body()).path("data");
      assertThat(record.path("id").asText()).isEqualTo(id);
      assertThat(record.path("provider_responses").get(0).path("status").asInt()).isEqualTo(status);
    }
  }

  @Test
  void errorsBeforeAGenerationExistsCarryTheOverheadButNoGenerationId() throws Exception {
    HttpResponse<String> unauthenticated =
        gw.post("/chat/completions", XIAOMI, "sk-sb-v1-nobody", "application/json");
    HttpResponse<String> invalid = gw.chat("{\"model\":\"xiaomi/mimo-v2-flash:free\"}");
    HttpResponse<String> noRoute =
        gw.chat(
            "{\"model\":\"xiaomi/mimo-v2-flash:free\",\"provider\":{\"only\":[\"nobody\"]},"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
    error(unauthenticated, 401);
    error(invalid, 400);
    error(noRoute, 404);
    for (HttpResponse<String> r : java.util.List.of(unauthenticated, invalid, noRoute)) {
      assertThat(r.headers().firstValue("x-generation-id")).isEmpty();
      assertThat(r.headers().firstValue("x-switchboard-overhead-ms")).isPresent();
    }
  }

  @Test
  void failedAttemptsFallOverToTheNextEndpointWithoutTheCallerNoticing() throws Exception {
    gw.simulator().addFault("deepseek", new Fault.Status(500, null, Map.of(), 0));
    HttpResponse<String> r =
        gw.chat(
            "{\"model\":\"deepseek/deepseek-chat-v3-0324\","
                + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(ApiJson.tree(r.body()).path("provider").asText()).isIn("Together", "Fireworks");
  }

  @Test
  void modelsFallbackListIsTriedWhenThePrimaryModelFails() throws Exception {
    gw.simulator().addFault("xiaomi", new Fault.Status(503, null, Map.of(), 0));
    HttpResponse<String> r =
        gw.chat(
            "{\"model\":\"xiaomi/mimo-v2-flash:free\",\"models\":[\"nvidia/nemotron-3-nano:free\"],"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(ApiJson.tree(r.body()).path("model").asText())
        .isEqualTo("nvidia/nemotron-3-nano:free");
  }
}
