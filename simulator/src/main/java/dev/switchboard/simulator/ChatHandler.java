package dev.switchboard.simulator;

import dev.switchboard.simulator.behavior.Plan;
import dev.switchboard.simulator.behavior.Prompt;
import dev.switchboard.simulator.dialect.Dialect;
import dev.switchboard.simulator.dialect.DialectException;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Serves one dialect's completion endpoint for any provider: records the request, picks the fault
 * (the {@code x-sim-fault} header, else the provider's script), plans the reply and sends it with
 * the provider's timing. Runs on the event loop and never blocks it.
 */
final class ChatHandler implements Handler<RoutingContext> {

  static final String FAULT_HEADER = "x-sim-fault";
  static final String TTFT_HEADER = "x-sim-ttft-ms";
  static final String TPS_HEADER = "x-sim-tps";
  private static final String JSON = "application/json";
  private static final byte[] EMPTY = new byte[0];

  private final SimState state;
  private final Dialect dialect;
  private final String fixedProvider;

  /** {@code fixedProvider} null means the provider is the {@code :provider} path parameter. */
  ChatHandler(SimState state, Dialect dialect, String fixedProvider) {
    this.state = state;
    this.dialect = dialect;
    this.fixedProvider = fixedProvider;
  }

  @Override
  public void handle(RoutingContext ctx) {
    HttpServerRequest request = ctx.request();
    HttpServerResponse response = ctx.response();
    String name = fixedProvider != null ? fixedProvider : ctx.pathParam("provider");
    ProviderState provider = state.provider(name);
    provider.countRequest();
    Buffer buffer = ctx.body().buffer();
    byte[] body = buffer == null ? EMPTY : buffer.getBytes();
    if (state.config.recordedRequests() > 0) {
      provider.record(record(name, request, body));
    }
    Prompt prompt;
    Fault fault;
    Latency latency;
    try {
      prompt = dialect.parse(body);
      latency = latency(request, name);
      String header = request.getHeader(FAULT_HEADER);
      fault = header != null ? parseHeaderFault(header) : provider.takeFault();
    } catch (DialectException e) {
      send(response, e.status(), dialect.badRequestBody(e));
      return;
    }
    if (fault != null) {
      provider.countFault();
    }
    switch (fault) {
      case Fault.Status s -> {
        s.headers().forEach(response::putHeader);
        send(response, s.status(), s.body() != null ? s.body() : dialect.errorBody(s.status()));
      }
      case Fault.Timeout t -> {
        if (t.delayMs() > 0) {
          StreamPlayback.after(
              vertx(ctx), response, t.delayMs(), () -> reply(ctx, prompt, null, latency));
        }
        // delay 0: accept the request and never answer.
      }
      case null, default -> reply(ctx, prompt, fault, latency);
    }
  }

  private void reply(RoutingContext ctx, Prompt prompt, Fault fault, Latency latency) {
    Plan plan = state.planner.plan(prompt);
    if (fault instanceof Fault.BadToolCalls bad) {
      plan = BrokenToolCalls.apply(plan, bad.defect());
      fault = null;
    }
    Dialect.Response reply = dialect.respond(prompt, plan);
    HttpServerResponse response = ctx.response();
    if (prompt.stream()) {
      StreamPlayback.play(vertx(ctx), response, dialect.streamContentType(), reply, fault, latency);
      return;
    }
    long delay = latency.ttftMs() + latency.streamMillis(plan.completionTokens());
    switch (fault) {
      case Fault.Cut c -> response.reset();
      case Fault.Malformed m ->
          StreamPlayback.after(
              vertx(ctx), response, delay, () -> send(response, 200, reply.malformedJson()));
      case Fault.ErrorEvent e ->
          StreamPlayback.after(
              vertx(ctx), response, delay, () -> send(response, 200, reply.errorJson(e.body())));
      case Fault.Partial p ->
          StreamPlayback.after(
              vertx(ctx),
              response,
              delay,
              () -> send(response, 200, reply.partialJson(p.afterChunks())));
      case null, default ->
          StreamPlayback.after(
              vertx(ctx), response, delay, () -> send(response, 200, reply.json()));
    }
  }

  private Latency latency(HttpServerRequest request, String provider) throws DialectException {
    Latency base = state.latency(provider);
    String ttft = request.getHeader(TTFT_HEADER);
    String tps = request.getHeader(TPS_HEADER);
    if (ttft == null && tps == null) {
      return base;
    }
    try {
      return Latency.of(
          ttft == null ? base.ttftMs() : Long.parseLong(ttft.trim()),
          tps == null ? base.tokensPerSecond() : Double.parseDouble(tps.trim()));
    } catch (IllegalArgumentException e) {
      throw new DialectException(
          400,
          "invalid " + TTFT_HEADER + " or " + TPS_HEADER + " header: " + e.getMessage(),
          null,
          null);
    }
  }

  private static Fault parseHeaderFault(String header) throws DialectException {
    try {
      return FaultJson.parse(header);
    } catch (IllegalArgumentException e) {
      throw new DialectException(
          400, "invalid " + FAULT_HEADER + " header: " + e.getMessage(), null, null);
    }
  }

  private static RecordedRequest record(String provider, HttpServerRequest request, byte[] body) {
    Map<String, String> headers = new LinkedHashMap<>();
    for (Map.Entry<String, String> h : request.headers()) {
      headers.merge(h.getKey().toLowerCase(Locale.ROOT), h.getValue(), (a, b) -> a + ", " + b);
    }
    return new RecordedRequest(
        provider,
        request.method().name(),
        request.uri(),
        headers,
        new String(body, StandardCharsets.UTF_8),
        Instant.now(),
        RecordedRequest.versionOf(request.version()));
  }

  static void send(HttpServerResponse response, int status, String body) {
    if (response.closed() || response.ended()) {
      return;
    }
    response.setStatusCode(status).putHeader("content-type", JSON).end(body);
  }

  private static Vertx vertx(RoutingContext ctx) {
    return ctx.vertx();
  }
}
