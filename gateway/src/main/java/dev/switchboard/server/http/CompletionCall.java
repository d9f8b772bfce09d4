package dev.switchboard.server.http;

import dev.switchboard.api.json.ApiJson;
import dev.switchboard.core.error.GatewayError;
import dev.switchboard.core.error.GatewayException;
import dev.switchboard.core.model.FinishReason;
import dev.switchboard.core.model.LlmResponse;
import dev.switchboard.core.openai.OpenAiChatCodec;
import dev.switchboard.core.provider.HttpCall;
import dev.switchboard.core.provider.UpstreamResponse;
import dev.switchboard.server.metering.Cost;
import dev.switchboard.server.metering.CostCalculator;
import dev.switchboard.server.routing.Attempt;
import dev.switchboard.server.routing.Candidate;
import dev.switchboard.server.upstream.UpstreamClient;
import dev.switchboard.server.upstream.UpstreamStream;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;

/**
 * A non-streaming completion: tries the candidates in order until one answers, moving on only for
 * failures whose class says so, then meters, answers and records. A client that goes away cancels
 * the upstream call.
 */
final class CompletionCall {

  private final Services services;
  private final UpstreamClient upstream;
  private final GenerationRecorder recorder;
  private final Exchange ex;
  private final HttpServerResponse response;
  private UpstreamStream inFlight;
  private boolean done;

  CompletionCall(
      Services services,
      UpstreamClient upstream,
      GenerationRecorder recorder,
      Exchange ex,
      HttpServerResponse response) {
    this.services = services;
    this.upstream = upstream;
    this.recorder = recorder;
    this.ex = ex;
    this.response = response;
  }

  void start() {
    response.closeHandler(v -> clientGone());
    attempt(0, null);
  }

  private void attempt(int index, GatewayError previous) {
    if (done) {
      return;
    }
    if (index >= ex.candidates.size()) {
      fail(previous);
      return;
    }
    Candidate c = ex.candidates.get(index);
    HttpCall call;
    try {
      call = c.adapter().encode(ex.request, c.target());
    } catch (GatewayException e) {
      fail(e.error());
      return;
    }
    long t0 = System.nanoTime();
    upstream
        .open(call)
        .compose(
            stream -> {
              inFlight = stream;
              return stream.collect();
            })
        .onComplete(
            ar -> {
              inFlight = null;
              long took = System.nanoTime() - t0;
              ex.upstreamNanos += took;
              if (done) {
                return;
              }
              GatewayError error;
              Integer status = null;
              if (ar.failed()) {
                error = ErrorRenderer.from(ar.cause()).withProvider(c.providerName());
              } else {
                UpstreamResponse r = ar.result();
                status = r.status();
                error = r.status() / 100 == 2 ? null : c.adapter().classify(r, c.target());
                if (error == null) {
                  try {
                    LlmResponse decoded = c.adapter().decode(r, c.target());
                    ex.attempts.add(attempt(c, status, null, took));
                    succeed(c, decoded, took);
                    return;
                  } catch (GatewayException e) {
                    error = e.error();
                  } catch (RuntimeException e) {
                    error =
                        GatewayError.upstream(
                            dev.switchboard.core.error.FailureClass.UPSTREAM_BAD_RESPONSE,
                            502,
                            c.providerName(),
                            null,
                            r.bodyText(),
                            null);
                  }
                }
              }
              ex.attempts.add(attempt(c, status, error, took));
              if (error.kind().triesNextCandidate() && index + 1 < ex.candidates.size()) {
                attempt(index + 1, error);
              } else {
                fail(error);
              }
            });
  }

  private static Attempt attempt(Candidate c, Integer status, GatewayError error, long nanos) {
    return new Attempt(
        c.providerName(),
        c.target().providerSlug(),
        c.model().id(),
        status,
        error == null ? null : error.kind(),
        nanos / 1_000_000);
  }

  private void succeed(Candidate c, LlmResponse r, long upstreamNanos) {
    done = true;
    boolean noCharge =
        r.finishReason() == FinishReason.ERROR
            || (r.usage().completionTokens() == 0 && r.finishReason() == null);
    Cost cost = CostCalculator.cost(c.endpoint().pricing(), r.usage(), noCharge);
    var apiUsage = UsageMapper.toApi(r.usage(), cost);
    var completion =
        OpenAiChatCodec.toCompletion(
            r,
            ex.generationId,
            c.model().id(),
            c.providerName(),
            ex.createdEpochSeconds,
            apiUsage,
            ex.includeReasoning());
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
            upstreamNanos / 1_000_000));
  }

  private void fail(GatewayError error) {
    done = true;
    ErrorRenderer.render(response, error);
    recorder.record(ex, null, GenerationRecorder.Outcome.failure(error, false, false));
  }

  private void clientGone() {
    if (done) {
      return;
    }
    done = true;
    if (inFlight != null) {
      inFlight.cancel();
    }
    recorder.record(
        ex,
        null,
        GenerationRecorder.Outcome.failure(
            GatewayError.of(
                dev.switchboard.core.error.FailureClass.CLIENT_CLOSED,
                499,
                "Client closed the connection"),
            false,
            true));
  }
}
