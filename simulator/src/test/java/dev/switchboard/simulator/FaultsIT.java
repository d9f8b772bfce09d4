package dev.switchboard.simulator;

import static dev.switchboard.simulator.SimClient.chatPath;
import static dev.switchboard.simulator.SimClient.json;
import static dev.switchboard.simulator.SimClient.userRequest;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.simulator.SimClient.Streamed;
import dev.switchboard.sse.SseEvent;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Every fault kind, scripted in-process and by header, per provider. */
class FaultsIT {

  private static final String STREAM = userRequest("Hello", "\"stream\":true");
  private static final String PLAIN = userRequest("Hello");

  @RegisterExtension static final SimulatorExtension sim = SimulatorExtension.withEventLoops(1);

  @Test
  void answersWithTheRecordedOpenAiErrorBodyForEachStatus() {
    for (int status : new int[] {400, 401, 404, 429, 500, 502, 503, 529}) {
      sim.simulator().addFault("openai", Fault.status(status).times(1));

      HttpResponse<String> response = sim.client().chat("openai", PLAIN);

      assertThat(response.statusCode()).isEqualTo(status);
      assertThat(json(response.body()).at("/error/message").asText()).isNotBlank();
      assertThat(json(response.body()).at("/error").has("type")).isTrue();
    }
    sim.simulator().addFault("openai", Fault.status(429).times(1));
    assertThat(json(sim.client().chat("openai", PLAIN).body()).at("/error/code").asText())
        .isEqualTo("rate_limit_exceeded");
  }

  @Test
  void addsHeadersAndAnExplicitBodyToAStatusFault() {
    sim.simulator()
        .addFault(
            "openai",
            Fault.status(429).withHeader("Retry-After", "7").withBody("{\"error\":\"custom\"}"));

    HttpResponse<String> response = sim.client().chat("openai", STREAM);

    assertThat(response.statusCode()).isEqualTo(429);
    assertThat(response.headers().firstValue("retry-after")).hasValue("7");
    assertThat(response.body()).isEqualTo("{\"error\":\"custom\"}");
  }

  @Test
  void appliesScriptedFaultsInOrderForTheirCountThenAnswersNormally() {
    sim.simulator().addFault("openai", Fault.status(429).times(2));
    sim.simulator().addFault("openai", Fault.status(503).times(1));

    assertThat(sim.client().chat("openai", PLAIN).statusCode()).isEqualTo(429);
    assertThat(sim.simulator().faults("openai").getFirst().count()).isEqualTo(1);
    assertThat(sim.client().chat("openai", PLAIN).statusCode()).isEqualTo(429);
    assertThat(sim.client().chat("openai", PLAIN).statusCode()).isEqualTo(503);
    assertThat(sim.client().chat("openai", PLAIN).statusCode()).isEqualTo(200);
    assertThat(sim.simulator().faults("openai")).isEmpty();
  }

  @Test
  void keepsAFaultWithoutCountUntilCleared() {
    sim.simulator().addFault("openai", Fault.status(500));
    for (int i = 0; i < 3; i++) {
      assertThat(sim.client().chat("openai", PLAIN).statusCode()).isEqualTo(500);
    }

    sim.simulator().clearFaults("openai");

    assertThat(sim.client().chat("openai", PLAIN).statusCode()).isEqualTo(200);
  }

  @Test
  void keepsFaultsToTheirOwnProvider() {
    sim.simulator().addFault("openai", Fault.status(502));

    assertThat(sim.client().chat("deepseek", PLAIN).statusCode()).isEqualTo(200);
    assertThat(sim.client().chat("aws-bedrock", PLAIN).statusCode()).isEqualTo(200);
    assertThat(sim.client().chat("openai", PLAIN).statusCode()).isEqualTo(502);
  }

  @Test
  void neverAnswersOnATimeoutFault() {
    sim.simulator().addFault("openai", Fault.timeout().times(1));

    assertThatThrownBy(
            () -> sim.client().sendRaw(chatPath("openai"), PLAIN, Duration.ofMillis(300)))
        .isInstanceOf(HttpTimeoutException.class);
    assertThat(sim.client().chat("openai", PLAIN).statusCode()).isEqualTo(200);
  }

  @Test
  void answersLateOnATimeoutFaultWithADelay() {
    sim.simulator().addFault("openai", Fault.delay(Duration.ofMillis(300)).times(1));
    long start = System.nanoTime();

    HttpResponse<String> response = sim.client().chat("openai", PLAIN);

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat((System.nanoTime() - start) / 1_000_000).isGreaterThanOrEqualTo(250);
  }

  @Test
  void cutsAStreamAfterNChunksWithoutDone() {
    sim.simulator().addFault("openai", Fault.cut(3));

    Streamed stream = sim.client().stream("openai", STREAM);

    assertThat(stream.status()).isEqualTo(200);
    assertThat(stream.broken()).isTrue();
    assertThat(stream.events()).hasSize(3).noneMatch(SseEvent::isDone);
  }

  @Test
  void closesTheConnectionOfANonStreamingRequestOnACut() {
    sim.simulator().addFault("openai", Fault.cut(0).times(1));

    assertThatThrownBy(() -> sim.client().sendRaw(chatPath("openai"), PLAIN, Duration.ofSeconds(5)))
        .isInstanceOf(IOException.class);
  }

