package dev.switchboard.server.http;

import dev.switchboard.server.pipeline.AuthGate;
import dev.switchboard.server.pipeline.Services;
import dev.switchboard.server.storage.KeyKind;
import dev.switchboard.server.telemetry.Metrics;
import io.vertx.core.Vertx;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code GET /metrics}: the Prometheus exposition. On the gateway's own port it needs a management
 * key ({@code Authorization: Bearer}; Prometheus sends one with {@code authorization.credentials});
 * on a separate metrics port ({@code metrics.port}) it needs none. The scrape is built on a worker
 * thread, so a large registry never holds up an event loop.
 */
final class MetricsHandler {

  private final Vertx vertx;
  private final Services services;
  private final Metrics metrics;
  private final boolean needsKey;

  MetricsHandler(Vertx vertx, Services services, Metrics metrics, boolean needsKey) {
    this.vertx = vertx;
    this.services = services;
    this.metrics = metrics;
    this.needsKey = needsKey;
  }

  void handle(RoutingContext ctx) {
    io.vertx.core.Future<?> allowed =
        needsKey
            ? AuthGate.authenticate(
                vertx, services.authenticator(), ctx.request(), KeyKind.MANAGEMENT)
            : io.vertx.core.Future.succeededFuture();
    allowed
        .compose(ok -> vertx.executeBlocking(metrics::scrapeBytes, false))
        .onSuccess(
            bytes ->
                ctx.response()
                    .putHeader("content-type", Metrics.contentType())
                    .putHeader("cache-control", "no-store")
                    .end(io.vertx.core.buffer.Buffer.buffer(bytes)))
        .onFailure(err -> ErrorRenderer.render(ctx.response(), ErrorRenderer.from(err)));
  }
}
