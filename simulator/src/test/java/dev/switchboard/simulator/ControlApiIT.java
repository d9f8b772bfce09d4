package dev.switchboard.simulator;

import static dev.switchboard.simulator.SimClient.json;
import static dev.switchboard.simulator.SimClient.userRequest;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The {@code /_sim/} control API, as the curl examples in docs/simulator.md use it. */
class ControlApiIT {

  private static final Duration T = Duration.ofSeconds(5);

  @RegisterExtension
  static final SimulatorExtension sim =
      SimulatorExtension.of(
          SimulatorConfig.builder()
              .eventLoops(1)
              .recordedRequests(3)
              .providerLatency("anthropic-ish", Latency.of(5, 100))
              .build());

  @BeforeEach
  void reset() {
    assertThat(sim.client().send("POST", "/_sim/reset", null, T).statusCode()).isEqualTo(204);
  }

  @Test
  void reportsHealth() {
    HttpResponse<String> response = sim.client().send("GET", "/_sim/health", null, T);

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(json(response.body()).get("status").asText()).isEqualTo("ok");
  }

  @Test
  void scriptsFaultsPerProviderAndListsAndClearsThem() {
    HttpResponse<String> added =
        sim.client()
            .send(
                "POST",
                "/_sim/faults/openai",
                "[{\"kind\":\"status\",\"status\":429,\"count\":1,\"headers\":{\"Retry-After\":\"1\"}},"
                    + "{\"kind\":\"cut\",\"after_chunks\":3}]",
                T);
    assertThat(added.statusCode()).isEqualTo(200);
    assertThat(json(added.body()).get("faults")).hasSize(2);
    sim.client().send("POST", "/_sim/faults/deepseek", "{\"kind\":\"timeout\",\"delay_ms\":10}", T);

    JsonNode listed = json(sim.client().send("GET", "/_sim/faults", null, T).body());
    assertThat(listed.at("/openai/0/kind").asText()).isEqualTo("status");
    assertThat(listed.at("/openai/0/headers/Retry-After").asText()).isEqualTo("1");
    assertThat(listed.at("/openai/1/after_chunks").asInt()).isEqualTo(3);
    assertThat(listed.at("/deepseek/0/delay_ms").asInt()).isEqualTo(10);

    HttpResponse<String> limited = sim.client().chat("openai", userRequest("Hi"));
    assertThat(limited.statusCode()).isEqualTo(429);
    assertThat(limited.headers().firstValue("retry-after")).hasValue("1");

    assertThat(sim.client().send("DELETE", "/_sim/faults/openai", null, T).statusCode())
        .isEqualTo(204);
    assertThat(json(sim.client().send("GET", "/_sim/faults", null, T).body()).has("openai"))
        .isFalse();
    assertThat(sim.client().send("DELETE", "/_sim/faults", null, T).statusCode()).isEqualTo(204);
    assertThat(json(sim.client().send("GET", "/_sim/faults", null, T).body())).isEmpty();
  }

  @Test
  void rejectsAFaultOfAnUnknownKind() {
    HttpResponse<String> response =
        sim.client().send("POST", "/_sim/faults/openai", "{\"kind\":\"meteor\"}", T);

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(json(response.body()).at("/error/message").asText()).contains("meteor");
  }

  @Test
  void setsAndClearsLatencyPerProvider() {
    HttpResponse<String> set =
        sim.client().send("PUT", "/_sim/latency/openai", "{\"ttft_ms\":120,\"tps\":50}", T);
    assertThat(set.statusCode()).isEqualTo(200);
    assertThat(sim.simulator().latency("openai")).isEqualTo(Latency.of(120, 50));
    assertThat(sim.simulator().latency("deepseek")).isEqualTo(Latency.NONE);

    JsonNode listed = json(sim.client().send("GET", "/_sim/latency", null, T).body());
    assertThat(listed.at("/providers/openai/ttft_ms").asInt()).isEqualTo(120);
    assertThat(listed.at("/providers/anthropic-ish/tps").asDouble()).isEqualTo(100.0);

    sim.client().send("DELETE", "/_sim/latency/openai", null, T);
    assertThat(sim.simulator().latency("openai")).isEqualTo(Latency.NONE);
  }

  @Test
  void countsRequestsPerProvider() {
    sim.client().chat("openai", userRequest("a"));
    sim.client().chat("openai", userRequest("b"));
    sim.client().chat("deepseek", userRequest("c"));

    JsonNode stats = json(sim.client().send("GET", "/_sim/stats", null, T).body());

    assertThat(stats.get("total_requests").asInt()).isEqualTo(3);
    assertThat(stats.at("/providers/openai/requests").asInt()).isEqualTo(2);
    assertThat(stats.at("/providers/deepseek/requests").asInt()).isEqualTo(1);
  }

  @Test
  void returnsTheLastRequestsWithHeadersAndBody() {
    for (String word : new String[] {"one", "two", "three", "four"}) {
      sim.client().chat("openai", userRequest(word), "authorization", "Bearer sk-test");
    }

    JsonNode all = json(sim.client().send("GET", "/_sim/requests/openai", null, T).body());
    JsonNode last = json(sim.client().send("GET", "/_sim/requests/openai?limit=1", null, T).body());

    assertThat(all.get("requests")).hasSize(3);
    assertThat(all.at("/requests/0/body/messages/0/content").asText()).isEqualTo("two");
    assertThat(last.get("requests")).hasSize(1);
    assertThat(last.at("/requests/0/body/messages/0/content").asText()).isEqualTo("four");
    assertThat(last.at("/requests/0/headers/authorization").asText()).isEqualTo("Bearer sk-test");
    assertThat(last.at("/requests/0/path").asText()).isEqualTo("/p/openai/v1/chat/completions");
  }

  @Test
  void resetForgetsFaultsLatencyRequestsAndCounts() {
    sim.simulator().addFault("openai", Fault.status(500));
    sim.simulator().setLatency("openai", Latency.of(1, 1));
    sim.client().chat("openai", userRequest("x"));

    sim.client().send("POST", "/_sim/reset", null, T);

    assertThat(sim.simulator().faults()).isEmpty();
    assertThat(sim.simulator().latency("openai")).isEqualTo(Latency.NONE);
    assertThat(sim.simulator().requests("openai")).isEmpty();
    assertThat(sim.simulator().requestCount("openai")).isZero();
  }
}
