package dev.switchboard.server.pipeline;

import dev.switchboard.core.error.FailureClass;
import dev.switchboard.core.error.GatewayError;
import dev.switchboard.core.model.StreamEvent;
import dev.switchboard.core.provider.HttpCall;
import dev.switchboard.server.inbound.ErrorEnvelope;
import dev.switchboard.server.routing.Attempt;
import dev.switchboard.server.routing.AttemptLoop;
import dev.switchboard.server.routing.Candidate;
import dev.switchboard.server.routing.Outcomes;
import dev.switchboard.server.routing.ServiceTiers;
import dev.switchboard.server.upstream.UpstreamClient;
import dev.switchboard.server.upstream.UpstreamStream;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

/**
 * One request's attempts, launched the same way whether the answer streams or not: media
 * preparation, the adapter's encode, the upstream call, the status; a non-2xx is classified by the
 * adapter and reported to the {@link AttemptLoop}; a 2xx body is read by a {@link WholeBody}, an
 * {@link EventBody} or (embeddings) a {@link VectorBody}, which report back here. It completes the
 * stage once, with the request's {@link Ending}: answered, failed (the loop gave up), or the client
 * gone (everything in flight is cancelled). Confined to the request's event loop.
 */
final class AttemptLauncher implements AttemptLoop.Launcher, AttemptLoop.Listener {

  private static final String CLIENT_GONE = "client closed the connection";
  private static final String SHUTTING_DOWN = "the gateway is shutting down";

  private final Vertx vertx;
  private final Services services;
  private final UpstreamClient upstream;
  private final Exchange ex;
  private final AttemptLoop loop;
  private final StreamReply reply;
  private final MediaPrep media;
  private final boolean exposeRaw;
  private final Promise<Ending> done = Promise.promise();
  private Attempt served;
  private Production servedProduction;

  AttemptLauncher(
      Vertx vertx,
      Services services,
      UpstreamClient upstream,
      Exchange ex,
      AttemptLoop loop,
      Plugins plugins) {
    this.vertx = vertx;
    this.services = services;
    this.upstream = upstream;
    this.ex = ex;
    this.loop = loop;
    this.reply = ex.streamReply();
    // One per request: each media URL is fetched once and every attempt (retry, fallback, hedge)
    // reuses the bytes; the pipeline releases them when the request ends.
    this.media =
        new MediaPrep(
            vertx,
            services,
            ex.request(),
            (c, r) -> ServiceTiers.forEndpoint(plugins.forCandidate(ex, c, r), c.endpoint()));
    ex.media(media);
    this.exposeRaw = services.config().errors().exposeRaw();
  }

  Future<Ending> start() {
    ex.client().onClose(this::clientGone);
    ex.onAbort(this::abort);
    loop.start(this, this);
    return done.future();
  }

  @Override
  public void launch(Attempt attempt) {
    Candidate c = attempt.candidate();
    media
        .encode(c)
        .onComplete(
            call -> {
              if (!live(attempt)) {
                return;
              }
              if (call.failed()) {
                loop.failed(attempt, ErrorEnvelope.from(call.cause()), null);
              } else {
                send(attempt, call.result());
              }
            });
  }

  private void send(Attempt attempt, HttpCall call) {
    Candidate c = attempt.candidate();
    if (reply != null && ex.request().directives().echoUpstreamBody()) {
      try {
        reply.debugEcho(attempt, dev.switchboard.api.json.ApiJson.tree(call.body()));
      } catch (java.io.IOException e) {
        // a body that is not JSON has nothing to echo
      }
    }
    upstream
        .open(call)
        .onComplete(
            ar -> {
              if (!live(attempt)) {
                if (ar.succeeded()) {
                  ar.result().cancel();
                }
                return;
              }
              if (ar.failed()) {
                failed(
                    attempt, ErrorEnvelope.from(ar.cause()).withProvider(c.providerName()), null);
                return;
              }
              UpstreamStream stream = ar.result();
              attempt.onCancel(stream::cancel);
              if (stream.status() / 100 != 2) {
                stream
                    .collect()
                    .onComplete(
                        body -> {
                          if (!live(attempt)) {
                            return;
                          }
                          failed(
                              attempt,
                              body.succeeded()
                                  ? c.adapter().classify(body.result(), c.target())
                                  : ErrorEnvelope.from(body.cause()).withProvider(c.providerName()),
                              stream.status());
                        });
              } else if (ex.request().embedding() != null) {
                new VectorBody(this, attempt, stream, ex).read();
              } else if (reply == null) {
                new WholeBody(this, attempt, stream, ex.request()).read();
              } else {
                new EventBody(this, attempt, stream, ex.request()).read();
              }
            });
  }

