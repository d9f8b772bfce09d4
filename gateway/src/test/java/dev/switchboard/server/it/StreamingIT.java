package dev.switchboard.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.api.json.ApiJson;
import dev.switchboard.simulator.Fault;
import dev.switchboard.simulator.Latency;
import dev.switchboard.sse.SseEvent;
import dev.switchboard.sse.SseReader;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** SSE framing, the commit point, in-band errors and cancellation, on the wire. */
class StreamingIT {

  @RegisterExtension static final TestGateway gw = TestGateway.perClass(150, 10L * 1024 * 1024);

  static final String SONNET_STREAM =
      "{\"model\":\"anthropic/claude-sonnet-4\",\"stream\":true,\"provider\":{\"sort\":\"price\"},"
          + "\"messages\":[{\"role\":\"user\",\"content\":\"Tell me a story\"}]}";

  record Stream(HttpResponse<String> response, List<SseEvent> events, List<String> comments) {
    List<JsonNode> chunks() throws Exception {
      List<JsonNode> out = new ArrayList<>();
      for (SseEvent e : events) {
        if (!e.isDone()) {
          out.add(ApiJson.tree(e.data()));
        }
      }
      return out;
    }
  }

  static Stream stream(String body) throws Exception {
    HttpResponse<String> r = gw.chat(body);
    List<SseEvent> events = new ArrayList<>();
    List<String> comments = new ArrayList<>();
    SseReader.builder().onEvent(events::add).onComment(comments::add).build().feed(r.body());
    return new Stream(r, events, comments);
  }

  @Test
  void streamIsFramedAsOpenRouterDoes() throws Exception {
    Stream s = stream(SONNET_STREAM);
    assertThat(s.response().statusCode()).isEqualTo(200);
    assertThat(s.response().headers().firstValue("content-type")).hasValue("text/event-stream");
    String id = s.response().headers().firstValue("x-generation-id").orElseThrow();
    assertThat(s.response().headers().firstValue("x-switchboard-overhead-ms")).isPresent();
    assertThat(s.events().getLast().isDone()).isTrue();
    List<JsonNode> chunks = s.chunks();
    assertThat(chunks).allSatisfy(c -> assertThat(c.path("id").asText()).isEqualTo(id));
    assertThat(chunks)
        .allSatisfy(c -> assertThat(c.path("object").asText()).isEqualTo("chat.completion.chunk"));
    List<JsonNode> withUsage = chunks.stream().filter(c -> c.has("usage")).toList();
    assertThat(withUsage).hasSize(1);
    assertThat(withUsage.getFirst()).isSameAs(chunks.getLast());
    assertThat(chunks.getLast().path("choices").isArray()).isTrue();
    assertThat(chunks.getLast().path("choices")).isEmpty();
    JsonNode finish = chunks.get(chunks.size() - 2);
    assertThat(finish.path("choices").get(0).path("finish_reason").asText()).isEqualTo("stop");
    assertThat(chunks.getLast().path("usage").path("cost").isNumber()).isTrue();
  }

  @Test
  void keepaliveCommentsFlowWhileTheFirstTokenIsSlow() throws Exception {
    gw.simulator().setLatency("anthropic", new Latency(700, 0));
    Stream s = stream(SONNET_STREAM);
    assertThat(s.comments()).hasSizeGreaterThanOrEqualTo(2);
    assertThat(s.comments())
        .allMatch(c -> c.equals("OPENROUTER PROCESSING") || c.equals(" OPENROUTER PROCESSING"));
    assertThat(s.events().getLast().isDone()).isTrue();
  }

  @Test
  void failureBeforeTheFirstByteFallsOverToTheNextProvider() throws Exception {
    gw.simulator().addFault("anthropic", new Fault.Status(503, null, Map.of(), 0));
    Stream s = stream(SONNET_STREAM);
    assertThat(s.response().statusCode()).isEqualTo(200);
    assertThat(s.chunks().getFirst().path("provider").asText()).isEqualTo("Amazon Bedrock");
    assertThat(s.events().getLast().isDone()).isTrue();
  }

