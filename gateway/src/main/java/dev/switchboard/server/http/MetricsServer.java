package dev.switchboard.server.http;

import dev.switchboard.core.error.FailureClass;
import dev.switchboard.core.error.GatewayError;
import dev.switchboard.server.pipeline.Services;
import dev.switchboard.server.telemetry.Metrics;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;

/**
 * The separate metrics listener ({@code metrics.port}): {@code GET /metrics} without a key, nothing
 * else. Keep it on an address only the scraper reaches (the default host is 127.0.0.1).
 */
public final class MetricsServer {

  private MetricsServer() {}

  /** Listens on {@code host:port} (0: any free port); the future gives the server. */
  public static Future<HttpServer> start(
      Vertx vertx, Services services, Metrics metrics, String host, int port) {
    Router router = Router.router(vertx);
    router
        .route(HttpMethod.GET, "/metrics")
        .handler(new MetricsHandler(vertx, services, metrics, false)::handle);
    router
        .route()
        .handler(
            ctx ->
                ErrorRenderer.render(
                    ctx.response(),
                    GatewayError.of(
                        FailureClass.NOT_FOUND,
                        404,
                        "No route for "
                            + ctx.request().method()
                            + " "
                            + ctx.request().path()
                            + "; this port serves GET /metrics only")));
    return vertx
        .createHttpServer(new HttpServerOptions().setHost(host).setPort(port))
        .requestHandler(router)
        .listen();
  }
}
