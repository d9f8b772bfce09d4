package dev.switchboard.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.sun.net.httpserver.HttpServer;
import dev.switchboard.server.config.GatewayConfig;
import dev.switchboard.server.config.ObservabilityConfig;
import dev.switchboard.simulator.Fault;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * Traces through the real OTLP exporter into an in-process collector (an HTTP server on port 0 that
 * takes OTLP/HTTP protobuf): the request's span continues the incoming {@code traceparent}, is
 * named and attributed per the GenAI conventions, has one child span per attempt, and its trace id
 * is on the access-log line. Without {@code OTEL_*} variables nothing is exported.
 */
class TracingIT {

  static final String MODEL = "deepseek/deepseek-chat-v3-0324";
  static final String TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
  static final String PARENT = "00f067aa0ba902b7";

  @TempDir Path dir;

  HttpServer collector;
  final List<byte[]> exports = new CopyOnWriteArrayList<>();

  @BeforeEach
  void collector() throws Exception {
    collector = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    collector.createContext(
        "/v1/traces",
        exchange -> {
          exports.add(exchange.getRequestBody().readAllBytes());
          exchange.getResponseHeaders().add("Content-Type", "application/x-protobuf");
          exchange.sendResponseHeaders(200, -1);
          exchange.close();
        });
    collector.start();
  }

  @AfterEach
  void stop() {
    collector.stop(0);
  }

