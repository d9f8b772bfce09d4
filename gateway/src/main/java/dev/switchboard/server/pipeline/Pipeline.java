package dev.switchboard.server.pipeline;

import dev.switchboard.core.error.GatewayError;
import dev.switchboard.core.error.GatewayException;
import dev.switchboard.core.model.LlmResponse;
import dev.switchboard.server.inbound.ErrorEnvelope;
import dev.switchboard.server.inbound.InboundDialect;
import dev.switchboard.server.routing.Scheduler;
import dev.switchboard.server.upstream.UpstreamClient;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * The life of one inference request, in order. Each stage is a small class with one job; this file
 * is the only place that knows their order:
 *
 * <ol>
 *   <li><b>authenticate</b> ({@link Authenticate}): the key the inbound dialect finds must be a
 *       live inference key.
 *   <li><b>decode</b> ({@link Decode}): the inbound dialect reads the body into the canonical
 *       request.
 *   <li><b>admit</b> ({@link Admission}): limits and credit; refuses, or holds a {@link
 *       Reservation}.
 *   <li><b>before-model plugins</b> ({@link Plugins#beforeModel}).
 *   <li><b>plan</b> ({@link Plan}): the ordered candidates.
 *   <li><b>attempts</b> ({@link AttemptStage}): the attempt loop over the candidates.
 *   <li><b>after-model plugins</b> ({@link Plugins#afterModel}).
 *   <li><b>settle</b> ({@link Settle}): meter, record, charge, release the reservation.
 *   <li><b>inbound encode</b> ({@link Respond}): the dialect writes the answer or the error.
 * </ol>
 *
 * <p>A streamed answer passes stages 7 and 9 event by event while stage 6 runs ({@link
 * StreamReply}); its end passes 7 to 9 like a whole answer. A request refused at any stage before 6
 * (or before its body was read: a wrong content type, a missing key, a body over the limit) goes
 * straight to 8, which releases what admission held, and 9, which writes the error. Everything runs
 * on the request's event loop; a stage that waits (a key lookup, an admission or plugin that
 * completes later) resumes there.
 */
public final class Pipeline {

  private final Vertx vertx;
  private final Services services;
  private final Scheduler scheduler;
  private final Admission admission;
  private final Plugins plugins;

  private final Authenticate authenticate;
  private final Decode decode;
  private final Plan plan;
  private final AttemptStage attempts;
  private final Settle settle;
  private final Respond respond = new Respond();

  public Pipeline(
      Vertx vertx,
      Services services,
      UpstreamClient upstream,
      GenerationRecorder recorder,
      Admission admission,
      Plugins plugins) {
    this.vertx = vertx;
    this.services = services;
    this.scheduler = new VertxScheduler(vertx);
    this.admission = admission;
    this.plugins = plugins;
    this.authenticate = new Authenticate(vertx, services.authenticator());
    this.decode = new Decode(services.config().routing().requestTimeoutMs());
    this.plan = new Plan(services.planner(), services.config().routing());
    this.attempts = new AttemptStage(vertx, services, upstream, scheduler, plugins);
    this.settle = new Settle(recorder, services.sticky());
  }

  /** A new exchange for a request that has just arrived. */
  public Exchange open(
      long startNanos,
      InboundDialect dialect,
      Function<String, String> headers,
      ClientChannel client) {
    return new Exchange(
        startNanos, services.clock().instant().getEpochSecond(), dialect, headers, client);
  }

  /** Runs a request whose body has been read. */
  public void run(Exchange ex, byte[] body) {
    ex.body(body);
    Context loop = vertx.getOrCreateContext();
    authenticate
        .run(ex) // ................................................... 1 authenticate
        .map(ok -> step(() -> decode.run(ex))) // ..................... 2 decode
        .compose(ok -> onLoop(loop, plugins.beforeAdmission(ex))) // .. 2b presets, routers
        .map(request -> step(() -> ex.request(request)))
        .compose(ok -> onLoop(loop, admission.admit(ex))) // .......... 3 admit
        .map(held -> step(() -> ex.reservation(held)))
        .compose(ok -> onLoop(loop, plugins.beforeModel(ex))) // ...... 4 before-model plugins
        .map(request -> step(() -> ex.request(request)))
        .map(ok -> step(() -> plan.run(ex))) // ........................ 5 plan
        .compose(ok -> attempts(ex)) // ................................ 6 attempts
        .recover(err -> Future.succeededFuture(refused(err)))
        .compose(ending -> afterModel(loop, ex, ending)) // ............ 7 after-model plugins
        .onComplete(ending -> finish(ex, ending.result())); // ......... 8 settle, 9 encode
  }

  /** Ends a request refused before its body was read. */
  public void refuse(Exchange ex, Throwable err) {
    finish(ex, refused(err));
  }

  /**
   * Ends a request in flight with {@code error} because the gateway is shutting down and its drain
   * time is over: running attempts are cancelled and the answer is the error (in-band once a
   * stream's head is out, else a JSON answer); a request not yet at its attempts never starts them.
   * Call on the request's event loop. Nothing happens to a request that has ended.
   */
  public void abort(Exchange ex, GatewayError error) {
    ex.abort(error);
  }

  private Future<Ending> attempts(Exchange ex) {
    if (ex.aborted() != null) {
      return Future.failedFuture(new GatewayException(ex.aborted()));
    }
    if (ex.streamed()) {
      StreamReply reply =
          new StreamReply(ex, plugins, scheduler, services.config().stream().keepaliveMs());
      ex.streamReply(reply);
      reply.start();
    }
    return attempts.run(ex);
  }

  /** Stage 7 for a whole answer; a stream has passed it event by event. */
  private Future<Ending> afterModel(Context loop, Exchange ex, Ending ending) {
    if (!(ending instanceof Ending.Answered a) || a.production().whole() == null) {
      return Future.succeededFuture(ending);
    }
    return onLoop(loop, plugins.afterModel(ex, a.production().whole()))
        .map(
            (LlmResponse changed) -> {
              a.production().answer(changed);
              return (Ending) a;
            })
        .recover(
            err ->
                Future.succeededFuture(
                    new Ending.Failed(ErrorEnvelope.from(err), a.served(), a.production())));
  }

  private void finish(Exchange ex, Ending ending) {
    ex.ending(ending);
    try {
      settle.run(ex); //   8
      respond.run(ex); //  9
    } catch (RuntimeException e) {
      // A bug in the last stages must still answer the client, not leave it hanging.
      ex.ending(refused(e));
      ClientChannel client = ex.client();
      if (!client.closed() && !client.headWritten()) {
        respond.run(ex);
      } else if (!client.closed()) {
        client.end();
      }
    } finally {
      ex.releaseMedia(); // the answer is written or the client gone
    }
  }

  private static Ending refused(Throwable err) {
    return new Ending.Refused(ErrorEnvelope.from(err));
  }

  private static Void step(Runnable stage) {
    stage.run();
    return null;
  }

  /** A stage's completion, resumed on the request's event loop (at once when already complete). */
  private static <T> Future<T> onLoop(Context loop, CompletionStage<T> stage) {
    CompletableFuture<T> f = stage.toCompletableFuture();
    if (f.isDone() && !f.isCompletedExceptionally() && !f.isCancelled()) {
      return Future.succeededFuture(f.join());
    }
    return Future.fromCompletionStage(stage, loop);
  }
}
