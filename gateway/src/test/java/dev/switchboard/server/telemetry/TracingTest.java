package dev.switchboard.server.telemetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class TracingTest {

  @Test
  void tracingIsOffWithoutOtelVariables() {
    assertThat(Tracing.of(Map.of())).isNull();
    assertThat(Tracing.of(Map.of("OTEL_TRACES_EXPORTER", "none"))).isNull();
  }

  @Test
  void theOtlpExporterStartsWithoutAProtocolGiven() {
    // The SDK's own default protocol (grpc) has no sender here; HTTP is the default instead.
    try (Tracing tracing =
        Tracing.of(
            Map.of(
                "OTEL_TRACES_EXPORTER", "otlp",
                "OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:9",
                "OTEL_TRACES_SAMPLER", "always_off"))) {
      assertThat(tracing).isNotNull();
    }
  }

  @Test
  void grpcIsRefusedNamingTheVariable() {
    assertThatThrownBy(
            () ->
                Tracing.of(
                    Map.of(
                        "OTEL_TRACES_EXPORTER", "otlp",
                        "OTEL_EXPORTER_OTLP_TRACES_PROTOCOL", "grpc")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("OTEL_EXPORTER_OTLP_TRACES_PROTOCOL=grpc")
        .hasMessageContaining("http/protobuf");
  }
}
