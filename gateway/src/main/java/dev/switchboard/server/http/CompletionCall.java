package dev.switchboard.server.http;

import dev.switchboard.api.chat.ChatCompletion;
import dev.switchboard.api.json.ApiJson;
import dev.switchboard.core.error.FailureClass;
import dev.switchboard.core.error.GatewayError;
import dev.switchboard.core.error.GatewayException;
import dev.switchboard.core.model.FinishReason;
import dev.switchboard.core.model.LlmResponse;
import dev.switchboard.core.openai.OpenAiChatCodec;
import dev.switchboard.core.provider.HttpCall;
import dev.switchboard.core.provider.UpstreamResponse;
import dev.switchboard.server.metering.Cost;
import dev.switchboard.server.metering.CostCalculator;
import dev.switchboard.server.routing.Candidate;
import dev.switchboard.server.routing.Outcomes;
import dev.switchboard.server.upstream.UpstreamClient;
import dev.switchboard.server.upstream.UpstreamStream;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import java.util.ArrayList;
import java.util.List;

/**
 * A non-streaming completion: walks the planned candidates under the {@link
 * dev.switchboard.server.routing.AttemptPolicy} (retry, next candidate, next model, stop), feeding
 * the live stats with every outcome. With hedging on, a second candidate starts when the first has
 * not answered within the hedge delay; the first complete answer wins and the other is cancelled. A
 * client that goes away cancels every upstream call in flight.
 */
final class CompletionCall {

  private final Vertx vertx;
  private final Services services;
  private final UpstreamClient upstream;
  private final GenerationRecorder recorder;
  private final Exchange ex;
  private final HttpServerResponse response;
  private final Attempts attempts;
  private final MediaPrep media;
  private final List<UpstreamStream> inFlight = new ArrayList<>(2);
  private boolean done;

  CompletionCall(
      Vertx vertx,
      Services services,
      UpstreamClient upstream,
      GenerationRecorder recorder,
      Exchange ex,
      HttpServerResponse response) {
    this.vertx = vertx;
    this.services = services;
    this.upstream = upstream;
    this.recorder = recorder;
    this.ex = ex;
    this.response = response;
    this.attempts = new Attempts(vertx, services, ex);
    this.media = new MediaPrep(vertx, services, ex.request, response);
  }

  void start() {
    response.closeHandler(v -> clientGone());
    attempts.start(this::launch, this::fail);
  }

  /** Starts one attempt on {@code c}; reports back to {@link #attempts}. */
  private void launch(Attempts.Slot slot) {
    Candidate c = slot.candidate();
    media
        .encode(c)
        .onComplete(
            call -> {
              if (done || slot.abandoned()) {
                return;
              }
              if (call.failed()) {
                attempts.failed(slot, ErrorRenderer.from(call.cause()), null);
              } else {
                send(slot, c, call.result());
              }
            });
  }

  private void send(Attempts.Slot slot, Candidate c, HttpCall call) {
    upstream
        .open(call)
        .compose(
            stream -> {
              if (done || slot.abandoned()) {
                stream.cancel();
                return io.vertx.core.Future.failedFuture("abandoned");
              }
              inFlight.add(stream);
              slot.onCancel(stream::cancel);
              return stream.collect().onComplete(x -> inFlight.remove(stream));
            })
        .onComplete(
            ar -> {
              if (done || slot.abandoned()) {
                return;
              }
              if (ar.failed()) {
                attempts.failed(
                    slot, ErrorRenderer.from(ar.cause()).withProvider(c.providerName()), null);
                return;
              }
              UpstreamResponse r = ar.result();
              if (r.status() / 100 != 2) {
                attempts.failed(slot, c.adapter().classify(r, c.target()), r.status());
                return;
              }
              LlmResponse decoded;
              try {
                decoded = c.adapter().decode(r, c.target());
              } catch (GatewayException e) {
                attempts.failed(slot, e.error(), r.status());
                return;
              } catch (RuntimeException e) {
                attempts.failed(
                    slot,
                    GatewayError.upstream(
                        FailureClass.UPSTREAM_BAD_RESPONSE,
                        502,
                        c.providerName(),
                        null,
                        r.bodyText(),
                        null),
                    r.status());
                return;
              }
              attempts.succeeded(slot, 200);
              succeed(slot, decoded);
            });
  }

  private void succeed(Attempts.Slot slot, LlmResponse r) {
    done = true;
    Candidate c = slot.candidate();
    long tookMs = slot.elapsedMs();
    Outcomes.success(services.stats(), c, tookMs, r.usage().completionTokens(), tookMs);
    attempts.stickIfCached(c, r.usage().cachedTokens() > 0);
    boolean noCharge =
        r.finishReason() == FinishReason.ERROR
            || (r.usage().completionTokens() == 0 && r.finishReason() == null);
    Cost cost = CostCalculator.cost(c.endpoint().pricing(), r.usage(), noCharge);
    var apiUsage = UsageMapper.toApi(r.usage(), cost);
    ChatCompletion completion =
        OpenAiChatCodec.toCompletion(
            r,
            ex.generationId,
            c.model().id(),
            c.providerName(),
            ex.createdEpochSeconds,
            apiUsage,
            ex.includeReasoning());
    if (ex.metadataRequested) {
      completion =
          new ChatCompletion(
              completion.id(),
              completion.provider(),
              completion.model(),
              completion.object(),
              completion.created(),
              completion.choices(),
              completion.systemFingerprint(),
              completion.serviceTier(),
              completion.usage(),
              RoutingMetadata.withMetadata(completion.extra(), RoutingMetadata.of(ex, c)));
    }
    byte[] json = ApiJson.bytes(completion);
    if (!response.closed()) {
      response
          .setStatusCode(200)
          .putHeader("content-type", "application/json")
          .putHeader("x-generation-id", ex.generationId)
          .putHeader("x-switchboard-overhead-ms", ex.overheadMs())
          .end(Buffer.buffer(json));
    }
    recorder.record(
        ex,
        c,
        GenerationRecorder.Outcome.success(
            r.upstreamId(),
            r.finishReason(),
            r.nativeFinishReason(),
            r.usage(),
            cost,
            false,
            false,
            tookMs));
  }

  private void fail(GatewayError error) {
    if (done) {
      return;
    }
    done = true;
    ErrorRenderer.render(
        response, error, ex.metadataRequested ? RoutingMetadata.of(ex, null) : null);
    recorder.record(ex, null, GenerationRecorder.Outcome.failure(error, false, false));
  }

  /** Answers {@code error} now because the gateway is shutting down and its drain time is over. */
  void abort(GatewayError error) {
    if (done) {
      return;
    }
    attempts.cancelAll("the gateway is shutting down");
    for (UpstreamStream s : List.copyOf(inFlight)) {
      s.cancel();
    }
    fail(error);
  }

  private void clientGone() {
    if (done) {
      return;
    }
    done = true;
    attempts.cancelAll();
    for (UpstreamStream s : List.copyOf(inFlight)) {
      s.cancel();
    }
    recorder.record(
        ex,
        null,
        GenerationRecorder.Outcome.failure(
            GatewayError.of(FailureClass.CLIENT_CLOSED, 499, "Client closed the connection"),
            false,
            true));
  }
}
