package dev.switchboard.server.http;

import dev.switchboard.core.error.FailureClass;
import dev.switchboard.core.error.GatewayError;
import dev.switchboard.server.inbound.AnthropicMessages;
import dev.switchboard.server.inbound.EmbeddingsApi;
import dev.switchboard.server.inbound.LegacyCompletions;
import dev.switchboard.server.inbound.OpenAiChat;
import dev.switchboard.server.inbound.OpenAiResponses;
import dev.switchboard.server.pipeline.GenerationRecorder;
import dev.switchboard.server.pipeline.LimitsAdmission;
import dev.switchboard.server.pipeline.Pipeline;
import dev.switchboard.server.pipeline.Plugins;
import dev.switchboard.server.pipeline.Services;
import dev.switchboard.server.telemetry.Metrics;
import dev.switchboard.server.upstream.UpstreamClient;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One HTTP server instance on one event loop, with its own upstream client. The gateway deploys one
 * per event loop on the same port; Vert.x spreads connections across them.
 */
public final class GatewayVerticle extends VerticleBase {

  /**
   * The inference routes under {@code /api/v1} and {@code /v1}: requests, not management writes.
   */
  private static final java.util.Set<String> INFERENCE_PATHS =
      java.util.Set.of(
          "/chat/completions", "/messages", "/responses", "/completions", "/embeddings");

  /**
   * After the drain time, how long the requests then ended get to send their last bytes before the
   * server closes what is left.
   */
  public static final long ABORT_GRACE_MS = 2_000;

  private final Services services;
  private final ConnectionGuard guard;
  private final Plugins plugins;
  private final Metrics metrics;
  private UpstreamClient upstream;
  private HttpServer server;

  public GatewayVerticle(Services services, ConnectionGuard guard) {
    this(services, guard, Plugins.NONE);
  }

  /** With the process's plugins (one registry, shared by every event loop). */
  public GatewayVerticle(Services services, ConnectionGuard guard, Plugins plugins) {
    this(services, guard, plugins, null);
  }

  /**
   * @param metrics served at {@code /metrics} behind a management key; null when metrics are off or
   *     served on a port of their own ({@link MetricsServer})
   */
  public GatewayVerticle(
      Services services, ConnectionGuard guard, Plugins plugins, Metrics metrics) {
    this.services = services;
    this.guard = guard;
    this.plugins = plugins;
    this.metrics = metrics;
  }

  @Override
  public Future<?> start() {
    upstream = new UpstreamClient(vertx, services.config().upstream());
    GenerationRecorder recorder =
        new GenerationRecorder(services.storage(), services.config().log().access());
    Pipeline pipeline =
        new Pipeline(
            vertx,
            services,
            upstream,
            recorder,
            new LimitsAdmission(services.admission(), services.clock()),
            plugins,
            services.observer());
    Router router = routes(pipeline);
    HttpServerOptions options =
        new HttpServerOptions()
            .setHost(services.config().server().host())
            .setPort(services.config().server().port())
            .setTcpNoDelay(true)
            .setCompressionSupported(false)
            // HTTP/2 clients (h2c upgrade) multiplex many requests on one connection; do not
            // make them fail at the default of 100 concurrent streams.
            .setInitialSettings(
                new io.vertx.core.http.Http2Settings().setMaxConcurrentStreams(4096))
            // Vert.x's idle time-out counts a request waiting on a slow upstream as idle; the
            // ConnectionClock applies the idle, head and body time-outs instead.
            .setIdleTimeout(0);
    server = vertx.createHttpServer(options);
    return server
        .invalidRequestHandler(req -> invalid(req, options, services.config().log().access()))
        .requestHandler(
            req -> {
              ConnectionClock.track(req);
              router.handle(req);
            })
        .listen();
  }

  /**
   * A request Netty could not parse: 414 for a request line over the limit, 431 for headers over
   * it, 400 otherwise, in the error envelope, with its access-log line when the access log is on;
   * then the connection is closed, since what follows on it cannot be framed.
   */
  private static void invalid(HttpServerRequest req, HttpServerOptions options, boolean accessLog) {
    Throwable cause = req.decoderResult().cause();
    GatewayError error;
    if (cause instanceof TooLongHttpLineException) {
      error =
          GatewayError.of(
              FailureClass.INVALID_REQUEST,
              414,
              "The request line (method, URL and version) is longer than "
                  + options.getMaxInitialLineLength()
                  + " bytes");
    } else if (cause instanceof TooLongHttpHeaderException) {
      error =
          GatewayError.of(
              FailureClass.INVALID_REQUEST,
              431,
              "The request headers are larger than " + options.getMaxHeaderSize() + " bytes");
    } else {
      String detail = cause == null || cause.getMessage() == null ? "" : cause.getMessage();
      if (detail.length() > 200) {
        detail = detail.substring(0, 200) + "...";
      }
      error =
          GatewayError.of(
              FailureClass.INVALID_REQUEST,
              400,
              "Malformed HTTP request" + (detail.isEmpty() ? "" : ": " + detail));
    }
    req.response().putHeader("connection", "close");
    ErrorRenderer.render(req.response(), error);
    if (accessLog) {
      AccessLog.refused(req, req.response(), !(cause instanceof TooLongHttpLineException));
    }
    req.connection().close();
  }

