package dev.switchboard.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.api.json.ApiJson;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * The HTTP layer's own refusals carry the error envelope too: oversized request lines and headers,
 * malformed requests, wrong methods on known paths (405 with {@code Allow}), bodies with data after
 * their JSON; and a client that hangs up mid-upload, or before the upstream answers, is not logged
 * as an error.
 */
class HttpEdgesIT {

  @TempDir static Path dir;
  static TestGateway gw;

  static final String CHAT =
      "{\"model\":\"minimax/minimax-m2.1\",\"provider\":{\"only\":[\"minimax\"]},"
          + "\"messages\":[{\"role\":\"user\",\"content\":\"hello\"}]}";

  @BeforeAll
  static void start() {
    // The access log on, as it ships: the refusals below must each get their line.
    gw =
        TestGateway.startWith(
            dir, c -> c.withLog(new dev.switchboard.server.config.GatewayConfig.LogConfig(true)));
  }

  @AfterAll
  static void stop() {
    gw.close();
  }

  /** The raw answer's status line and envelope; the gateway closed the connection after it. */
  private static JsonNode rawError(String request, int status) throws Exception {
    try (RawSocket s = RawSocket.open(gw.gateway.port())) {
      s.send(request);
      String answer = s.readUntilClosed(5_000);
      // HTTP/1.0 when the request line itself could not be read.
      assertThat(answer).matches("(?s)HTTP/1\\.[01] " + status + " .*");
      assertThat(answer.toLowerCase(java.util.Locale.ROOT))
          .contains("content-type: application/json");
      JsonNode error = ApiJson.tree(answer.substring(answer.indexOf("\r\n\r\n") + 4)).path("error");
      assertThat(error.path("code").asInt()).isEqualTo(status);
      return error;
    }
  }

  @Test
  void anOversizedUrlIsA414InTheEnvelope() throws Exception {
    JsonNode e =
        rawError(
            "GET /api/v1/models?q=" + "x".repeat(10_000) + " HTTP/1.1\r\nHost: x\r\n\r\n", 414);
    assertThat(e.path("message").asText()).contains("request line").contains("4096 bytes");
  }

  @Test
  void oversizedHeadersAreA431InTheEnvelope() throws Exception {
    JsonNode e =
        rawError(
            "GET /api/v1/models HTTP/1.1\r\nHost: x\r\nX-Big: " + "y".repeat(20_000) + "\r\n\r\n",
            431);
    assertThat(e.path("message").asText()).contains("headers").contains("8192 bytes");
  }

  /**
   * A refusal by the HTTP decoder gets its one access-log line like any other request: the status,
   * the bytes, no method or path when the request line itself was unreadable, no key when the
   * headers were not read whole.
   */
  @Test
  void refusalsByTheDecoderGetAnAccessLine() throws Exception {
    Logger access = (Logger) LoggerFactory.getLogger("switchboard.access");
    ListAppender<ILoggingEvent> captured = new ListAppender<>();
    captured.start();
    access.addAppender(captured);
    try {
      rawError("GET /api/v1/models?q=" + "x".repeat(10_000) + " HTTP/1.1\r\nHost: x\r\n\r\n", 414);
      rawError(
          "GET /api/v1/models HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer "
              + TestGateway.KEY
              + "\r\nX-Big: "
              + "y".repeat(20_000)
              + "\r\n\r\n",
          431);
      rawError(
          "POST /api/v1/chat/completions?k=1 HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer "
              + TestGateway.KEY
              + "\r\nContent-Length: ten\r\n\r\n",
          400);
      long deadline = System.currentTimeMillis() + 2_000;
      while (captured.list.size() < 3 && System.currentTimeMillis() < deadline) {
        Thread.sleep(20);
      }
      assertThat(captured.list).hasSize(3);
      java.util.List<java.util.Map<String, Object>> lines =
          captured.list.stream().map(HttpEdgesIT::fields).toList();
      assertThat(lines).extracting(l -> l.get("status")).containsExactly(414, 431, 400);
      assertThat(lines.get(0)).doesNotContainKeys("method", "path", "key_hash");
      assertThat(captured.list.get(0).getFormattedMessage())
          .isEqualTo("(unreadable request line) 414");
      assertThat(lines.get(1))
          .containsEntry("path", "/api/v1/models")
          .doesNotContainKey("key_hash");
      assertThat(lines.get(2))
          .containsEntry("method", "POST")
          .containsEntry("path", "/api/v1/chat/completions")
          .containsEntry(
              "key_hash",
              dev.switchboard.server.storage.Keys.hash(TestGateway.KEY).substring(0, 16));
      for (java.util.Map<String, Object> l : lines) {
        assertThat((Long) l.get("bytes_out")).isPositive();
      }
      assertThat(captured.list)
          .extracting(ILoggingEvent::getFormattedMessage)
          .noneMatch(m -> m.contains(TestGateway.KEY));
    } finally {
      access.detachAppender(captured);
    }
  }

