package dev.switchboard.server.pipeline;

import dev.switchboard.core.error.GatewayError;
import dev.switchboard.core.error.GatewayException;
import dev.switchboard.core.model.LlmResponse;
import dev.switchboard.core.model.StreamEvent;
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
  private final Observer observer;

  private final Authenticate authenticate;
  private final Decode decode;
  private final Plan plan;
  private final AttemptStage attempts;
  private final Settle settle;
  private final Respond respond = new Respond();

  /** storage.commit-before-reply: a reply waits for its record's commit (ADR 0026). */
  private final boolean commitBeforeReply;

  public Pipeline(
      Vertx vertx,
      Services services,
      UpstreamClient upstream,
      GenerationRecorder recorder,
      Admission admission,
      Plugins plugins) {
    this(vertx, services, upstream, recorder, admission, plugins, Observer.NONE);
  }

  public Pipeline(
      Vertx vertx,
      Services services,
      UpstreamClient upstream,
      GenerationRecorder recorder,
      Admission admission,
      Plugins plugins,
      Observer observer) {
    this.observer = observer;
    this.vertx = vertx;
    this.services = services;
    this.scheduler = new VertxScheduler(vertx);
    this.admission = admission;
    this.plugins = plugins;
    this.authenticate = new Authenticate(vertx, services.authenticator());
    this.decode =
        new Decode(
            services.config().routing().requestTimeoutMs(),
            services.config().features().defaultModel());
    this.plan = new Plan(services.planner(), services.config().routing());
    this.commitBeforeReply = services.config().storage().commitBeforeReply();
    this.attempts = new AttemptStage(vertx, services, upstream, scheduler, plugins);
    this.settle = new Settle(recorder, services.sticky(), services.storage());
  }

  /** A new exchange for a request that has just arrived. */
  public Exchange open(
      long startNanos,
      InboundDialect dialect,
      Function<String, String> headers,
      ClientChannel client) {
    Exchange ex =
        new Exchange(
            startNanos, services.clock().instant().getEpochSecond(), dialect, headers, client);
    observer.opened(ex);
    return ex;
  }

  /** Runs a request whose body has been read. */
  public void run(Exchange ex, byte[] body) {
    ex.body(body);
    Context loop = vertx.getOrCreateContext();
    authenticate
        .run(ex) // ................................................... 1 authenticate
        .map(ok -> step(() -> decode.run(ex))) // ..................... 2 decode
        .map(ok -> step(this::requireStorage))
        .compose(ok -> onLoop(loop, plugins.beforeAdmission(ex))) // .. 2b presets, routers
        .map(request -> step(() -> ex.request(request)))
        .onComplete(
            prepared -> {
              ex.body(null); // the canonical request is all the later stages read
              Replay hit = prepared.succeeded() ? plugins.replay(ex) : null;
              if (prepared.failed()) {
                finish(ex, refused(prepared.cause()));
              } else if (hit != null) {
                replay(ex, hit);
              } else {
                model(loop, ex);
              }
            });
  }

  /** Stages 3 to 9 of a request that is not served from the cache. */
  private void model(Context loop, Exchange ex) {
    onLoop(loop, admission.admit(ex)) // .............................. 3 admit
        .map(held -> step(() -> ex.reservation(held)))
        .compose(ok -> onLoop(loop, plugins.beforeModel(ex))) // ...... 4 before-model plugins
        .map(request -> step(() -> ex.request(request)))
        .map(ok -> step(() -> plan.run(ex))) // ........................ 5 plan
        .compose(ok -> attempts(ex)) // ................................ 6 attempts
        .compose(ending -> serverTools(loop, ex, ending)) // ........... 6 again per tool round
        .map(ending -> replay(ex, ending))
        .recover(err -> Future.succeededFuture(refused(err)))
        .compose(ending -> afterModel(loop, ex, ending)) // ............ 7 after-model plugins
        .onComplete(ending -> finish(ex, ending.result())); // ......... 8 settle, 9 encode
  }

  /**
   * An answer served without a model call: recorded as a generation of its own (zero usage, zero
   * cost, its source generation named) and written; nothing admitted or billed.
   */
  private void replay(Exchange ex, Replay hit) {
    try {
      settle.cacheHit(ex, hit);
    } catch (RuntimeException e) {
      finish(ex, refused(e));
      return;
    }
    if (commitBeforeReply) {
      // As for a model's answer: the record is committed before the client hears of its id.
      Context loop = vertx.getOrCreateContext();
      services
          .storage()
          .durable()
          .whenComplete((ok, err) -> loop.runOnContext(v -> writeReplay(ex, hit)));
    } else {
      writeReplay(ex, hit);
    }
  }

  private void writeReplay(Exchange ex, Replay hit) {
    try {
      hit.write(ex);
    } catch (RuntimeException e) {
      finish(ex, refused(e));
    }
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
    if (ex.request().stream()) {
      StreamReply reply =
          new StreamReply(ex, plugins, scheduler, services.config().stream().keepaliveMs());
      ex.streamReply(reply);
      observer.streamStarted(ex);
      reply.start();
    }
    return attempts.run(ex);
  }

  /**
   * The server-tool loop: while a whole answer calls tools the gateway runs itself, they run (in
   * {@link Plugins#nextRound}), the finished round is kept for settlement and the record, and the
   * model is asked again with their results: planned and attempted like the first round. Admission
   * held the worst case of one round; before the tools run the hold must cover what the request has
   * cost so far plus the most the tools can add in fees, and before each further round what it has
   * cost plus that round's worst case ({@link Reservation#cover}, which extends the hold). When a
   * budget cannot take it, the loop stops there with a 402 (the rounds run are billed, within the
   * hold), so a key's spend never goes past its limit.
   */
  private Future<Ending> serverTools(Context loop, Exchange ex, Ending ending) {
    if (!(ending instanceof Ending.Answered a) || a.production().whole() == null) {
      return Future.succeededFuture(ending);
    }
    java.math.BigDecimal fees = plugins.toolFeesAtMost(ex, a.production().whole());
    Future<Boolean> feesCovered =
        fees.signum() == 0
            ? Future.succeededFuture(true)
            : onLoop(loop, ex.reservation().cover(spent(ex).add(roundCost(ex, a)).add(fees), null));
    return feesCovered.compose(
        covered ->
            !covered
                ? Future.succeededFuture(overBudget(ex, a, false))
                : onLoop(loop, plugins.nextRound(ex, a.production().whole()))
                    .compose(
                        next -> {
                          if (next == null) {
                            return Future.succeededFuture(ending);
                          }
                          ex.addRound(round(ex, a));
                          return onLoop(loop, ex.reservation().cover(spent(ex), next))
                              .compose(
                                  ok ->
                                      ok
                                          ? nextRound(loop, ex, a, next)
                                          : Future.succeededFuture(overBudget(ex, a, true)));
                        },
                        err ->
                            Future.succeededFuture(
                                new Ending.Failed(
                                    ErrorEnvelope.from(err), a.served(), a.production()))));
  }

  private Future<Ending> nextRound(
      Context loop, Exchange ex, Ending.Answered a, dev.switchboard.core.model.LlmRequest next) {
    ex.request(next);
    try {
      plan.run(ex);
    } catch (RuntimeException e) {
      return Future.succeededFuture(
          new Ending.Failed(ErrorEnvelope.from(e), a.served(), a.production()));
    }
    return attempts(ex).compose(e -> serverTools(loop, ex, e));
  }

  /** A finished round of the loop, for settlement and the record. */
  private static Exchange.Round round(Exchange ex, Ending.Answered a) {
    var usage = a.production().usage(ex.request());
    var served = a.served().candidate();
    return new Exchange.Round(
        ex.attempts(),
        served,
        usage,
        dev.switchboard.server.metering.CostCalculator.cost(
            served.endpoint().pricing(), usage, false),
        a.production().whole().toolCalls().stream()
            .map(dev.switchboard.core.model.ToolCall::name)
            .toList());
  }

  private static java.math.BigDecimal roundCost(Exchange ex, Ending.Answered a) {
    return round(ex, a).cost().total();
  }

  /** What the request has cost so far: its finished rounds and its fees. */
  private static java.math.BigDecimal spent(Exchange ex) {
    java.math.BigDecimal total = java.math.BigDecimal.ZERO;
    for (Exchange.Round r : ex.rounds()) {
      total = total.add(r.cost().total());
    }
    for (Exchange.Fee f : ex.fees()) {
      total = total.add(f.usd());
    }
    return total;
  }

  /**
   * The loop stopped because a budget cannot cover what comes next: the rounds run so far are
   * billed ({@code last} kept as a round unless {@code recorded} already), nothing more.
   */
  private static Ending overBudget(Exchange ex, Ending.Answered last, boolean recorded) {
    if (!recorded) {
      ex.addRound(round(ex, last));
    }
    GatewayError error =
        GatewayError.of(
            dev.switchboard.core.error.FailureClass.INSUFFICIENT_CREDITS,
            402,
            "The server-tool loop stopped after "
                + ex.rounds().size()
                + " model round(s): this key's limit (or another budget) cannot cover the next"
                + " step; the rounds run are billed. Raise the limit, lower max_tokens or"
                + " max_tool_calls, or use fewer server tools");
    return new Ending.Failed(error, last.served(), Production.nothingMore());
  }

  /**
   * A stream whose rounds ran whole ({@link Exchange#replayAsStream}): the final answer goes to the
   * client as stream events, through stage 7 event by event like any stream.
   */
  private Ending replay(Exchange ex, Ending ending) {
    if (!ex.replaysStream()) {
      return ending;
    }
    StreamReply reply =
        new StreamReply(ex, plugins, scheduler, services.config().stream().keepaliveMs());
    ex.streamReply(reply);
    if (ending instanceof Ending.Answered a && a.production().whole() != null) {
      for (StreamEvent event : WholeEvents.of(a.production().whole())) {
        reply.event(a.served(), a.production(), event);
      }
    }
    return ending;
  }

  /** Stage 7 for a whole answer; a stream has passed it event by event. */
  private Future<Ending> afterModel(Context loop, Exchange ex, Ending ending) {
    if (!(ending instanceof Ending.Answered a)
        || a.production().whole() == null
        || ex.replaysStream()) {
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
    } catch (RuntimeException e) {
      failLate(ex, e);
      ex.releaseMedia();
      finished(ex);
      return;
    }
    if (commitBeforeReply && ex.generationStarted()) {
      // storage.commit-before-reply: the reply waits until the record and the charge are
      // committed (or, while the database is down, kept in memory), so what a client was answered
      // survives this process being killed (ADR 0026). Otherwise they are written behind.
      Context loop = vertx.getOrCreateContext();
      services.storage().durable().whenComplete((ok, err) -> loop.runOnContext(v -> reply(ex)));
    } else {
      reply(ex);
    }
  }

  private void reply(Exchange ex) {
    try {
      respond.run(ex); //  9
    } catch (RuntimeException e) {
      failLate(ex, e);
    } finally {
      ex.releaseMedia(); // the answer is written or the client gone
      finished(ex);
    }
  }

  /** The request is over: the plugins and the observer (metrics, traces) hear of it once. */
  private void finished(Exchange ex) {
    try {
      plugins.finished(ex);
    } catch (RuntimeException e) {
      ErrorEnvelope.from(e); // logged; the answer is out already
    }
    observer.finished(ex);
  }

  /** A bug in the last stages must still answer the client, not leave it hanging. */
  private void failLate(Exchange ex, RuntimeException e) {
    ex.ending(refused(e));
    ClientChannel client = ex.client();
    if (!client.closed() && !client.headWritten()) {
      respond.run(ex);
    } else if (!client.closed()) {
      client.end();
    }
  }

  /**
   * New billable work is refused while the storage cannot keep its records: the database is
   * unreachable and the backlog kept in memory reached {@code storage.backlog}.
   */
  private void requireStorage() {
    var health = services.storage().health();
    if (!health.accepting()) {
      throw new GatewayException(
          GatewayError.of(
              dev.switchboard.core.error.FailureClass.STORAGE_UNAVAILABLE,
              "The gateway cannot record requests now ("
                  + health.reason()
                  + "); try again shortly"));
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
