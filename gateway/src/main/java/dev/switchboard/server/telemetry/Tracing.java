package dev.switchboard.server.telemetry;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * OpenTelemetry tracing, built by the SDK's autoconfiguration from the standard {@code OTEL_*}
 * variables. Off unless they ask for an exporter ({@code OTEL_TRACES_EXPORTER} other than {@code
 * none}, or an OTLP endpoint); {@code OTEL_SDK_DISABLED=true} keeps it off. Only traces are
 * exported: metrics go to Prometheus, logs to the log.
 */
final class Tracing implements AutoCloseable {

  private static final TextMapGetter<Function<String, String>> HEADERS =
      new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Function<String, String> carrier) {
          return List.of("traceparent", "tracestate");
        }

        @Override
        public String get(Function<String, String> carrier, String key) {
          return carrier == null ? null : carrier.apply(key);
        }
      };

  private final OpenTelemetrySdk sdk;
  private static final String HTTP_PROTOBUF = "http/protobuf";

  private final Tracer tracer;

  private Tracing(OpenTelemetrySdk sdk) {
    this.sdk = sdk;
    this.tracer = sdk.getTracer("dev.switchboard.gateway");
  }

  /** Whether {@code otel} (the {@code OTEL_*} variables) turns tracing on. */
  static boolean wanted(Map<String, String> otel) {
    if ("true".equalsIgnoreCase(otel.get("OTEL_SDK_DISABLED"))) {
      return false;
    }
    String exporter = otel.get("OTEL_TRACES_EXPORTER");
    if (exporter != null) {
      return !exporter.isBlank() && !"none".equalsIgnoreCase(exporter.trim());
    }
    return otel.containsKey("OTEL_EXPORTER_OTLP_ENDPOINT")
        || otel.containsKey("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT");
  }

  /** Tracing as {@code otel} configures it, or null when it is off. */
  static Tracing of(Map<String, String> otel) {
    if (!wanted(otel)) {
      return null;
    }
    Map<String, String> properties = new HashMap<>();
    properties.put("otel.metrics.exporter", "none");
    properties.put("otel.logs.exporter", "none");
    properties.put("otel.service.name", "switchboard");
    otel.forEach((k, v) -> properties.put(k.toLowerCase(Locale.ROOT).replace('_', '.'), v));
    // The exporter sends over the JDK's HTTP client, which speaks OTLP over HTTP only: that is the
    // default here (the SDK's own default, grpc, would fail at start for want of a gRPC sender),
    // and grpc asked for by name is refused with the variable that asks for it.
    properties.putIfAbsent("otel.exporter.otlp.protocol", HTTP_PROTOBUF);
    for (String name :
        List.of("OTEL_EXPORTER_OTLP_PROTOCOL", "OTEL_EXPORTER_OTLP_TRACES_PROTOCOL")) {
      String protocol = otel.get(name);
      if (protocol != null && !protocol.isBlank() && !protocol.trim().startsWith("http/")) {
        throw new IllegalArgumentException(
            name
                + "="
                + protocol
                + ": this gateway exports OTLP over HTTP only; use http/protobuf (the default,"
                + " port 4318) or http/json");
      }
    }
    OpenTelemetrySdk sdk =
        AutoConfiguredOpenTelemetrySdk.builder()
            .addPropertiesSupplier(() -> properties)
            .disableShutdownHook()
            .build()
            .getOpenTelemetrySdk();
    return new Tracing(sdk);
  }

  /** The request's span, a child of the incoming {@code traceparent} when there is one. */
  Span start(Function<String, String> headers) {
    Context parent =
        W3CTraceContextPropagator.getInstance().extract(Context.root(), headers, HEADERS);
    return tracer.spanBuilder("chat").setParent(parent).setSpanKind(SpanKind.SERVER).startSpan();
  }

  /** A child span of {@code parent} that started and ended at the given epoch nanoseconds. */
  Span child(Span parent, String name, long startEpochNanos) {
    return tracer
        .spanBuilder(name)
        .setParent(Context.root().with(parent))
        .setSpanKind(SpanKind.CLIENT)
        .setStartTimestamp(startEpochNanos, TimeUnit.NANOSECONDS)
        .startSpan();
  }

  @Override
  public void close() {
    sdk.shutdown().join(10, TimeUnit.SECONDS);
  }
}
