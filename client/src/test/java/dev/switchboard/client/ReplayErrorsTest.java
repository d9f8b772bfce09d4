package dev.switchboard.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.switchboard.api.chat.ChatRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** OpenRouter's error shapes (reference §2) map to the typed exceptions. */
class ReplayErrorsTest {

  static final ChatRequest HI = Chat.request("m/x").user("hi").build();

  ReplayServer server;
  SwitchboardClient client;

  @BeforeEach
  void start() {
    server = ReplayServer.start();
    client = server.client().build();
  }

  @AfterEach
  void stop() {
    client.close();
    server.close();
  }

  SwitchboardException failWith(ReplayServer.Reply reply) {
    server.on("POST", "/chat/completions", reply);
    return catchThrowableOfType(SwitchboardException.class, () -> client.chat().create(HI));
  }

  @Test
  void eachStatusHasItsType() {
    record Case(int status, Class<? extends SwitchboardException> type) {}
    List<Case> cases =
        List.of(
            new Case(400, BadRequestException.class),
            new Case(413, BadRequestException.class),
            new Case(422, BadRequestException.class),
            new Case(401, AuthenticationException.class),
            new Case(402, PaymentRequiredException.class),
            new Case(403, PermissionDeniedException.class),
            new Case(404, NotFoundException.class),
            new Case(408, RequestTimeoutException.class),
            new Case(429, RateLimitedException.class),
            new Case(500, ServerException.class),
            new Case(502, ProviderException.class),
            new Case(503, NoProviderAvailableException.class),
            new Case(524, ServerException.class),
            new Case(418, BadRequestException.class));
    List<String> seen = new ArrayList<>();
    for (Case c : cases) {
      ReplayServer s = ReplayServer.start();
      try (SwitchboardClient cl = s.client().build()) {
        s.on("POST", "/chat/completions", Replies.error(c.status(), "status " + c.status()));
        SwitchboardException e =
            catchThrowableOfType(SwitchboardException.class, () -> cl.chat().create(HI));
        assertThat(e).as("status %s", c.status()).isExactlyInstanceOf(c.type());
        assertThat(e.status()).isEqualTo(c.status());
        assertThat(e).hasMessage("status " + c.status());
        seen.add(e.getClass().getSimpleName());
      } finally {
        s.close();
      }
    }
    assertThat(seen).hasSize(cases.size());
  }

  @Test
  void moderationBlockCarriesItsReasonsAndFlaggedInput() {
    PermissionDeniedException e =
        (PermissionDeniedException)
            failWith(
                ReplayServer.Reply.json(
                    403,
                    """
                    {"error":{"code":403,"message":"Your input was flagged","metadata":{
                      "reasons":["harassment","violence"],"flagged_input":"you are...terrible",
                      "provider_name":"OpenAI","model_slug":"openai/gpt-4o"}}}
                    """));
    assertThat(e.moderation())
        .hasValueSatisfying(
            m -> {
              assertThat(m.reasons()).containsExactly("harassment", "violence");
              assertThat(m.flaggedInput()).isEqualTo("you are...terrible");
              assertThat(m.providerName()).isEqualTo("OpenAI");
              assertThat(m.modelSlug()).isEqualTo("openai/gpt-4o");
            });
    assertThat(e.providerName()).hasValue("OpenAI");
  }

  @Test
  void providerErrorKeepsProviderNameRawAndTypedErrorFields() {
    SwitchboardException e =
        failWith(
            ReplayServer.Reply.json(
                502,
                """
                {"error":{"code":502,"message":"Provider returned error","metadata":{
                  "provider_name":"Venice","raw":{"error":"upstream boom"},"error_type":"provider_unavailable",
                  "provider_code":"server_error"}},"user_id":"user_1"}
                """));
    assertThat(e).isInstanceOf(ProviderException.class);
    assertThat(e.providerName()).hasValue("Venice");
    assertThat(e.raw()).hasValue("{\"error\":\"upstream boom\"}");
    assertThat(e.errorType()).hasValue("provider_unavailable");
    assertThat(e.metadata()).containsEntry("provider_code", "server_error");
  }

  @Test
  void retryAfterComesFromTheHeaderOrTheMetadata() {
    SwitchboardException fromHeader =
        failWith(Replies.error(429, "limited").header("Retry-After", "17"));
    assertThat(fromHeader.retryAfter()).hasValue(Duration.ofSeconds(17));
    ReplayServer s = ReplayServer.start();
    try (SwitchboardClient c = s.client().build()) {
      s.on(
          "POST",
          "/chat/completions",
          ReplayServer.Reply.json(
              429,
              "{\"error\":{\"code\":429,\"message\":\"Rate limit exceeded: free-models-per-day\","
                  + "\"metadata\":{\"headers\":{\"X-RateLimit-Limit\":\"50\",\"Retry-After\":\"30\"}}}}"));
      RateLimitedException e =
          catchThrowableOfType(RateLimitedException.class, () -> c.chat().create(HI));
      assertThat(e.retryAfter()).hasValue(Duration.ofSeconds(30));
      assertThat(e.metadata()).containsKey("headers");
    } finally {
      s.close();
    }
  }