  @Test
  void errorEventBeforeAnyDataFallsOverToo() throws Exception {
    gw.simulator().addFault("anthropic", new Fault.ErrorEvent(0, Fault.ErrorStyle.EVENT, null, 0));
    Stream s = stream(SONNET_STREAM);
    assertThat(s.chunks().getFirst().path("provider").asText()).isEqualTo("Amazon Bedrock");
    assertThat(s.events().getLast().isDone()).isTrue();
  }

  @Test
  void everyProviderFailingBeforeTheFirstByteIsANormalJsonError() throws Exception {
    for (String p : List.of("anthropic", "aws-bedrock", "gcp-vertex")) {
      gw.simulator().addFault(p, new Fault.Status(429, null, Map.of("Retry-After", "7"), 0));
    }
    HttpResponse<String> r = gw.chat(SONNET_STREAM);
    assertThat(r.statusCode()).isEqualTo(429);
    assertThat(r.headers().firstValue("content-type")).hasValue("application/json");
    JsonNode error = ApiJson.tree(r.body()).path("error");
    assertThat(error.path("message").asText()).isEqualTo("Provider returned error");
    assertThat(error.path("metadata").path("provider_name").asText()).isNotBlank();
    assertThat(error.path("metadata").path("raw").asText()).contains("rate");
    assertThat(r.headers().firstValue("retry-after")).hasValue("7");
  }

  @Test
  void cutAfterTheFirstChunksEndsWithAnInBandErrorAndNoDone() throws Exception {
    for (String p : List.of("anthropic", "aws-bedrock", "gcp-vertex")) {
      gw.simulator().addFault(p, new Fault.Cut(3, 0));
    }
    Stream s = stream(SONNET_STREAM);
    assertThat(s.response().statusCode()).isEqualTo(200);
    assertThat(s.events()).noneMatch(SseEvent::isDone);
    JsonNode last = s.chunks().getLast();
    assertThat(last.path("error").path("code").isInt()).isTrue();
    assertThat(last.path("error").path("metadata").path("error_type").asText()).isNotBlank();
    assertThat(last.path("choices").get(0).path("finish_reason").asText()).isEqualTo("error");
    assertThat(last.path("choices").get(0).path("delta").path("content").asText()).isEmpty();
    assertThat(
            s.chunks().stream()
                .filter(
                    c ->
                        c.has("choices")
                            && c.path("choices").size() > 0
                            && c.path("choices").get(0).path("delta").has("content")))
        .isNotEmpty();
  }

  @Test
  void malformedChunkMidStreamBecomesAnInBandError() throws Exception {
    for (String p : List.of("anthropic", "aws-bedrock", "gcp-vertex")) {
      gw.simulator().addFault(p, new Fault.Malformed(2, 0));
    }
    Stream s = stream(SONNET_STREAM);
    assertThat(s.response().statusCode()).isEqualTo(200);
    assertThat(s.chunks().getLast().path("choices").get(0).path("finish_reason").asText())
        .isEqualTo("error");
    assertThat(s.events()).noneMatch(SseEvent::isDone);
  }

  @Test
  void clientThatDisconnectsCancelsTheUpstreamAndIsRecordedAsCancelled() throws Exception {
    gw.simulator().setLatency("anthropic", new Latency(0, 20));
    HttpResponse<InputStream> r = gw.chatStream(SONNET_STREAM);
    String id = r.headers().firstValue("x-generation-id").orElseThrow();
    try (InputStream in = r.body()) {
      byte[] buf = new byte[512];
      int n = in.read(buf);
      assertThat(new String(buf, 0, Math.max(n, 0), StandardCharsets.UTF_8)).contains("OPENROUTER");
    }
    JsonNode record = null;
    for (int i = 0; i < 100 && record == null; i++) {
      HttpResponse<String> g = gw.get("/generation?id=" + id, TestGateway.KEY);
      if (g.statusCode() == 200) {
        record = ApiJson.tree(g.body()).path("data");
      } else {
        Thread.sleep(50);
      }
    }
    assertThat(record).as("generation record of the cancelled stream").isNotNull();
    assertThat(record.path("cancelled").asBoolean()).isTrue();
    assertThat(record.path("streamed").asBoolean()).isTrue();
  }
}
