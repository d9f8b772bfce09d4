package dev.switchboard.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.api.json.ApiJson;
import dev.switchboard.simulator.Latency;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Connection limits and time-outs, with small values so that each case takes a second or two: a cap
 * on open connections (beyond it new ones are closed at once, and the gateway serves again when
 * they end), the request-head, body and idle time-outs, and requests in flight never counting as
 * idle.
 */
class ConnectionLimitsIT {

  @TempDir Path dir;

  static final String CHAT =
      "{\"model\":\"minimax/minimax-m2.1\",\"provider\":{\"only\":[\"minimax\"]},%s"
          + "\"messages\":[{\"role\":\"user\",\"content\":\"hello\"}]}";

  private TestGateway start(int max, long idleMs, long headerMs, long bodyMs) {
    return TestGateway.startWith(
        dir, c -> c.withServer(c.server().withLimits(max, idleMs, headerMs, bodyMs)));
  }

  @Test
  void beyondTheCapNewConnectionsAreClosedAndTheGatewayServesAgainWhenTheyEnd() throws Exception {
    int cap = 8;
    try (TestGateway gw = start(cap, 30_000, 30_000, 30_000)) {
      int port = gw.gateway.port();
      List<RawSocket> idle = new ArrayList<>();
      try {
        for (int i = 0; i < cap; i++) {
          idle.add(RawSocket.open(port));
        }
        // One more: closed at once, like a readiness probe during the flood.
        try (RawSocket extra = RawSocket.open(port)) {
          try {
            extra.send("GET /health/ready HTTP/1.1\r\nHost: x\r\n\r\n");
          } catch (IOException alreadyClosed) {
            // closed before the request went out: refused all the same
          }
          assertThat(extra.closedWithin(3_000)).as("connection beyond the cap").isTrue();
        }
        for (RawSocket s : idle) {
          assertThat(s.closedWithin(50)).as("connections within the cap stay open").isFalse();
        }
      } finally {
        for (RawSocket s : idle) {
          s.close();
        }
      }
      // Once they are gone, new connections are served again.
      int status = 0;
      for (int i = 0; i < 40 && status != 200; i++) {
        try {
          status = gw.http.send(healthReady(gw), HttpResponse.BodyHandlers.ofString()).statusCode();
        } catch (IOException stillFull) {
          Thread.sleep(50);
        }
      }
      assertThat(status).as("/health/ready after the flood").isEqualTo(200);
    }
  }

  private static java.net.http.HttpRequest healthReady(TestGateway gw) {
    return java.net.http.HttpRequest.newBuilder(
            java.net.URI.create("http://127.0.0.1:" + gw.gateway.port() + "/health/ready"))
        .timeout(java.time.Duration.ofSeconds(5))
        .build();
  }

  @Test
  void aConnectionThatSendsNothingIsClosedAfterTheHeadTimeout() throws Exception {
    try (TestGateway gw = start(100, 30_000, 300, 30_000);
        RawSocket s = RawSocket.open(gw.gateway.port())) {
      long t0 = System.nanoTime();
      assertThat(s.closedWithin(5_000)).isTrue();
      assertThat(msSince(t0)).isBetween(250L, 3_000L);
    }
  }

  @Test
  void aHeadDrippedByteByByteGetsA408AndTheConnectionIsClosed() throws Exception {
    try (TestGateway gw = start(100, 30_000, 500, 30_000);
        RawSocket s = RawSocket.open(gw.gateway.port())) {
      AtomicBoolean stop = new AtomicBoolean();
      Thread dripper = drip(s, "GET /api/v1/models HTTP/1.1\r\nHost: x\r\n", "X-Drip: y\r\n", stop);
      long t0 = System.nanoTime();
      String answer = s.readUntilClosed(8_000);
      stop.set(true);
      dripper.join(2_000);
      assertThat(msSince(t0)).isLessThan(4_000L);
      assertThat(answer).startsWith("HTTP/1.1 408 ");
      JsonNode error = envelope(answer, 408);
      assertThat(error.path("message").asText())
          .isEqualTo("The request head did not arrive within 500 ms");
      assertThat(error.path("metadata").path("error_type").asText()).isEqualTo("timeout");
    }
  }

