package dev.switchboard.simulator;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;

/**
 * One HTTP server instance on one event loop. Several instances listen on the same port and Vert.x
 * spreads connections across them.
 */
final class SimulatorVerticle extends VerticleBase {

  private static final long BODY_LIMIT = 64L * 1024 * 1024;

  private final SimState state;
  private final int port;
  private HttpServer server;

  SimulatorVerticle(SimState state, int port) {
    this.state = state;
    this.port = port;
  }

  @Override
  public Future<?> start() {
    server =
        vertx.createHttpServer(
            new HttpServerOptions().setHost(state.config.host()).setPort(port).setTcpNoDelay(true));
    return server.requestHandler(router()).listen();
  }

  /** Gemini names the model and the method in the path: a dialect bound to them per request. */
  private io.vertx.core.Handler<io.vertx.ext.web.RoutingContext> gemini(String fixedProvider) {
    EmbeddingHandler embeddings = EmbeddingHandler.gemini(state, fixedProvider);
    return ctx -> {
      if (EmbeddingHandler.isGeminiEmbedding(ctx.pathParam("modelAction"))) {
        embeddings.handle(ctx);
        return;
      }
      new ChatHandler(
              state,
              state.gemini.at(ctx.pathParam("modelAction"), ctx.request().getParam("alt")),
              fixedProvider)
          .handle(ctx);
    };
  }

  /** The port actually bound (differs from the configured one when that is 0). */
  int actualPort() {
    return server.actualPort();
  }

  private Router router() {
    Router router = Router.router(vertx);
    router.route().handler(BodyHandler.create(false).setBodyLimit(BODY_LIMIT));
    new ControlApi(state).mount(router);
    state.search.mount(router);
    // One line per dialect; Anthropic (/v1/messages) and Gemini come as siblings.
    router
        .post("/p/:provider/v1/chat/completions")
        .handler(new ChatHandler(state, state.openAi, null));
    router.post("/v1/chat/completions").handler(new ChatHandler(state, state.openAi, "default"));
    router.post("/p/:provider/v1/embeddings").handler(EmbeddingHandler.openAi(state, null));
    router.post("/v1/embeddings").handler(EmbeddingHandler.openAi(state, "default"));
    router.post("/p/:provider/v1/messages").handler(new ChatHandler(state, state.anthropic, null));
    router.post("/v1/messages").handler(new ChatHandler(state, state.anthropic, "default"));
    for (String version : new String[] {"v1", "v1beta"}) {
      router.post("/p/:provider/" + version + "/models/:modelAction").handler(gemini(null));
      router.post("/" + version + "/models/:modelAction").handler(gemini("default"));
    }
    for (int status : new int[] {404, 405}) {
      router.errorHandler(
          status,
          ctx ->
              ChatHandler.send(
                  ctx.response(),
                  status,
                  state.openAi.notFoundBody(ctx.request().method().name(), ctx.request().path())));
    }
    router.errorHandler(
        500, ctx -> ChatHandler.send(ctx.response(), 500, state.openAi.errorBody(500)));
    return router;
  }
}
