package dev.switchboard.simulator;

import static dev.switchboard.simulator.SimClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.sse.SseEvent;
import dev.switchboard.sse.SseReader;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The same fault script as the OpenAI dialect, rendered in Anthropic's shapes. */
class AnthropicFaultsIT {

  private static final String PATH = "/p/anthropic/v1/messages";
  private static final String PLAIN =
      "{\"model\":\"claude\",\"max_tokens\":100,\"messages\":[{\"role\":\"user\",\"content\":"
          + "\"Hello there, simulator\"}]}";
  private static final String STREAM = PLAIN.replace("{\"model\"", "{\"stream\":true,\"model\"");

  @RegisterExtension static final SimulatorExtension sim = SimulatorExtension.withEventLoops(1);

  private HttpResponse<String> send(String body, String... headers) {
    return sim.client().send("POST", PATH, body, Duration.ofSeconds(10), headers);
  }

  @Test
  void answersWithAnthropicErrorBodiesForEachStatus() {
    for (int status : new int[] {400, 401, 404, 429, 500, 503, 529}) {
      sim.simulator().addFault("anthropic", Fault.status(status).times(1));

      HttpResponse<String> response = send(PLAIN);

      assertThat(response.statusCode()).isEqualTo(status);
      assertThat(json(response.body()).path("type").asText()).isEqualTo("error");
      assertThat(json(response.body()).at("/error/type").asText()).endsWith("_error");
    }
    sim.simulator().addFault("anthropic", Fault.status(529).times(1));
    assertThat(json(send(PLAIN).body()).at("/error/type").asText()).isEqualTo("overloaded_error");
  }

  @Test
  void anErrorEventFaultEndsTheStreamWithAnOverloadedErrorEvent() {
    sim.simulator().addFault("anthropic", Fault.errorEvent(2).times(1));

    List<SseEvent> events = SseReader.parse(send(STREAM).body());

    SseEvent last = events.getLast();
    assertThat(last.event()).isEqualTo("error");
    assertThat(json(last.data()).at("/error/type").asText()).isEqualTo("overloaded_error");
    assertThat(events).filteredOn(e -> "content_block_delta".equals(e.event())).hasSize(2);
    assertThat(events).noneMatch(e -> "message_stop".equals(e.event()));
  }

  @Test
  void aMalformedFrameComesAfterTheGivenNumberOfDeltas() {
    sim.simulator().addFault("anthropic", Fault.malformed(1).times(1));

    String raw = send(STREAM).body();

    assertThat(raw).contains("\"text_delta\",\"text\":\"Sim\n\n");
    assertThat(raw).endsWith("event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n");
  }

  @Test
  void invalidRequestsGetAnthropicsFourHundred() {
    HttpResponse<String> response =
        send("{\"model\":\"claude\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(json(response.body()).at("/error/message").asText())
        .isEqualTo("max_tokens: Field required");
  }

  @Test
  void plainV1MessagesIsTheDefaultProvider() {
    HttpResponse<String> response =
        sim.client().send("POST", "/v1/messages", PLAIN, Duration.ofSeconds(10));

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(json(response.body()).at("/content/0/text").asText())
        .startsWith("Simulated answer to:");
    assertThat(sim.simulator().requestCount(Simulator.DEFAULT_PROVIDER)).isEqualTo(1);
  }
}