  // ---- what the bodies report ------------------------------------------------------------

  /** Whether {@code attempt} still counts: it runs and the request has not ended. */
  boolean live(Attempt attempt) {
    return attempt.live() && !done.future().isComplete();
  }

  /** {@code attempt} failed; the loop decides what comes next. */
  void failed(Attempt attempt, GatewayError error, Integer status) {
    loop.failed(attempt, error, status);
  }

  /** {@code attempt} produced its first output: true when it has the request to itself. */
  boolean claim(Attempt attempt) {
    return loop.claim(attempt);
  }

  /** Whether {@code attempt} has claimed the request. */
  boolean claimedBy(Attempt attempt) {
    return loop.winner() == attempt;
  }

  /**
   * An event of the streamed answer of {@code attempt}, which has claimed the request, on its way
   * to the client (after-model plugins, the inbound encoder). Its first output that reaches the
   * client is the commit point: no fallback after it.
   */
  void deliver(Attempt attempt, Production production, StreamEvent event) {
    if (reply.event(attempt, production, event) && served == null) {
      loop.commit();
      served = attempt;
      servedProduction = production;
    }
  }

  /** Runs {@code task} on this request's event loop after the I/O it is handling now. */
  void later(Runnable task) {
    vertx.runOnContext(v -> task.run());
  }

  /** Sends what the serving stream queued; false when the client is full (pause the upstream). */
  boolean flush(Runnable onDrain) {
    return reply.flush(onDrain);
  }

  /**
   * The first vector of {@code attempt}'s embeddings answer is ready to go to the client: it claims
   * the request, and it is the commit point (no fallback after it). False when another attempt won.
   */
  boolean commitVectors(Attempt attempt, Production production) {
    if (!loop.claim(attempt)) {
      return false;
    }
    loop.commit();
    served = attempt;
    servedProduction = production;
    return true;
  }

  /** {@code attempt} answered in full; the request ends with it unless another attempt won. */
  void answered(Attempt attempt, Production production, Outcomes.Sample sample) {
    if (loop.succeeded(attempt, 200, sample)) {
      measureToolCalls(attempt, production);
      done.complete(new Ending.Answered(attempt, production));
    }
  }

  /**
   * An answer that called tools feeds the endpoint's tool-call error rate ({@code :exacto}): bad
   * when any call's arguments are not JSON, name no tool of the request, or fail its schema.
   */
  private void measureToolCalls(Attempt attempt, Production production) {
    var calls = production.toolCalls();
    if (calls.isEmpty() || ex.request().tools().isEmpty()) {
      return;
    }
    Candidate c = attempt.candidate();
    services
        .stats()
        .of(c.model().id(), c.endpoint().provider())
        .toolCalls(services.stats().nowMs(), ToolCallCheck.valid(calls, ex.request().tools()));
  }

  @Override
  public void gaveUp(GatewayError error) {
    // errors.expose-raw: false withholds the upstream's body (metadata.raw) from every answer.
    done.tryComplete(
        new Ending.Failed(exposeRaw ? error : error.withoutRaw(), served, servedProduction));
  }

  /**
   * The gateway is shutting down and its drain time is over: everything in flight is cancelled and
   * the request ends with {@code error}, as a failure at this point (the in-band error chunk once a
   * stream's head is out, else a JSON answer).
   */
  private void abort(GatewayError error) {
    if (done.future().isComplete()) {
      return;
    }
    loop.cancelAll(SHUTTING_DOWN);
    done.complete(new Ending.Failed(error, served, servedProduction));
  }

  private void clientGone() {
    if (done.future().isComplete()) {
      return;
    }
    loop.cancelAll(CLIENT_GONE);
    done.complete(new Ending.ClientGone(served, servedProduction));
  }

  /** A stream that broke or made no sense: the provider's fault, 502. */
  static GatewayError badStream(Candidate c, String detail) {
    return GatewayError.upstream(
            FailureClass.UPSTREAM_BAD_RESPONSE, 502, c.providerName(), null, detail, null)
        .withMetadata("error_type", "provider_unavailable");
  }
}
