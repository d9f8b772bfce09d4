package dev.switchboard.server.http;

import dev.switchboard.core.error.FailureClass;
import dev.switchboard.core.error.GatewayError;
import dev.switchboard.server.upstream.UpstreamClient;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import java.util.Map;

/**
 * One HTTP server instance on one event loop, with its own upstream client. The gateway deploys one
 * per event loop on the same port; Vert.x spreads connections across them.
 */
public final class GatewayVerticle extends VerticleBase {

  private final Services services;
  private UpstreamClient upstream;
  private HttpServer server;

  public GatewayVerticle(Services services) {
    this.services = services;
  }

  @Override
  public Future<?> start() {
    upstream = new UpstreamClient(vertx, services.config().upstream());
    GenerationRecorder recorder =
        new GenerationRecorder(
            services.storage(), services.clock(), services.config().log().access());
    Router router = routes(recorder);
    server =
        vertx.createHttpServer(
            new HttpServerOptions()
                .setHost(services.config().server().host())
                .setPort(services.config().server().port())
                .setTcpNoDelay(true)
                .setCompressionSupported(false)
                // HTTP/2 clients (h2c upgrade) multiplex many requests on one connection; do not
                // make them fail at the default of 100 concurrent streams.
                .setInitialSettings(
                    new io.vertx.core.http.Http2Settings().setMaxConcurrentStreams(4096))
                .setIdleTimeout(0));
    return server.requestHandler(router).listen();
  }

  private Router routes(GenerationRecorder recorder) {
    Router router = Router.router(vertx);
    if (services.config().log().access()) {
      router.route().handler(new AccessLog()); // first, so that it sees every request
    }
    ChatHandler chat = new ChatHandler(vertx, services, upstream, recorder);
    CatalogHandlers catalog = new CatalogHandlers(services);
    KeysHandlers keys = new KeysHandlers(vertx, services);
    GenerationHandler generations = new GenerationHandler(vertx, services);
    HealthHandler health = new HealthHandler(vertx, services);
    for (String base : new String[] {"/api/v1", "/v1"}) {
      router.post(base + "/chat/completions").handler(chat);
      router.get(base + "/models").handler(catalog::models);
      router.get(base + "/models/:author/:slug/endpoints").handler(catalog::endpoints);
      router.get(base + "/model/:author/:slug").handler(catalog::model);
      router.get(base + "/providers").handler(catalog::providers);
      router.get(base + "/generation").handler(generations::get);
      router.get(base + "/key").handler(keys::self);
      router.get(base + "/auth/key").handler(keys::self);
      router.post(base + "/keys").handler(keys::create);
      router.get(base + "/keys").handler(keys::list);
      router.get(base + "/keys/:hash").handler(keys::get);
      router.patch(base + "/keys/:hash").handler(keys::update);
      router.delete(base + "/keys/:hash").handler(keys::delete);
      router.get(base + "/routing/endpoints").handler(health::endpoints);
    }
    router
        .get("/health/live")
        .handler(ctx -> Responses.json(ctx.response(), 200, Map.of("status", "ok")));
    router
        .get("/health/ready")
        .handler(ctx -> Responses.json(ctx.response(), 200, Map.of("status", "ready")));
    router
        .route()
        .last()
        .handler(
            ctx ->
                ErrorRenderer.render(
                    ctx.response(),
                    GatewayError.of(
                        FailureClass.NOT_FOUND,
                        404,
                        "No route for " + ctx.request().method() + " " + ctx.request().path())));
    router.errorHandler(
        405,
        ctx ->
            ErrorRenderer.render(
                ctx.response(),
                GatewayError.of(
                    FailureClass.INVALID_REQUEST,
                    405,
                    "Method "
                        + ctx.request().method()
                        + " is not allowed on "
                        + ctx.request().path())));
    router.errorHandler(
        500, ctx -> ErrorRenderer.render(ctx.response(), ErrorRenderer.from(ctx.failure())));
    return router;
  }

  @Override
  public Future<?> stop() {
    Future<Void> closed = server == null ? Future.succeededFuture() : server.close();
    return closed.onComplete(v -> upstream.close());
  }
}
