package dev.switchboard.server.telemetry;

import dev.switchboard.core.error.GatewayError;
import dev.switchboard.core.model.Usage;
import dev.switchboard.server.catalog.Catalog;
import dev.switchboard.server.config.ObservabilityConfig;
import dev.switchboard.server.pipeline.Bill;
import dev.switchboard.server.pipeline.Ending;
import dev.switchboard.server.pipeline.Exchange;
import dev.switchboard.server.pipeline.Observer;
import dev.switchboard.server.routing.Attempt;
import dev.switchboard.server.stats.LiveStats;
import dev.switchboard.server.storage.Usd;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Metrics and traces of every inference request, as the pipeline's {@link Observer}: when a request
 * opens, the in-flight gauge and (with tracing on) the request's span, a child of the incoming
 * {@code traceparent}; when it finishes, the request's meters and its span's GenAI attributes, and
 * one child span per attempt, built from the attempt's own times. Either part can be off: metrics
 * with {@code metrics.enabled: false}, traces unless the {@code OTEL_*} variables ask for them;
 * when tracing is off no OpenTelemetry code runs on the request path.
 */
public final class Telemetry implements Observer, AutoCloseable {

  static final AttributeKey<String> OPERATION = AttributeKey.stringKey("gen_ai.operation.name");
  static final AttributeKey<String> REQUEST_MODEL = AttributeKey.stringKey("gen_ai.request.model");
  static final AttributeKey<String> RESPONSE_MODEL =
      AttributeKey.stringKey("gen_ai.response.model");
  static final AttributeKey<String> PROVIDER = AttributeKey.stringKey("gen_ai.provider.name");
  static final AttributeKey<String> SYSTEM = AttributeKey.stringKey("gen_ai.system");
  static final AttributeKey<Long> INPUT_TOKENS = AttributeKey.longKey("gen_ai.usage.input_tokens");
  static final AttributeKey<Long> OUTPUT_TOKENS =
      AttributeKey.longKey("gen_ai.usage.output_tokens");
  static final AttributeKey<String> RESPONSE_ID = AttributeKey.stringKey("gen_ai.response.id");
  static final AttributeKey<Long> MAX_TOKENS = AttributeKey.longKey("gen_ai.request.max_tokens");
  static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");
  static final AttributeKey<Long> STATUS = AttributeKey.longKey("http.response.status_code");
  static final AttributeKey<String> ATTEMPT_STATE =
      AttributeKey.stringKey("switchboard.attempt.state");
  static final AttributeKey<Boolean> STREAMED = AttributeKey.booleanKey("switchboard.streamed");

  private static final Function<String, String> NO_HEADERS = name -> null;

  private final Catalog catalog;
  private final Metrics metrics;
  private final Tracing tracing;

  Telemetry(Catalog catalog, Metrics metrics, Tracing tracing) {
    this.catalog = catalog;
    this.metrics = metrics;
    this.tracing = tracing;
  }

  /** Metrics and traces as configured. */
  public static Telemetry of(ObservabilityConfig config, Catalog catalog, LiveStats stats) {
    Metrics metrics = config.metrics().enabled() ? new Metrics(catalog, stats) : null;
    return new Telemetry(catalog, metrics, Tracing.of(config.otel()));
  }

  /** The metrics, or null when they are off. */
  public Metrics metrics() {
    return metrics;
  }

  /** Whether traces are exported. */
  public boolean tracing() {
    return tracing != null;
  }

  @Override
  public void opened(Exchange ex) {
    Span span = opened(tracing != null ? ex::header : NO_HEADERS); // no lambda made without traces
    if (span != null) {
      ex.observation(span);
      ex.traceId(span.getSpanContext().getTraceId());
    }
  }

  /**
   * What {@link #opened(Exchange)} does, from the request's headers: the in-flight gauge, and with
   * tracing on the request's span (returned; null when tracing is off). bench's TelemetryCost times
   * this and the value form of {@link #finished(Exchange)} as the request path calls them.
   */
  Span opened(Function<String, String> headers) {
    if (metrics != null) {
      metrics.opened();
    }
    return tracing != null ? tracing.start(headers) : null;
  }

  @Override
  public void streamStarted(Exchange ex) {
    if (metrics != null) {
      metrics.streamOpened();
    }
  }

  @Override
  public void finished(Exchange ex) {
    Span span = ex.observation() instanceof Span s ? s : null;
    if (metrics == null && span == null) {
      return;
    }
    Ending ending = ex.ending();
    Attempt served = served(ending);
    String model = served != null ? served.model() : requestedModel(ex);
    String provider = served != null ? served.providerSlug() : "none";
    int status = status(ending);
    Bill bill = ex.bill();
    Usage usage = bill.usage();
    long now = System.nanoTime();
    if (span != null && span.isRecording()) {
      trace(ex, span, ending, served, model, provider, status, usage, now);
      span = null; // ended there
    }
    long first = ex.streamed() ? ex.firstOutputNanos() : 0;
    finished(
        span,
        ex.dialect().name(),
        model,
        provider,
        status,
        now - ex.startNanos(),
        first == 0 ? 0 : first - ex.startNanos(),
        usage.promptTokens(),
        usage.completionTokens(),
        metrics != null ? Usd.toNanos(bill.cost().total()) : 0,
        ex.attempts(),
        ex.streamOpened());
  }