  private static java.util.Map<String, Object> fields(ILoggingEvent ev) {
    java.util.Map<String, Object> m = new java.util.HashMap<>();
    if (ev.getKeyValuePairs() != null) {
      ev.getKeyValuePairs()
          .forEach(
              kv -> {
                if (kv.value != null) m.put(kv.key, kv.value);
              });
    }
    return m;
  }

  @Test
  void aMalformedRequestIsA400InTheEnvelope() throws Exception {
    JsonNode e =
        rawError(
            "POST /api/v1/chat/completions HTTP/1.1\r\nHost: x\r\nContent-Length: ten\r\n\r\n",
            400);
    assertThat(e.path("message").asText()).startsWith("Malformed HTTP request");
  }

  @Test
  void aWrongMethodOnAKnownPathIsA405WithAllow() throws Exception {
    HttpResponse<String> r = gw.send("DELETE", "/models", null, null);
    assertThat(BadInputIT.error(r, 405).path("message").asText())
        .isEqualTo("Method DELETE is not allowed on /api/v1/models; allowed: GET");
    assertThat(r.headers().firstValue("allow")).hasValue("GET");

    HttpResponse<String> chat = gw.get("/chat/completions", TestGateway.KEY);
    BadInputIT.error(chat, 405);
    assertThat(chat.headers().firstValue("allow")).hasValue("POST");

    HttpResponse<String> key = gw.send("PUT", "/keys/abc123", "{}", TestGateway.MASTER_KEY);
    BadInputIT.error(key, 405);
    assertThat(key.headers().firstValue("allow")).hasValue("DELETE, GET, PATCH");

    // An unknown path stays a 404.
    BadInputIT.error(gw.send("DELETE", "/nothing/here", null, null), 404);
  }

  @Test
  void dataAfterTheJsonBodyIsA400NamingTheProblem() throws Exception {
    JsonNode e = BadInputIT.error(gw.chat(CHAT + " {\"model\":\"other\"}"), 400);
    assertThat(e.path("message").asText())
        .isEqualTo(
            "Request body has more data after its JSON value (from byte "
                + CHAT.length()
                + "); send exactly one JSON object");
    BadInputIT.error(gw.chat(CHAT + "garbage"), 400);
    // Whitespace after the object is fine.
    assertThat(gw.chat(CHAT + "\n  \n").statusCode()).isEqualTo(200);

    HttpResponse<String> key =
        gw.post("/keys", "{\"name\":\"x\"} trailing", TestGateway.MASTER_KEY, "application/json");
    assertThat(BadInputIT.error(key, 400).path("message").asText())
        .startsWith("Request body has more data after its JSON value");
  }

  @Test
  void aClientThatHangsUpMidUploadIsNoInternalError() throws Exception {
    List<String> logged =
        loggedAtLeast(
            Level.ERROR, () -> hangUpThreeTimesAfter(chatRequest(5000) + CHAT.substring(0, 40)));
    assertThat(logged).isEmpty();
  }

  /**
   * A client that hangs up while the upstream is still thinking: the upstream's answer arrives for
   * nobody and is reset, which Vert.x logged at ERROR ("Stream reset: 0") when the response had no
   * exception handler yet: every load test's end produced a burst of them.
   */
  @Test
  void aClientThatHangsUpBeforeTheUpstreamAnswersIsNoError() throws Exception {
    gw.simulator().addFault("minimax", new dev.switchboard.simulator.Fault.Timeout(400, 3));
    try {
      List<String> logged =
          loggedAtLeast(
              Level.WARN,
              () -> {
                hangUpThreeTimesAfter(chatRequest(CHAT.length()) + CHAT);
                // The three upstream answers come 400 ms after their requests, for clients gone.
                Thread.sleep(800);
              });
      assertThat(logged).isEmpty();
    } finally {
      gw.simulator().clearFaults("minimax");
    }
  }

  /** Three connections that each send {@code request} and close 100 ms later. */
  private static void hangUpThreeTimesAfter(String request) throws Exception {
    for (int i = 0; i < 3; i++) {
      try (RawSocket s = RawSocket.open(gw.gateway.port())) {
        s.send(request);
        Thread.sleep(100);
      }
    }
  }

  private static String chatRequest(int contentLength) {
    return "POST /api/v1/chat/completions HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer "
        + TestGateway.KEY
        + "\r\nContent-Type: application/json\r\nContent-Length: "
        + contentLength
        + "\r\n\r\n";
  }

  interface Body {
    void run() throws Exception;
  }

  /**
   * The messages logged at {@code level} or above while {@code body} ran and until the gateway had
   * answered one more request after it (so it is still serving).
   */
  private static List<String> loggedAtLeast(Level level, Body body) throws Exception {
    Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    ListAppender<ILoggingEvent> captured = new ListAppender<>();
    captured.start();
    root.addAppender(captured);
    try {
      body.run();
      assertThat(gw.chat(CHAT).statusCode()).isEqualTo(200);
      Thread.sleep(200);
      return captured.list.stream()
          .filter(ev -> ev.getLevel().isGreaterOrEqual(level))
          .map(ILoggingEvent::getFormattedMessage)
          .toList();
    } finally {
      root.detachAppender(captured);
    }
  }
}
