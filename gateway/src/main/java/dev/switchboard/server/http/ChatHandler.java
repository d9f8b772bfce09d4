package dev.switchboard.server.http;

import dev.switchboard.core.error.FailureClass;
import dev.switchboard.core.error.GatewayError;
import dev.switchboard.core.model.LlmRequest;
import dev.switchboard.core.openai.OpenAiChatCodec;
import dev.switchboard.server.routing.RoutePlan;
import dev.switchboard.server.routing.RoutePlanner;
import dev.switchboard.server.storage.KeyKind;
import dev.switchboard.server.upstream.UpstreamClient;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code POST /chat/completions}: read and check the body, authenticate, decode into the canonical
 * request, plan the candidates, then hand over to {@link CompletionCall} or {@link StreamRelay}.
 * Runs on the event loop; nothing here blocks.
 */
final class ChatHandler implements Handler<RoutingContext> {

  private final Vertx vertx;
  private final Services services;
  private final UpstreamClient upstream;
  private final GenerationRecorder recorder;

  ChatHandler(
      Vertx vertx, Services services, UpstreamClient upstream, GenerationRecorder recorder) {
    this.vertx = vertx;
    this.services = services;
    this.upstream = upstream;
    this.recorder = recorder;
  }

  @Override
  public void handle(RoutingContext ctx) {
    long start = System.nanoTime();
    HttpServerRequest http = ctx.request();
    if (!BodyReader.isJson(http.getHeader("content-type"))) {
      ErrorRenderer.render(
          ctx.response(),
          GatewayError.of(
              FailureClass.UNSUPPORTED_MEDIA_TYPE,
              415,
              "Content-Type must be application/json, was " + http.getHeader("content-type")));
      return;
    }
    if (http.getHeader("authorization") == null) {
      ErrorRenderer.render(ctx.response(), dev.switchboard.server.auth.Authenticator.missing());
      return;
    }
    BodyReader.read(http, services.config().server().maxBodyBytes())
        .compose(
            body ->
                AuthGate.authenticate(vertx, services.authenticator(), http, KeyKind.INFERENCE)
                    .map(key -> start(start, ctx, key, body)))
        .onFailure(err -> fail(ctx, err));
  }

  private Void start(
      long start, RoutingContext ctx, dev.switchboard.server.storage.ApiKey key, Buffer body) {
    try {
      LlmRequest request = OpenAiChatCodec.toCanonical(body.getBytes());
      var routing = services.config().routing();
      RoutePlan plan =
          services
              .planner()
              .plan(
                  request,
                  new RoutePlanner.Context(
                      key.hash(),
                      ctx.request().getHeader("x-session-id"),
                      routing.hedge(),
                      routing.hedgeDelayMs()));
      Exchange exchange =
          new Exchange(
              start,
              services.clock().instant().getEpochSecond(),
              key,
              request,
              plan,
              ctx.request());
      if (request.stream()) {
        StreamRelay relay =
            new StreamRelay(vertx, services, upstream, recorder, exchange, ctx.response());
        ConnectionClock.onDrain(ctx.request(), relay::abort);
        relay.start();
      } else {
        CompletionCall call =
            new CompletionCall(vertx, services, upstream, recorder, exchange, ctx.response());
        ConnectionClock.onDrain(ctx.request(), call::abort);
        call.start();
      }
    } catch (RuntimeException e) {
      fail(ctx, e);
    }
    return null;
  }

  private static void fail(RoutingContext ctx, Throwable err) {
    ErrorRenderer.render(ctx.response(), ErrorRenderer.from(err));
  }
}
