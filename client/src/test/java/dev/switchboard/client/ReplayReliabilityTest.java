package dev.switchboard.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.switchboard.api.chat.ChatRequest;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Retries with backoff, Retry-After, statuses never retried, client-side fallback models. */
class ReplayReliabilityTest {

  static final ChatRequest HI = Chat.request("m/x").user("hi").build();

  ReplayServer server;
  final List<Duration> sleeps = new ArrayList<>();

  @BeforeEach
  void start() {
    server = ReplayServer.start();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  SwitchboardClient client(int retries) {
    return server
        .client()
        .retryPolicy(RetryPolicy.defaults().withMaxRetries(retries))
        .sleeper(sleeps::add)
        .random(() -> 0.5)
        .build();
  }

  @Test
  void rateLimitIsRetriedAfterItsRetryAfter() {
    server.on(
        "POST",
        "/chat/completions",
        Replies.error(429, "slow down").header("Retry-After", "2"),
        Replies.completion("m/x", "ok"));
    try (SwitchboardClient c = client(2)) {
      assertThat(c.chat().create(HI).text()).isEqualTo("ok");
    }
    assertThat(sleeps).containsExactly(Duration.ofSeconds(2));
    assertThat(server.requests()).hasSize(2);
  }

  @Test
  void transientStatusesAreRetriedWithExponentialBackoffAndJitter() {
    server.on(
        "POST",
        "/chat/completions",
        Replies.error(503, "overloaded"),
        Replies.error(502, "Provider returned error"),
        Replies.error(408, "timeout"),
        Replies.completion("m/x", "ok"));
    try (SwitchboardClient c = client(3)) {
      assertThat(c.chat().create(HI).text()).isEqualTo("ok");
    }
    // 500 ms doubling, jitter 50 % drawn at 0.5: 0.75 of each step
    assertThat(sleeps)
        .containsExactly(Duration.ofMillis(375), Duration.ofMillis(750), Duration.ofMillis(1500));
  }

  @Test
  void clientErrorsAreNeverRetried() {
    int[] statuses = {400, 401, 402, 403};
    for (int status : statuses) {
      ReplayServer s = ReplayServer.start();
      try (SwitchboardClient c =
          s.client()
              .retryPolicy(RetryPolicy.defaults().withMaxRetries(5))
              .sleeper(sleeps::add)
              .build()) {
        s.on(
            "POST",
            "/chat/completions",
            Replies.error(status, "no"),
            Replies.completion("m/x", "ok"));
        SwitchboardException e =
            catchThrowableOfType(SwitchboardException.class, () -> c.chat().create(HI));
        assertThat(e.status()).isEqualTo(status);
        assertThat(s.requests()).as("requests for %s", status).hasSize(1);
      } finally {
        s.close();
      }
    }
    assertThat(sleeps).isEmpty();
  }

  @Test
  void exhaustedRetriesThrowTheLastFailure() {
    server.on("POST", "/chat/completions", Replies.error(503, "still overloaded"));
    try (SwitchboardClient c = client(2)) {
      NoProviderAvailableException e =
          catchThrowableOfType(NoProviderAvailableException.class, () -> c.chat().create(HI));
      assertThat(e).hasMessage("still overloaded");
    }
    assertThat(server.requests()).hasSize(3);
    assertThat(sleeps).hasSize(2);
  }

  @Test
  void refusedConnectionsAreRetriedThenAConnectionException() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    try (SwitchboardClient c =
        SwitchboardClient.builder()
            .baseUrl("http://127.0.0.1:" + port + "/api/v1")
            .apiKey("k")
            .retryPolicy(RetryPolicy.defaults().withMaxRetries(2))
            .sleeper(sleeps::add)
            .build()) {
      ConnectionException e =
          catchThrowableOfType(ConnectionException.class, () -> c.chat().create(HI));
      assertThat(e.status()).isZero();
      assertThat(e.getMessage())
          .contains(
              "POST http://127.0.0.1:" + port + "/api/v1/chat/completions: connection refused");
    }
    assertThat(sleeps).hasSize(2);
  }

  @Test
  void streamIsRetriedBeforeItsFirstChunkEvenWhenTheErrorComesInBand() {
    server.on(
        "POST",
        "/chat/completions",
        Replies.error(503, "overloaded"),
        ReplayServer.Reply.sse(
            ": OPENROUTER PROCESSING\n\ndata: {\"error\":{\"code\":502,\"message\":\"Provider returned error\"}}\n\n"),
        Replies.stream("fine"));
    try (SwitchboardClient c = client(3);
        ChatStream s = c.chat().stream(HI)) {
      assertThat(s.accumulate().text()).isEqualTo("fine");
    }
    assertThat(server.requests()).hasSize(3);
  }

  @Test
  void clientSideFallbackModelsAreTriedInOrderAfterRetries() {
    server.on(
        "POST",
        "/chat/completions",
        Replies.error(503, "overloaded"),
        Replies.error(503, "overloaded"),
        Replies.error(404, "No endpoints found for deepseek"),
        Replies.completion("google/gemini-3-flash-preview", "from the fallback"));
    try (SwitchboardClient c =
        server
            .client()
            .retryPolicy(RetryPolicy.defaults().withMaxRetries(1))
            .sleeper(sleeps::add)
            .fallbackModels("cheap", "fast")
            .build()) {
      ChatResponse r = c.chat().create(HI);
      assertThat(r.text()).isEqualTo("from the fallback");
    }
    assertThat(server.requests())
        .extracting(r -> r.json().get("model").asText())
        .containsExactly(
            "m/x", "m/x", "deepseek/deepseek-chat-v3-0324", "google/gemini-3-flash-preview");
  }

  @Test
  void whenEveryModelFailsTheLastFailureCarriesTheEarlierOnes() {
    server.on(
        "POST", "/chat/completions", Replies.error(503, "first"), Replies.error(429, "second"));
    try (SwitchboardClient c = server.client().fallbackModels("acme/b").build()) {
      RateLimitedException e =
          catchThrowableOfType(RateLimitedException.class, () -> c.chat().create(HI));
      assertThat(e.getSuppressed())
          .singleElement()
          .isInstanceOf(NoProviderAvailableException.class);
    }
  }

  @Test
  void badRequestsDoNotFallBack() {
    server.on(
        "POST",
        "/chat/completions",
        Replies.error(400, "bad field"),
        Replies.completion("m/y", "no"));
    try (SwitchboardClient c = server.client().fallbackModels("m/y").build()) {
      catchThrowableOfType(BadRequestException.class, () -> c.chat().create(HI));
    }
    assertThat(server.requests()).hasSize(1);
  }
}