  private Router routes(Pipeline pipeline) {
    Router router = Router.router(vertx);
    AllowedMethods allowed = new AllowedMethods();
    if (services.config().log().access()) {
      router.route().handler(new AccessLog()); // first, so that it sees every request
    }
    if (services.cluster().shared()) {
      // A management write that succeeded here (keys, credits, guardrails, budgets, limits) is
      // announced to the other nodes, which drop what they cached of it.
      router
          .route()
          .handler(
              ctx -> {
                HttpMethod m = ctx.request().method();
                String path = ctx.request().path();
                if (m != HttpMethod.GET
                    && m != HttpMethod.HEAD
                    && (path.startsWith("/api/v1/") || path.startsWith("/v1/"))
                    && !INFERENCE_PATHS.contains(path.substring(path.indexOf("/v1/") + 3))) {
                  ctx.addEndHandler(
                      done -> {
                        int status = ctx.response().getStatusCode();
                        if (status >= 200 && status < 300) {
                          services.cluster().changed();
                        }
                      });
                }
                ctx.next();
              });
    }
    long maxBody = services.config().server().maxBodyBytes();
    ChatRoute chat = new ChatRoute(pipeline, OpenAiChat.INSTANCE, maxBody);
    ChatRoute messages = new ChatRoute(pipeline, AnthropicMessages.INSTANCE, maxBody);
    ChatRoute responses = new ChatRoute(pipeline, OpenAiResponses.INSTANCE, maxBody);
    ChatRoute completions = new ChatRoute(pipeline, LegacyCompletions.INSTANCE, maxBody);
    ChatRoute embeddings = new ChatRoute(pipeline, EmbeddingsApi.INSTANCE, maxBody);
    CatalogHandlers catalog = new CatalogHandlers(services);
    KeysHandlers keys = new KeysHandlers(vertx, services);
    GenerationHandler generations = new GenerationHandler(vertx, services);
    HealthHandler health = new HealthHandler(vertx, services);
    PresetsHandlers presets = new PresetsHandlers(new ManagementCalls(vertx, services), services);
    for (String base : new String[] {"/api/v1", "/v1"}) {
      route(router, allowed, HttpMethod.POST, base + "/chat/completions", chat);
      route(router, allowed, HttpMethod.POST, base + "/messages", messages);
      route(router, allowed, HttpMethod.POST, base + "/responses", responses);
      route(router, allowed, HttpMethod.POST, base + "/completions", completions);
      route(router, allowed, HttpMethod.POST, base + "/embeddings", embeddings);
      route(router, allowed, HttpMethod.GET, base + "/embeddings/models", catalog::embeddingModels);
      route(router, allowed, HttpMethod.GET, base + "/models", catalog::models);
      route(
          router,
          allowed,
          HttpMethod.GET,
          base + "/models/:author/:slug/endpoints",
          catalog::endpoints);
      route(router, allowed, HttpMethod.GET, base + "/model/:author/:slug", catalog::model);
      route(router, allowed, HttpMethod.GET, base + "/providers", catalog::providers);
      route(router, allowed, HttpMethod.GET, base + "/generation", generations::get);
      route(router, allowed, HttpMethod.GET, base + "/key", keys::self);
      route(router, allowed, HttpMethod.GET, base + "/auth/key", keys::self);
      route(router, allowed, HttpMethod.POST, base + "/keys", keys::create);
      route(router, allowed, HttpMethod.GET, base + "/keys", keys::list);
      route(router, allowed, HttpMethod.GET, base + "/keys/:hash", keys::get);
      route(router, allowed, HttpMethod.PATCH, base + "/keys/:hash", keys::update);
      route(router, allowed, HttpMethod.DELETE, base + "/keys/:hash", keys::delete);
      route(router, allowed, HttpMethod.GET, base + "/routing/endpoints", health::endpoints);
      route(router, allowed, HttpMethod.GET, base + "/presets", presets::list);
      route(router, allowed, HttpMethod.POST, base + "/presets", presets::create);
      route(router, allowed, HttpMethod.GET, base + "/presets/:slug", presets::get);
      route(router, allowed, HttpMethod.GET, base + "/presets/:slug/versions", presets::versions);
      route(
          router,
          allowed,
          HttpMethod.GET,
          base + "/presets/:slug/versions/:version",
          presets::version);
      route(
          router,
          allowed,
          HttpMethod.POST,
          base + "/presets/:slug/chat/completions",
          presets::fromChat);
      MoneyRoutes.mount(
          (method, path, h) -> route(router, allowed, method, path, h), base, vertx, services);
      if (services.config().dashboard().enabled()) {
        DashboardRoutes.mountApi(
            (method, path, h) -> route(router, allowed, method, path, h), base, vertx, services);
      }
    }
    if (services.config().dashboard().enabled()) {
      DashboardRoutes.mountPage(
          (method, path, h) -> route(router, allowed, method, path, h), vertx, services);
    }
    if (metrics != null) {
      route(
          router,
          allowed,
          HttpMethod.GET,
          "/metrics",
          new MetricsHandler(vertx, services, metrics, true)::handle);
    }
    route(
        router,
        allowed,
        HttpMethod.GET,
        "/health/live",
        ctx -> Responses.json(ctx.response(), 200, Map.of("status", "ok")));
    // Not ready once a shutdown has begun, so that load balancers stop sending new requests, nor
    // while the database cannot be reached or the backlog of records is full (storage.backlog).
    route(router, allowed, HttpMethod.GET, "/health/ready", this::ready);
    router.errorHandler(
        404,
        ctx ->
            ErrorRenderer.render(
                ctx.response(),
                GatewayError.of(
                    FailureClass.NOT_FOUND,
                    404,
                    "No route for " + ctx.request().method() + " " + ctx.request().path())));
    router.errorHandler(
        405,
        ctx -> {
          String allow = String.join(", ", allowed.of(ctx.request().path()));
          ctx.response().putHeader("allow", allow);
          ErrorRenderer.render(
              ctx.response(),
              GatewayError.of(
                  FailureClass.INVALID_REQUEST,
                  405,
                  "Method "
                      + ctx.request().method()
                      + " is not allowed on "
                      + ctx.request().path()
                      + "; allowed: "
                      + allow));
        });
    router.errorHandler(
        500, ctx -> ErrorRenderer.render(ctx.response(), ErrorRenderer.from(ctx.failure())));
    return router;
  }

