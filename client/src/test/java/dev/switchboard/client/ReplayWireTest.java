package dev.switchboard.client;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What goes on the wire: headers, resolved aliases, the stream flag, the simple calls. */
class ReplayWireTest {

  ReplayServer server;

  @BeforeEach
  void start() {
    server = ReplayServer.start();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void everyRequestCarriesTheKeyAttributionAndDefaultHeaders() {
    server.on("POST", "/chat/completions", Replies.completion("m/x", "hi"));
    try (SwitchboardClient c =
        server
            .client()
            .referer("https://myapp.example")
            .appName("My App")
            .header("X-Trace", "t-1")
            .build()) {
      c.chat().create(Chat.request("m/x").user("hi").build());
    }
    ReplayServer.Recorded r = server.lastRequest();
    assertThat(r.header("Authorization")).isEqualTo("Bearer " + ReplayServer.KEY);
    assertThat(r.header("HTTP-Referer")).isEqualTo("https://myapp.example");
    assertThat(r.header("X-Title")).isEqualTo("My App");
    assertThat(r.header("X-Trace")).isEqualTo("t-1");
    assertThat(r.header("Content-Type")).isEqualTo("application/json");
    assertThat(r.header("User-Agent")).startsWith("switchboard-java/");
    assertThat(r.path()).isEqualTo("/api/v1/chat/completions");
  }

  @Test
  void aliasesAreResolvedInModelAndModelsAndStreamIsFlagged() {
    server.on("POST", "/chat/completions", Replies.stream("a", "b"));
    try (SwitchboardClient c = server.client().alias("mine", "acme/m-1").build();
        ChatStream s =
            c.chat().stream(Chat.request("smart").models("fast", "mine").user("hi").build())) {
      assertThat(s.accumulate().text()).isEqualTo("ab");
    }
    ReplayServer.Recorded r = server.lastRequest();
    JsonNode body = r.json();
    assertThat(body.get("model").asText()).isEqualTo("anthropic/claude-sonnet-4");
    assertThat(body.get("models").get(0).asText()).isEqualTo("google/gemini-3-flash-preview");
    assertThat(body.get("models").get(1).asText()).isEqualTo("acme/m-1");
    assertThat(body.get("stream").asBoolean()).isTrue();
    assertThat(r.header("Accept")).isEqualTo("text/event-stream");
  }

  @Test
  void createNeverAsksForAStreamAndTheDefaultModelFillsIn() {
    server.on("POST", "/chat/completions", Replies.completion("m/x", "hi"));
    try (SwitchboardClient c = server.client().defaultModel("cheap").build()) {
      c.chat().create(Chat.request(Chat.request().user("q").extra("stream", true).build()).build());
    }
    JsonNode body = server.lastRequest().json();
    assertThat(body.has("stream")).isFalse();
    assertThat(body.get("model").asText()).isEqualTo("deepseek/deepseek-chat-v3-0324");
  }

  @Test
  void askSendsThePromptWithItsOptionsAndReturnsTheText() {
    server.on("POST", "/chat/completions", Replies.completion("m/x", "Paris"));
    try (SwitchboardClient c = server.client().build()) {
      assertThat(
              c.chat()
                  .ask(
                      Prompt.of("Capital of France?")
                          .withModel("m/x")
                          .withSystem("One word")
                          .withTemperature(0)
                          .withMaxTokens(5)))
          .isEqualTo("Paris");
      assertThat(c.chat().ask("m/x", "Capital?")).isEqualTo("Paris");
    }
    JsonNode body = server.requests().getFirst().json();
    assertThat(body.at("/messages/0/content").asText()).isEqualTo("One word");
    assertThat(body.at("/messages/1/content").asText()).isEqualTo("Capital of France?");
    assertThat(body.get("temperature").asDouble()).isZero();
    assertThat(body.get("max_tokens").asInt()).isEqualTo(5);
  }

  @Test
  void streamsExposeTheirHeadersAndTextDeltas() {
    server.on(
        "POST",
        "/chat/completions",
        Replies.stream("Hel", "", "lo").header("X-Generation-Id", "gen-3-s"));
    try (SwitchboardClient c = server.client().build();
        ChatStream s = c.chat().stream(Chat.request("m/x").user("hi").build())) {
      assertThat(s.comments()).isEqualTo(1);
      assertThat(s.textDeltas().toList()).containsExactly("Hel", "lo");
      assertThat(s.generationId()).isEqualTo("gen-3-s");
      assertThat(s.headers()).containsKey("x-generation-id");
      assertThat(s.completed()).isTrue();
    }
  }
}