  @Test
  void anErrorBodyThatIsNotJsonStillGivesTheTypedException() {
    SwitchboardException e =
        failWith(
            new ReplayServer.Reply(
                502,
                java.util.Map.of("Content-Type", "text/html"),
                ReplayServer.utf8("<html>Bad gateway</html>")));
    assertThat(e).isInstanceOf(ProviderException.class);
    assertThat(e.getMessage()).isEqualTo("HTTP 502: <html>Bad gateway</html>");
  }

  @Test
  void http200WithAnErrorEnvelopeIsThrown() {
    SwitchboardException e =
        failWith(
            ReplayServer.Reply.json(
                200, "{\"error\":{\"code\":502,\"message\":\"late failure\"},\"user_id\":\"u\"}"));
    assertThat(e).isInstanceOf(ProviderException.class).hasMessage("late failure");
  }

  @Test
  void choiceThatFailedAfterPartialOutputIsThrown() {
    SwitchboardException e =
        failWith(
            ReplayServer.Reply.json(
                200,
                """
                {"id":"gen-9","model":"m/x","object":"chat.completion","created":1,"choices":[{"index":0,
                  "finish_reason":"error","message":{"role":"assistant","content":"partial"},
                  "error":{"code":429,"message":"Rate limit exceeded","metadata":{"error_type":"rate_limit_exceeded"}}}]}
                """));
    assertThat(e).isInstanceOf(RateLimitedException.class);
    assertThat(e.errorType()).hasValue("rate_limit_exceeded");
    assertThat(e.generationId()).hasValue("gen-9");
  }

  @Test
  void okAnswerThatIsNotJsonIsAnInvalidResponse() {
    SwitchboardException e =
        failWith(new ReplayServer.Reply(200, java.util.Map.of(), ReplayServer.utf8("surprise")));
    assertThat(e).isInstanceOf(InvalidResponseException.class);
    assertThat(e.getMessage()).contains("not JSON").contains("surprise");
  }

  @Test
  void inBandErrorWithAStringCodeIsAServerError() {
    server.on(
        "POST",
        "/chat/completions",
        ReplayServer.Reply.sse(
            Replies.CHUNK.formatted("Hi")
                + "data: {\"id\":\"gen-s\",\"object\":\"chat.completion.chunk\",\"error\":{\"code\":\"server_error\",\"message\":\"Internal\"},"
                + "\"choices\":[{\"index\":0,\"delta\":{\"content\":\"\"},\"finish_reason\":\"error\"}]}\n\n"));
    try (ChatStream s = client.chat().stream(HI)) {
      assertThat(s.next().choices().getFirst().delta().content()).isEqualTo("Hi");
      ServerException e = catchThrowableOfType(ServerException.class, s::next);
      assertThat(e.status()).isEqualTo(500);
      assertThat(e).hasMessage("server_error: Internal");
      assertThat(e.midStream()).isTrue();
    }
  }

  @Test
  void groqStyleErrorEventMidStreamIsRaised() {
    server.on(
        "POST",
        "/chat/completions",
        ReplayServer.Reply.sse(
            Replies.CHUNK.formatted("Hi")
                + "event: error\ndata: {\"error\":{\"message\":\"tool_use_failed\",\"code\":400}}\n\n"));
    try (ChatStream s = client.chat().stream(HI)) {
      s.next();
      BadRequestException e = catchThrowableOfType(BadRequestException.class, s::next);
      assertThat(e).hasMessage("tool_use_failed");
    }
  }

  @Test
  void malformedChunkIsAnInvalidResponseFromNext() {
    server.on(
        "POST",
        "/chat/completions",
        ReplayServer.Reply.sse(Replies.CHUNK.formatted("Hi") + "data: {not json\n\n"));
    try (ChatStream s = client.chat().stream(HI)) {
      s.next();
      InvalidResponseException e = catchThrowableOfType(InvalidResponseException.class, s::next);
      assertThat(e.getMessage()).contains("not JSON");
    }
  }

  @Test
  void streamThatEndsWithoutDoneEndsQuietly() {
    server.on("POST", "/chat/completions", ReplayServer.Reply.sse(Replies.CHUNK.formatted("Hi")));
    try (ChatStream s = client.chat().stream(HI)) {
      assertThat(s.accumulate().text()).isEqualTo("Hi");
      assertThat(s.completed()).isFalse();
    }
  }
}