  private static void route(
      Router router,
      AllowedMethods allowed,
      HttpMethod method,
      String path,
      Handler<RoutingContext> handler) {
    router.route(method, path).handler(handler);
    allowed.add(method, path);
  }

  /**
   * Stops accepting, closes idle connections and lets requests in flight finish within the drain
   * time (the gateway ends those still going at its end), then closes what is left.
   */
  @Override
  public Future<?> stop() {
    long drainMs = services.config().server().drainTimeoutMs();
    Future<Void> closed =
        server == null
            ? Future.succeededFuture()
            : server.shutdown(drainMs + ABORT_GRACE_MS, TimeUnit.MILLISECONDS);
    return closed.compose(v -> oneMoreTurn()).onComplete(v -> upstream.close());
  }

  /**
   * {@code GET /health/ready}: 200 {@code {"status":"ready","node":…}}, or 503 with {@code
   * "draining"} during a shutdown, or {@code "unavailable"} and the storage's reason (PostgreSQL
   * unreachable, the backlog full). The storage's state is read from memory, never from the
   * database, so the probe never blocks the event loop.
   */
  private void ready(io.vertx.ext.web.RoutingContext ctx) {
    var storage = services.storage().health();
    String status = !guard.ready() ? "draining" : !storage.ready() ? "unavailable" : "ready";
    Map<String, Object> body = new java.util.LinkedHashMap<>();
    body.put("status", status);
    body.put("node", services.config().node().id());
    if (storage.reason() != null) {
      body.put("reason", "storage: " + storage.reason());
    }
    if (storage.backlog() > 0) {
      body.put("storage_backlog", storage.backlog());
    }
    // In a cluster, whether this node reaches Redis; it stays ready without it, because requests
    // that no limit applies to are still served (docs/operations.md).
    String redis = services.cluster().redisState();
    if (redis != null) {
      body.put("redis", redis);
    }
    Responses.json(ctx.response(), status.equals("ready") ? 200 : 503, body);
  }

  /**
   * Completes after the tasks already queued on this event loop. A request that ends as the server
   * closes records its generation in the same task that ended its response, which may be the task
   * that closed the last connection; waiting one turn lets that record reach storage before the
   * gateway closes it.
   */
  private Future<Void> oneMoreTurn() {
    io.vertx.core.Promise<Void> turned = io.vertx.core.Promise.promise();
    context.runOnContext(x -> turned.complete());
    return turned.future();
  }
}