  @Test
  void aRequestIsOneSpanWithAChildPerAttemptUnderTheCallersTrace() throws Exception {
    Map<String, String> otel =
        Map.of(
            "OTEL_TRACES_EXPORTER", "otlp",
            "OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:" + collector.getAddress().getPort(),
            "OTEL_SERVICE_NAME", "switchboard-it",
            "OTEL_BSP_SCHEDULE_DELAY", "50");
    ListAppender<ILoggingEvent> access = new ListAppender<>();
    access.start();
    Logger accessLogger = (Logger) LoggerFactory.getLogger("switchboard.access");
    accessLogger.addAppender(access);
    String generationId;
    try (TestGateway gw =
        TestGateway.startWith(
            dir.resolve("data"),
            c -> withAccessLog(c).withObservability(new ObservabilityConfig(null, otel)))) {
      gw.simulator().addFault("deepseek", new Fault.Status(500, null, null, 1));
      HttpResponse<String> r =
          gw.http.send(
              HttpRequest.newBuilder(URI.create(gw.base() + "/chat/completions"))
                  .header("Authorization", "Bearer " + TestGateway.KEY)
                  .header("Content-Type", "application/json")
                  .header("traceparent", "00-" + TRACE + "-" + PARENT + "-01")
                  .POST(
                      HttpRequest.BodyPublishers.ofString(
                          "{\"model\":\""
                              + MODEL
                              + "\",\"max_tokens\":50,\"provider\":{\"only\":[\"deepseek\"]},"
                              + "\"messages\":[{\"role\":\"user\","
                              + "\"content\":\"trace me\"}]}"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
      generationId = r.headers().firstValue("x-generation-id").orElseThrow();
      waitFor(() -> spans().size() >= 3);
    } finally {
      accessLogger.detachAppender(access);
    }

    List<Span> spans = spans();
    Span request = spans.stream().filter(s -> s.parent().equals(PARENT)).findFirst().orElseThrow();
    assertThat(request.trace()).isEqualTo(TRACE);
    assertThat(request.name()).isEqualTo("chat " + MODEL);
    assertThat(request.attributes())
        .containsEntry("gen_ai.operation.name", "chat")
        .containsEntry("gen_ai.request.model", MODEL)
        .containsEntry("gen_ai.response.model", MODEL)
        .containsEntry("gen_ai.provider.name", "deepseek")
        .containsEntry("gen_ai.system", "deepseek")
        .containsEntry("gen_ai.response.id", generationId)
        .containsEntry("gen_ai.request.max_tokens", 50L)
        .containsEntry("http.response.status_code", 200L)
        .doesNotContainKey("error.type");
    assertThat((Long) request.attributes().get("gen_ai.usage.input_tokens")).isPositive();
    assertThat((Long) request.attributes().get("gen_ai.usage.output_tokens")).isPositive();

    List<Span> attempts = spans.stream().filter(s -> s.parent().equals(request.id())).toList();
    assertThat(attempts).hasSize(2);
    assertThat(attempts).allSatisfy(a -> assertThat(a.trace()).isEqualTo(TRACE));
    assertThat(attempts).extracting(Span::name).containsOnly("chat deepseek-chat");
    assertThat(attempts)
        .extracting(a -> a.attributes().get("error.type"))
        .containsExactlyInAnyOrder("upstream_transient", null);
    assertThat(attempts)
        .allSatisfy(
            a -> assertThat(a.attributes()).containsEntry("gen_ai.provider.name", "deepseek"));
    assertThat(resourceAttribute("service.name")).isEqualTo("switchboard-it");

    assertThat(access.list)
        .filteredOn(e -> e.getFormattedMessage().contains("/chat/completions"))
        .singleElement()
        .satisfies(
            e ->
                assertThat(e.getKeyValuePairs())
                    .anySatisfy(
                        kv -> {
                          assertThat(kv.key).isEqualTo("trace_id");
                          assertThat(kv.value).isEqualTo(TRACE);
                        }));
  }

  @Test
  void withoutOtelVariablesNothingIsTraced() throws Exception {
    try (TestGateway gw = TestGateway.start(dir.resolve("off"))) {
      assertThat(gw.gateway.services().observer()).isNotNull();
      HttpResponse<String> r =
          gw.chat(
              "{\"model\":\"" + MODEL + "\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}");
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(
              ((dev.switchboard.server.telemetry.Telemetry) gw.gateway.services().observer())
                  .tracing())
          .isFalse();
    }
    Thread.sleep(300);
    assertThat(exports).isEmpty();
  }

  private static GatewayConfig withAccessLog(GatewayConfig c) {
    return c.withLog(new GatewayConfig.LogConfig(true));
  }

  private static void waitFor(java.util.function.BooleanSupplier done) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (!done.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("no spans arrived at the collector");
      }
      Thread.sleep(50);
    }
  }

  // ---- just enough protobuf to read OTLP's ExportTraceServiceRequest --------------------------

  record Span(
      String trace, String id, String parent, String name, Map<String, Object> attributes) {}

  record Field(int number, long number64, byte[] bytes) {
    String string() {
      return new String(bytes, StandardCharsets.UTF_8);
    }
  }

  private List<Span> spans() {
    List<Span> out = new ArrayList<>();
    for (byte[] export : exports) {
      for (Field resourceSpans : fields(export, 1)) {
        for (Field scopeSpans : fields(resourceSpans.bytes(), 2)) {
          for (Field span : fields(scopeSpans.bytes(), 2)) {
            out.add(span(span.bytes()));
          }
        }
      }
    }
    return out;
  }

  private Object resourceAttribute(String key) {
    for (byte[] export : exports) {
      for (Field resourceSpans : fields(export, 1)) {
        for (Field resource : fields(resourceSpans.bytes(), 1)) {
          Map<String, Object> attributes = attributes(resource.bytes(), 1);
          if (attributes.containsKey(key)) {
            return attributes.get(key);
          }
        }
      }
    }
    return null;
  }

  private static Span span(byte[] b) {
    String trace = "";
    String id = "";
    String parent = "";
    String name = "";
    for (Field f : parse(b)) {
      switch (f.number()) {
        case 1 -> trace = HexFormat.of().formatHex(f.bytes());
        case 2 -> id = HexFormat.of().formatHex(f.bytes());
        case 4 -> parent = HexFormat.of().formatHex(f.bytes());
        case 5 -> name = f.string();
        default -> {}
      }
    }
    return new Span(trace, id, parent, name, attributes(b, 9));
  }

  /** KeyValue messages in field {@code number}: string, bool, int and double values. */
  private static Map<String, Object> attributes(byte[] message, int number) {
    Map<String, Object> out = new LinkedHashMap<>();
    for (Field kv : fields(message, number)) {
      String key = fields(kv.bytes(), 1).getFirst().string();
      Object value = null;
      for (Field any : fields(kv.bytes(), 2)) {
        for (Field v : parse(any.bytes())) {
          value =
              switch (v.number()) {
                case 1 -> v.string();
                case 2 -> v.number64() != 0;
                case 3 -> v.number64();
                case 4 -> Double.longBitsToDouble(v.number64());
                default -> null;
              };
        }
      }
      out.put(key, value);
    }
    return out;
  }

  private static List<Field> fields(byte[] message, int number) {
    return parse(message).stream().filter(f -> f.number() == number).toList();
  }

  private static List<Field> parse(byte[] b) {
    List<Field> out = new ArrayList<>();
    int[] at = {0};
    while (at[0] < b.length) {
      long tag = varint(b, at);
      int number = (int) (tag >>> 3);
      switch ((int) (tag & 7)) {
        case 0 -> out.add(new Field(number, varint(b, at), null));
        case 1 -> {
          long v = 0;
          for (int i = 7; i >= 0; i--) {
            v = (v << 8) | (b[at[0] + i] & 0xff);
          }
          at[0] += 8;
          out.add(new Field(number, v, null));
        }
        case 2 -> {
          int len = (int) varint(b, at);
          ByteArrayOutputStream bytes = new ByteArrayOutputStream();
          bytes.write(b, at[0], len);
          at[0] += len;
          out.add(new Field(number, 0, bytes.toByteArray()));
        }
        case 5 -> at[0] += 4;
        default -> throw new IllegalStateException("unknown wire type in " + tag);
      }
    }
    return out;
  }

  private static long varint(byte[] b, int[] at) {
    long v = 0;
    for (int shift = 0; ; shift += 7) {
      byte x = b[at[0]++];
      v |= (long) (x & 0x7f) << shift;
      if (x >= 0) {
        return v;
      }
    }
  }
}