  @Test
  void aBodyDrippedByteByByteGetsA408AndTheConnectionIsClosed() throws Exception {
    try (TestGateway gw = start(100, 30_000, 30_000, 500);
        RawSocket s = RawSocket.open(gw.gateway.port())) {
      AtomicBoolean stop = new AtomicBoolean();
      Thread dripper =
          drip(
              s,
              "POST /api/v1/chat/completions HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer "
                  + TestGateway.KEY
                  + "\r\nContent-Type: application/json\r\nContent-Length: 5000\r\n\r\n{",
              " ",
              stop);
      long t0 = System.nanoTime();
      String answer = s.readUntilClosed(8_000);
      stop.set(true);
      dripper.join(2_000);
      assertThat(msSince(t0)).isLessThan(4_000L);
      assertThat(answer).startsWith("HTTP/1.1 408 ");
      assertThat(envelope(answer, 408).path("message").asText())
          .isEqualTo("The request body did not arrive within 500 ms");
    }
  }

  @Test
  void aBodyStillDrippingAfterAnEarlyAnswerIsCutAtTheBodyTimeout() throws Exception {
    try (TestGateway gw = start(100, 30_000, 30_000, 500);
        RawSocket s = RawSocket.open(gw.gateway.port())) {
      AtomicBoolean stop = new AtomicBoolean();
      long t0 = System.nanoTime();
      // No key: answered 401 before the body is read; the body keeps coming a byte at a time.
      Thread dripper =
          drip(
              s,
              "POST /api/v1/chat/completions HTTP/1.1\r\nHost: x\r\n"
                  + "Content-Type: application/json\r\nContent-Length: 5000\r\n\r\n{",
              " ",
              stop);
      assertThat(s.readResponse(5_000)).startsWith("HTTP/1.1 401 ");
      assertThat(s.closedWithin(5_000)).isTrue();
      stop.set(true);
      dripper.join(2_000);
      assertThat(msSince(t0)).isLessThan(4_000L);
    }
  }

  @Test
  void anIdleKeepAliveConnectionIsClosedAfterTheIdleTimeout() throws Exception {
    try (TestGateway gw = start(100, 1_000, 30_000, 30_000);
        RawSocket s = RawSocket.open(gw.gateway.port())) {
      long t0 = System.nanoTime();
      s.send("GET /health/live HTTP/1.1\r\nHost: x\r\n\r\n");
      assertThat(s.readResponse(5_000)).startsWith("HTTP/1.1 200 ");
      assertThat(s.closedWithin(5_000)).isTrue();
      // Closed one idle time after the answer went out, not before.
      assertThat(msSince(t0)).isBetween(1_000L, 4_000L);
    }
  }

  @Test
  void requestsInFlightAreNeverIdleHoweverLongTheUpstreamTakes() throws Exception {
    try (TestGateway gw = start(100, 300, 300, 300)) {
      // Non-streaming: nothing moves on the client's connection for 1.2 s, four idle times.
      gw.simulator().setLatency("minimax", new Latency(1_200, 0));
      long t0 = System.nanoTime();
      HttpResponse<String> r = gw.chat(CHAT.formatted(""));
      assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
      assertThat(msSince(t0)).isGreaterThanOrEqualTo(1_200L);

      // Streaming, no keep-alive comment before the first token (5 s), then a token every 400 ms.
      gw.simulator().setLatency("minimax", new Latency(1_000, 2.5));
      HttpResponse<String> s = gw.chat(CHAT.formatted("\"stream\":true,\"max_tokens\":4,"));
      assertThat(s.statusCode()).isEqualTo(200);
      assertThat(s.body()).contains("\"finish_reason\":\"length\"").endsWith("data: [DONE]\n\n");
    }
  }

  private static Thread drip(RawSocket s, String first, String unit, AtomicBoolean stop) {
    Thread t =
        new Thread(
            () -> {
              try {
                s.send(first);
                for (int i = 0; i < 50 && !stop.get(); i++) {
                  Thread.sleep(100);
                  s.send(unit);
                }
              } catch (IOException | InterruptedException closed) {
                // the gateway closed the connection: what the test waits for
              }
            },
            "dripper");
    t.setDaemon(true);
    t.start();
    return t;
  }

  private static JsonNode envelope(String rawResponse, int status) throws IOException {
    String body = rawResponse.substring(rawResponse.indexOf("\r\n\r\n") + 4);
    JsonNode error = ApiJson.tree(body).path("error");
    assertThat(error.path("code").asInt()).isEqualTo(status);
    return error;
  }

  private static long msSince(long t0) {
    return (System.nanoTime() - t0) / 1_000_000;
  }
}
