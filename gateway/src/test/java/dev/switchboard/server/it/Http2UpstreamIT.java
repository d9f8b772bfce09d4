package dev.switchboard.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.api.json.ApiJson;
import dev.switchboard.server.config.GatewayConfig;
import dev.switchboard.simulator.Latency;
import dev.switchboard.simulator.RecordedRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code upstream.protocol: http2}: the gateway speaks HTTP/2 (prior knowledge over cleartext) to
 * the simulator, answers and streams as over HTTP/1.1, and carries many requests at once over one
 * connection per event loop, where HTTP/1.1 would queue them.
 */
class Http2UpstreamIT {

  @TempDir Path dir;

  private static final String CHAT =
      "{\"model\":\"openai/gpt-5.2\",\"provider\":{\"only\":[\"openai\"]},"
          + "\"messages\":[{\"role\":\"user\",\"content\":\"hello over h2\"}]}";

  private TestGateway start(String name, boolean http2) {
    // one upstream connection per host and event loop, a 3 s wait for the response head, and no
    // retry of a timed-out attempt (it would queue again behind the others)
    return TestGateway.startWith(
        dir.resolve(name),
        new GatewayConfig.RoutingConfig(
            false, null, 0, 5, 10_000, GatewayConfig.RoutingConfig.DEFAULT_REQUEST_TIMEOUT_MS),
        c -> c.withUpstream(new GatewayConfig.UpstreamConfig(2_000, 3_000, 2_000, 1, http2)));
  }

  @Test
  void answersAndStreamsOverHttp2() throws Exception {
    try (TestGateway gw = start("h2", true)) {
      HttpResponse<String> r = gw.chat(CHAT);
      assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
      JsonNode body = ApiJson.tree(r.body());
      assertThat(body.path("choices").path(0).path("message").path("content").asText())
          .isNotEmpty();
      RecordedRequest sent = gw.simulator().lastRequest("openai").orElseThrow();
      assertThat(sent.httpVersion()).isEqualTo("2");
      assertThat(sent.json().path("messages").path(0).path("content").asText())
          .isEqualTo("hello over h2");

      HttpResponse<String> s =
          gw.chat(
              "{\"model\":\"anthropic/claude-sonnet-4\",\"stream\":true,"
                  + "\"provider\":{\"only\":[\"anthropic\"]},"
                  + "\"messages\":[{\"role\":\"user\",\"content\":\"stream over h2\"}]}");
      assertThat(s.statusCode()).as(s.body()).isEqualTo(200);
      assertThat(s.body()).contains("\"delta\"").contains("\"usage\"").endsWith("data: [DONE]\n\n");
      assertThat(gw.simulator().lastRequest("anthropic").orElseThrow().httpVersion())
          .isEqualTo("2");

      JsonNode record =
          ApiJson.tree(gw.get("/generation?id=" + body.path("id").asText(), TestGateway.KEY).body())
              .path("data");
      assertThat(record.path("provider_name").asText()).isNotEmpty();
      assertThat(record.path("total_cost").decimalValue()).isPositive();
    }
  }

  @Test
  void manyRequestsShareOneConnectionWhereHttp1WouldQueueThem() throws Exception {
    int ok2;
    try (TestGateway gw = start("h2-many", true)) {
      gw.simulator().setLatency("openai", new Latency(1_000, 0));
      ok2 = concurrentOk(gw, 12);
      assertThat(gw.simulator().requests("openai"))
          .isNotEmpty()
          .allSatisfy(r -> assertThat(r.httpVersion()).isEqualTo("2"));
    }
    int ok1;
    try (TestGateway gw = start("h1-many", false)) {
      gw.simulator().setLatency("openai", new Latency(1_000, 0));
      ok1 = concurrentOk(gw, 12);
      assertThat(gw.simulator().requests("openai"))
          .allSatisfy(r -> assertThat(r.httpVersion()).isEqualTo("1.1"));
    }
    // HTTP/2: twelve 1 s answers at once over one connection per loop, all within the 3 s
    assertThat(ok2).isEqualTo(12);
    // HTTP/1.1: one request at a time per connection, so the later ones wait past 3 s and fail
    assertThat(ok1).isLessThan(12);
  }

  /** {@code n} requests at once; how many answered 200. */
  private static int concurrentOk(TestGateway gw, int n) throws Exception {
    try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
      List<CompletableFuture<Integer>> all = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        all.add(
            CompletableFuture.supplyAsync(
                () -> {
                  try {
                    return gw.chat(CHAT).statusCode();
                  } catch (Exception e) {
                    return -1;
                  }
                },
                threads));
      }
      int ok = 0;
      for (CompletableFuture<Integer> f : all) {
        if (f.get() == 200) {
          ok++;
        }
      }
      return ok;
    }
  }
}