  /**
   * The rest of {@link #finished(Exchange)}, from plain values: the request's meters (cached per
   * label combination, nothing allocated on the common path) and the end of a span that is not
   * sampled ({@code unsampled}, or null).
   */
  void finished(
      Span unsampled,
      String api,
      String model,
      String provider,
      int status,
      long durationNanos,
      long timeToFirstTokenNanos,
      long promptTokens,
      long completionTokens,
      long costNanos,
      List<Attempt> attempts,
      boolean streamOpened) {
    if (metrics != null) {
      metrics.finished(
          api,
          model,
          provider,
          status,
          durationNanos,
          timeToFirstTokenNanos,
          promptTokens,
          completionTokens,
          costNanos);
      for (int i = 0, n = attempts.size(); i < n; i++) {
        Attempt a = attempts.get(i);
        if (a.failure() != null) {
          metrics.upstreamFailure(a.providerSlug(), a.failure());
        }
      }
      if (streamOpened) {
        metrics.streamClosed();
      }
    }
    if (unsampled != null) {
      unsampled.end(); // not sampled: nothing to fill in
    }
  }

  private void trace(
      Exchange ex,
      Span span,
      Ending ending,
      Attempt served,
      String model,
      String provider,
      int status,
      Usage usage,
      long nowNanos) {
    // Attempts carry System.nanoTime() stamps; spans want epoch time.
    long epochOffset = TimeUnit.MILLISECONDS.toNanos(System.currentTimeMillis()) - nowNanos;
    String requested = ex.request() == null ? null : ex.request().model();
    span.updateName(requested == null ? "chat" : "chat " + requested);
    span.setAttribute(OPERATION, "chat");
    if (requested != null) {
      span.setAttribute(REQUEST_MODEL, requested);
      Integer max = ex.request().sampling() == null ? null : ex.request().sampling().maxTokens();
      if (max != null) {
        span.setAttribute(MAX_TOKENS, max.longValue());
      }
    }
    span.setAttribute(STATUS, (long) status);
    span.setAttribute(STREAMED, ex.streamed());
    if (served != null) {
      span.setAttribute(RESPONSE_MODEL, model);
      span.setAttribute(PROVIDER, provider);
      span.setAttribute(SYSTEM, provider);
    }
    if (ex.generationStarted()) {
      span.setAttribute(RESPONSE_ID, ex.generationId());
      span.setAttribute(INPUT_TOKENS, usage.promptTokens());
      span.setAttribute(OUTPUT_TOKENS, usage.completionTokens());
    }
    GatewayError error = error(ending);
    if (error != null) {
      span.setAttribute(ERROR_TYPE, error.kind().name().toLowerCase(Locale.ROOT));
      span.setStatus(StatusCode.ERROR, error.message());
    }
    List<Attempt> attempts = ex.attempts();
    for (Attempt a : attempts) {
      long start = a.startNanos() + epochOffset;
      Span child = tracing.child(span, "chat " + a.candidate().endpoint().upstreamModel(), start);
      child.setAttribute(OPERATION, "chat");
      child.setAttribute(REQUEST_MODEL, a.candidate().endpoint().upstreamModel());
      child.setAttribute(PROVIDER, a.providerSlug());
      child.setAttribute(SYSTEM, a.providerSlug());
      child.setAttribute(ATTEMPT_STATE, a.state().name().toLowerCase(Locale.ROOT));
      if (a.status() != null) {
        child.setAttribute(STATUS, a.status().longValue());
      }
      if (a == served && ex.generationStarted()) {
        child.setAttribute(RESPONSE_MODEL, a.candidate().endpoint().upstreamModel());
        child.setAttribute(INPUT_TOKENS, usage.promptTokens());
        child.setAttribute(OUTPUT_TOKENS, usage.completionTokens());
      }
      if (a.failure() != null) {
        child.setAttribute(ERROR_TYPE, a.failure().name().toLowerCase(Locale.ROOT));
        child.setStatus(StatusCode.ERROR);
      }
      long end =
          a.live() ? nowNanos + epochOffset : start + TimeUnit.MILLISECONDS.toNanos(a.latencyMs());
      child.end(end, TimeUnit.NANOSECONDS);
    }
    span.end();
  }

  private String requestedModel(Exchange ex) {
    String id = ex.request() == null ? null : ex.request().model();
    if (id == null) {
      return "none";
    }
    // Only catalog models become label values: a typo must not make a new time series.
    return catalog.model(id).isPresent() ? id : "other";
  }

  private static Attempt served(Ending ending) {
    return switch (ending) {
      case Ending.Answered a -> a.served();
      case Ending.Failed f -> f.served();
      case Ending.ClientGone g -> g.served();
      case null, default -> null;
    };
  }

  private static GatewayError error(Ending ending) {
    return switch (ending) {
      case Ending.Failed f -> f.error();
      case Ending.Refused r -> r.error();
      case null, default -> null;
    };
  }

  /** The status the client was given (499 when it left first). */
  static int status(Ending ending) {
    return switch (ending) {
      case Ending.Answered a -> 200;
      case Ending.Failed f -> f.served() != null ? 200 : f.error().httpStatus();
      case Ending.ClientGone g -> 499;
      case Ending.Refused r -> r.error().httpStatus();
      case null -> 500;
    };
  }

  @Override
  public void close() {
    if (tracing != null) {
      tracing.close();
    }
    if (metrics != null) {
      metrics.close();
    }
  }
}