  @Test
  void insertsANonJsonChunkAfterNChunks() {
    sim.simulator().addFault("openai", Fault.malformed(2));

    Streamed stream = sim.client().stream("openai", STREAM);

    List<SseEvent> events = stream.events();
    assertThat(events.get(2).data()).startsWith("{\"id\":\"chatcmpl-");
    assertThat(SimClient.isJson(events.get(2).data())).isFalse();
    assertThat(SimClient.isJson(events.get(1).data())).isTrue();
    assertThat(stream.endsWithDone()).isTrue();
  }

  @Test
  void answersANonStreamingRequestWithANonJsonBodyOnAMalformedFault() {
    sim.simulator().addFault("openai", Fault.malformed(0));

    HttpResponse<String> response = sim.client().chat("openai", PLAIN);

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(SimClient.isJson(response.body())).isFalse();
  }

  @Test
  void carriesAnErrorEventInA200StreamAfterNChunks() {
    sim.simulator().addFault("groq", Fault.errorEvent(4));

    Streamed stream = sim.client().stream("groq", STREAM);

    assertThat(stream.status()).isEqualTo(200);
    assertThat(stream.events()).hasSize(5);
    SseEvent error = stream.events().getLast();
    assertThat(error.type()).isEqualTo("error");
    assertThat(json(error.data()).at("/error/type").asText()).isEqualTo("server_error");
    assertThat(stream.raw()).contains("event: error\ndata: {\"error\":{");
    assertThat(stream.broken()).isFalse();
  }

  @Test
  void carriesAnErrorAsAPlainDataChunkWithTheDataStyle() {
    sim.simulator()
        .addFault(
            "openai",
            Fault.errorEvent(1)
                .withStyle(Fault.ErrorStyle.DATA)
                .withBody("{\"error\":{\"message\":\"boom\",\"code\":502}}"));

    Streamed stream = sim.client().stream("openai", STREAM);

    SseEvent error = stream.events().getLast();
    assertThat(error.event()).isNull();
    assertThat(error.data()).isEqualTo("{\"error\":{\"message\":\"boom\",\"code\":502}}");
    assertThat(stream.events()).hasSize(2);
  }

  @Test
  void answersANonStreamingRequestWithTheErrorBodyOnAnErrorEventFault() {
    sim.simulator().addFault("openai", Fault.errorEvent(0));

    HttpResponse<String> response = sim.client().chat("openai", PLAIN);

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(json(response.body()).has("error")).isTrue();
  }

  @Test
  void answersANonStreamingRequestWithPartialOutputAndTheChoiceErrorOnAPartialFault() {
    sim.simulator().addFault("openai", Fault.partial(2).times(1));

    HttpResponse<String> response = sim.client().chat("openai", PLAIN);

    assertThat(response.statusCode()).isEqualTo(200);
    var choice = json(response.body()).at("/choices/0");
    assertThat(choice.path("finish_reason").asText()).isEqualTo("error");
    assertThat(choice.at("/error/code").asInt()).isEqualTo(502);
    assertThat(choice.at("/message/content").asText()).isEqualTo("Simulated answer");
    assertThat(json(response.body()).at("/usage/completion_tokens").asInt()).isEqualTo(2);
  }

  @Test
  void breaksToolCallsEachWayOnABadToolCallsFault() {
    String tools =
        userRequest(
            "Weather in Paris?",
            "\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"get_weather\","
                + "\"parameters\":{\"type\":\"object\",\"properties\":{\"city\":"
                + "{\"type\":\"string\"}}}}}]");
    sim.simulator()
        .addFault("openai", Fault.badToolCalls(Fault.ToolCallDefect.UNKNOWN_NAME).times(1));
    sim.simulator()
        .addFault("openai", Fault.badToolCalls(Fault.ToolCallDefect.INVALID_JSON).times(1));
    sim.simulator()
        .addFault("openai", Fault.badToolCalls(Fault.ToolCallDefect.SCHEMA_MISMATCH).times(1));

    var unknown =
        json(sim.client().chat("openai", tools).body())
            .at("/choices/0/message/tool_calls/0/function");
    var invalid =
        json(sim.client().chat("openai", tools).body())
            .at("/choices/0/message/tool_calls/0/function");
    var mismatch =
        json(sim.client().chat("openai", tools).body())
            .at("/choices/0/message/tool_calls/0/function");
    var sound =
        json(sim.client().chat("openai", tools).body())
            .at("/choices/0/message/tool_calls/0/function");

    assertThat(unknown.path("name").asText()).isEqualTo("sim_unknown_tool");
    assertThat(SimClient.isJson(invalid.path("arguments").asText())).isFalse();
    assertThat(mismatch.path("arguments").asText()).isEqualTo("[1]");
    assertThat(sound.path("name").asText()).isEqualTo("get_weather");
    assertThat(sound.path("arguments").asText()).isEqualTo("{\"city\":\"city\"}");
  }

  @Test
  void takesAOneOffFaultFromTheRequestHeaderWithoutTouchingTheScript() {
    sim.simulator().addFault("openai", Fault.status(503));

    HttpResponse<String> response =
        sim.client().chat("openai", PLAIN, "x-sim-fault", "{\"kind\":\"status\",\"status\":418}");

    assertThat(response.statusCode()).isEqualTo(418);
    assertThat(sim.simulator().faults("openai")).hasSize(1);
    assertThat(sim.client().chat("openai", PLAIN).statusCode()).isEqualTo(503);
  }

  @Test
  void rejectsAnUnreadableFaultHeader() {
    HttpResponse<String> response =
        sim.client().chat("openai", PLAIN, "x-sim-fault", "{\"kind\":\"explode\"}");

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(json(response.body()).at("/error/message").asText()).contains("explode");
  }
}
