package dev.switchboard.server.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.api.json.ApiJson;
import dev.switchboard.core.error.FailureClass;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.slf4j.event.KeyValuePair;

class JsonLineEncoderTest {

  final LoggerContext context = (LoggerContext) org.slf4j.LoggerFactory.getILoggerFactory();
  final JsonLineEncoder encoder = new JsonLineEncoder();

  @org.junit.jupiter.api.BeforeEach
  @org.junit.jupiter.api.AfterEach
  void noNodeId() {
    // Another test in this JVM may have started a gateway, which sets the node id.
    context.putProperty(NodeId.PROPERTY, null);
  }

  LoggingEvent event(String message, Object[] args, Throwable thrown, KeyValuePair... pairs) {
    LoggingEvent e =
        new LoggingEvent(
            "fqcn", context.getLogger("switchboard.test"), Level.INFO, message, thrown, args);
    for (KeyValuePair kv : pairs) {
      e.addKeyValuePair(kv);
    }
    return e;
  }

  JsonNode encode(LoggingEvent e) throws Exception {
    byte[] bytes = encoder.encode(e);
    String line = new String(bytes, StandardCharsets.UTF_8);
    assertThat(line).endsWith("\n").doesNotContain("\n\n");
    assertThat(line.strip()).doesNotContain("\n");
    return ApiJson.tree(line);
  }

  @Test
  void keepsTheTypesOfKeyValuesAndLeavesNullsOut() throws Exception {
    JsonNode j =
        encode(
            event(
                "storage in {} ({} rows)",
                new Object[] {"/data", 3},
                null,
                new KeyValuePair("status", 200),
                new KeyValuePair("total_ms", 1234L),
                new KeyValuePair("cost", new BigDecimal("0.00000125")),
                new KeyValuePair("ratio", 0.5),
                new KeyValuePair("stream", true),
                new KeyValuePair("failure_class", null),
                new KeyValuePair("kind", FailureClass.RATE_LIMITED),
                new KeyValuePair("providers", List.of("openai", "azure")),
                new KeyValuePair("model", "openai/gpt-5.2")));

    assertThat(j.path("message").asText()).isEqualTo("storage in /data (3 rows)");
    assertThat(j.has("arguments")).isFalse();
    assertThat(j.path("level").asText()).isEqualTo("INFO");
    assertThat(j.path("logger").asText()).isEqualTo("switchboard.test");
    assertThat(j.path("timestamp").asText())
        .matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
    assertThat(j.path("status").isInt()).isTrue();
    assertThat(j.path("total_ms").isIntegralNumber()).isTrue();
    assertThat(j.path("cost").isNumber()).isTrue();
    assertThat(j.path("cost").decimalValue()).isEqualByComparingTo("0.00000125");
    assertThat(ApiJson.string(j)).contains("\"cost\":0.00000125");
    assertThat(j.path("ratio").isNumber() && !j.path("ratio").isIntegralNumber()).isTrue();
    assertThat(j.path("stream").isBoolean()).isTrue();
    assertThat(j.has("failure_class")).isFalse();
    assertThat(j.path("kind").asText()).isEqualTo("RATE_LIMITED");
    assertThat(j.path("providers").isArray()).isTrue();
    assertThat(j.path("model").asText()).isEqualTo("openai/gpt-5.2");
  }

  @Test
  void aStackTraceIsOneFieldAndFieldNamesStayUnique() throws Exception {
    JsonNode j =
        encode(
            event(
                "failed",
                null,
                new IllegalStateException("boom\nsecond line"),
                new KeyValuePair("message", "a pair may not replace the message"),
                new KeyValuePair("attempt", 1),
                new KeyValuePair("attempt", 2)));

    assertThat(j.path("message").asText()).isEqualTo("failed");
    assertThat(j.path("attempt").asInt()).isEqualTo(1);
    assertThat(j.path("exception").asText())
        .startsWith("java.lang.IllegalStateException: boom\nsecond line")
        .contains("at dev.switchboard.server.logging.JsonLineEncoderTest");
  }

  @Test
  void textLogsLeaveNullsOutAndQuoteOnlyWhatNeedsIt() {
    LoggingEvent e =
        event(
            "GET / 200",
            null,
            null,
            new KeyValuePair("status", 200),
            new KeyValuePair("failure_class", null),
            new KeyValuePair("path", "/api/v1/models"),
            new KeyValuePair("agent", "curl 8 \"x\""),
            new KeyValuePair("cost", new BigDecimal("1E-7")));
    assertThat(new KeyValueConverter().convert(e))
        .isEqualTo("status=200 path=/api/v1/models agent=\"curl 8 \\\"x\\\"\" cost=0.0000001");
  }

  @Test
  void theNodeIdIsOnEveryLineOnceSet() throws Exception {
    NodeId.set("web-1");
    LoggingEvent e = event("ready", null, null, new KeyValuePair("port", 8080));
    assertThat(encode(e).path("node").asText()).isEqualTo("web-1");
    assertThat(new KeyValueConverter().convert(e)).isEqualTo("node=web-1 port=8080");
    assertThat(new KeyValueConverter().convert(event("plain", null, null))).isEqualTo("node=web-1");
  }
}
