package dev.switchboard.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.switchboard.server.config.GatewayConfig;
import dev.switchboard.simulator.Fault;
import dev.switchboard.simulator.Latency;
import java.io.InputStream;
import java.math.BigDecimal;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * An inference request's generation (model, provider, tokens, cost) is logged exactly once: on the
 * request's access-log line when it was settled before that line was written, else on a {@code
 * switchboard.generation} line of its own (a stream the client left), never on both and never on
 * neither.
 */
class GenerationLogLineIT {

  @TempDir static Path dir;
  static TestGateway gw;

  static final String CHAT =
      "{\"model\":\"minimax/minimax-m2.1\",\"provider\":{\"only\":[\"minimax\"]},"
          + "\"messages\":[{\"role\":\"user\",\"content\":\"hello\"}]}";
  static final String STREAM = CHAT.replace("{\"model\"", "{\"stream\":true,\"model\"");

  final ListAppender<ILoggingEvent> access = new ListAppender<>();
  final ListAppender<ILoggingEvent> generation = new ListAppender<>();

  @BeforeAll
  static void start() {
    gw = TestGateway.startWith(dir, c -> c.withLog(new GatewayConfig.LogConfig(true)));
  }

  @AfterAll
  static void stop() {
    gw.close();
  }

  @BeforeEach
  void capture() {
    access.start();
    generation.start();
    logger("switchboard.access").addAppender(access);
    logger("switchboard.generation").addAppender(generation);
  }

  @AfterEach
  void release() {
    logger("switchboard.access").detachAppender(access);
    logger("switchboard.generation").detachAppender(generation);
    gw.simulator().reset();
  }

  @Test
  void aRequestsGenerationRidesOnItsAccessLine() throws Exception {
    HttpResponse<String> r = gw.chat(CHAT);
    assertThat(r.statusCode()).isEqualTo(200);
    String id = r.headers().firstValue("x-generation-id").orElseThrow();
    Map<String, Object> line = accessLine(id);
    assertThat(line)
        .containsEntry("status", 200)
        .containsEntry("model", "minimax/minimax-m2.1")
        .containsEntry("attempts", 1)
        .containsEntry("stream", false)
        .containsEntry("cancelled", false)
        .containsKeys("request_id", "key", "provider", "total_ms", "cost")
        .doesNotContainKeys("generation_status", "failure_class", "cache_source_id");
    assertThat((Long) line.get("prompt_tokens")).isPositive();
    assertThat((Long) line.get("completion_tokens")).isPositive();
    assertThat((BigDecimal) line.get("cost")).isPositive();
    assertThat(generationLines(id)).as("no second line for the same generation").isEmpty();
  }

  @Test
  void aStreamsGenerationRidesOnItsAccessLine() throws Exception {
    HttpResponse<String> r = gw.chat(STREAM);
    assertThat(r.statusCode()).isEqualTo(200);
    String id = r.headers().firstValue("x-generation-id").orElseThrow();
    assertThat(accessLine(id)).containsEntry("stream", true).containsKey("cost");
    assertThat(generationLines(id)).isEmpty();
  }

  @Test
  void aFailureNamesItsClassAndAStreamThatFailedAfterItsOkItsOwnStatus() throws Exception {
    gw.simulator().addFault("minimax", new Fault.Status(503, null, Map.of(), 0));
    HttpResponse<String> failed = gw.chat(CHAT);
    assertThat(failed.statusCode()).isGreaterThanOrEqualTo(500);
    String failedId = failed.headers().firstValue("x-generation-id").orElseThrow();
    assertThat(accessLine(failedId))
        .containsKey("failure_class")
        .doesNotContainKey("generation_status");
    gw.simulator().reset();

    gw.simulator().addFault("minimax", new Fault.Malformed(2, 0));
    HttpResponse<String> broken = gw.chat(STREAM);
    assertThat(broken.statusCode()).isEqualTo(200);
    String brokenId = broken.headers().firstValue("x-generation-id").orElseThrow();
    Map<String, Object> line = accessLine(brokenId);
    assertThat(line).containsEntry("status", 200).containsKey("failure_class");
    assertThat((Integer) line.get("generation_status")).isGreaterThanOrEqualTo(400);
    assertThat(generationLines(failedId)).isEmpty();
    assertThat(generationLines(brokenId)).isEmpty();
  }

  /**
   * A client that leaves a stream: its access line is written when the connection closes, and the
   * generation is settled when the gateway has stopped the upstream, in either order. Its fields
   * are logged once, on whichever line came second's terms.
   */
  @Test
  void aStreamTheClientLeftIsLoggedOnce() throws Exception {
    gw.simulator().setLatency("minimax", new Latency(0, 20));
    HttpResponse<InputStream> r = gw.chatStream(STREAM);
    String id = r.headers().firstValue("x-generation-id").orElseThrow();
    try (InputStream in = r.body()) {
      assertThat(in.read(new byte[256])).isPositive();
    }
    Map<String, Object> line = accessLine(id);
    assertThat(line).containsEntry("aborted", true);
    long deadline = System.currentTimeMillis() + 5_000;
    while (!line.containsKey("cost")
        && generationLines(id).isEmpty()
        && System.currentTimeMillis() < deadline) {
      Thread.sleep(20);
    }
    List<Map<String, Object>> own = generationLines(id);
    if (line.containsKey("cost")) {
      assertThat(own).as("fields on the access line and a line of their own").isEmpty();
      assertThat(line).containsEntry("cancelled", true);
    } else {
      assertThat(own).hasSize(1);
      assertThat(own.getFirst())
          .containsEntry("cancelled", true)
          .containsEntry("stream", true)
          .containsKey("cost");
      assertThat(generation.list.getFirst().getFormattedMessage()).isEqualTo("chat completion");
    }
  }

  private Map<String, Object> accessLine(String generationId) throws InterruptedException {
    long deadline = System.currentTimeMillis() + 5_000;
    while (System.currentTimeMillis() < deadline) {
      List<Map<String, Object>> lines =
          List.copyOf(access.list).stream()
              .map(GenerationLogLineIT::fields)
              .filter(f -> generationId.equals(f.get("generation_id")))
              .toList();
      if (!lines.isEmpty()) {
        assertThat(lines).as("access lines of %s", generationId).hasSize(1);
        return lines.getFirst();
      }
      Thread.sleep(10);
    }
    throw new AssertionError("no access line for " + generationId);
  }

  private List<Map<String, Object>> generationLines(String generationId) {
    return List.copyOf(generation.list).stream()
        .map(GenerationLogLineIT::fields)
        .filter(f -> generationId.equals(f.get("generation_id")))
        .toList();
  }

  private static Logger logger(String name) {
    return (Logger) LoggerFactory.getLogger(name);
  }

  private static Map<String, Object> fields(ILoggingEvent ev) {
    Map<String, Object> m = new HashMap<>();
    if (ev.getKeyValuePairs() != null) {
      ev.getKeyValuePairs()
          .forEach(
              kv -> {
                if (kv.value != null) {
                  m.put(kv.key, kv.value);
                }
              });
    }
    return m;
  }
}
