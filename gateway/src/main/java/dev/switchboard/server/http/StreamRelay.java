package dev.switchboard.server.http;

import dev.switchboard.api.chat.ChatCompletionChunk;
import dev.switchboard.api.json.ApiJson;
import dev.switchboard.core.error.FailureClass;
import dev.switchboard.core.error.GatewayError;
import dev.switchboard.core.model.FinishReason;
import dev.switchboard.core.model.StreamEvent;
import dev.switchboard.core.model.Usage;
import dev.switchboard.core.openai.OpenAiChunkEncoder;
import dev.switchboard.core.provider.HttpCall;
import dev.switchboard.core.provider.StreamDecoder;
import dev.switchboard.server.metering.Cost;
import dev.switchboard.server.metering.CostCalculator;
import dev.switchboard.server.metering.UsageEstimator;
import dev.switchboard.server.routing.Candidate;
import dev.switchboard.server.routing.Outcomes;
import dev.switchboard.server.upstream.UpstreamClient;
import dev.switchboard.server.upstream.UpstreamStream;
import dev.switchboard.sse.SseEvent;
import dev.switchboard.sse.SseException;
import dev.switchboard.sse.SseReader;
import dev.switchboard.sse.SseWriter;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * A streamed completion, from upstream SSE to client SSE, with the commit point of the
 * architecture:
 *
 * <ul>
 *   <li>Until the first data chunk reaches the client, a failure moves on under the {@link
 *       dev.switchboard.server.routing.AttemptPolicy} (see {@link Attempts}); with no candidate
 *       left it is a normal JSON error with its status, or, if the keep-alive already sent the 200
 *       head, one in-band error chunk.
 *   <li>While waiting, {@code : OPENROUTER PROCESSING} comments go out every {@code keepalive-ms}.
 *   <li>After the first data chunk, a failure ends the stream with the in-band error chunk of
 *       checklist 47 and no {@code [DONE]}.
 *   <li>On success: the chunks, then one usage chunk with {@code choices: []} (carrying {@code
 *       openrouter_metadata} when asked), then {@code [DONE]}.
 *   <li>Hedging: two attempts may run at once; each is a {@link Leg} with its own decoder, and the
 *       first to produce output claims the client, the other is cancelled.
 * </ul>
 *
 * Back-pressure: when the client's socket is full, the serving upstream is paused until it drains.
 * A client that disconnects cancels the upstream calls; the generation is recorded as cancelled.
 * Writes are batched per upstream read: everything one upstream buffer produced goes out in one
 * write. Confined to one event loop.
 */
final class StreamRelay {

  private static final byte[] DATA = "data: ".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] END = "\n\n".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] PROCESSING = SseWriter.comment("OPENROUTER PROCESSING");

  private final Vertx vertx;
  private final Services services;
  private final UpstreamClient upstream;
  private final GenerationRecorder recorder;
  private final Exchange ex;
  private final HttpServerResponse response;
  private final Attempts attempts;

  private Leg winner;
  private Leg lastLeg;
  private boolean headWritten;
  private boolean dataStarted;
  private boolean done;
  private long keepaliveTimer = -1;
  private Buffer pending;

  StreamRelay(
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
  }

  void start() {
    response.closeHandler(v -> clientGone());
    scheduleKeepalive();
    attempts.start(this::launch, this::giveUp);
  }

  private void launch(Attempts.Slot slot) {
    Candidate c = slot.candidate();
    MediaPrep.encode(vertx, services, ex.request, c)
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
        .onComplete(
            ar -> {
              if (done || slot.abandoned()) {
                if (ar.succeeded()) {
                  ar.result().cancel();
                }
                return;
              }
              if (ar.failed()) {
                attempts.failed(
                    slot, ErrorRenderer.from(ar.cause()).withProvider(c.providerName()), null);
                return;
              }
              UpstreamStream s = ar.result();
              slot.onCancel(s::cancel);
              if (s.status() / 100 != 2) {
                s.collect()
                    .onComplete(
                        body -> {
                          if (done || slot.abandoned()) {
                            return;
                          }
                          attempts.failed(
                              slot,
                              body.succeeded()
                                  ? c.adapter().classify(body.result(), c.target())
                                  : ErrorRenderer.from(body.cause()).withProvider(c.providerName()),
                              s.status());
                        });
                return;
              }
              Leg leg = new Leg(slot, s);
              lastLeg = leg;
              s.read(leg::onBytes, leg::onEnd, leg::onError);
            });
  }

  /** One attempt's stream: its decoder, its encoder and what it reported so far. */
  private final class Leg {
    private final Attempts.Slot slot;
    private final Candidate c;
    private final UpstreamStream stream;
    private final StreamDecoder decoder;
    private final OpenAiChunkEncoder encoder;
    private final SseReader reader;
    private long firstEventNanos;
    private String upstreamId;
    private FinishReason finishReason;
    private String nativeFinishReason;
    private Usage usage;
    private long outputChars;
    private boolean over;

    Leg(Attempts.Slot slot, UpstreamStream stream) {
      this.slot = slot;
      this.c = slot.candidate();
      this.stream = stream;
      this.decoder = c.adapter().newStreamDecoder(c.target());
      this.encoder =
          new OpenAiChunkEncoder(
              ex.generationId,
              c.model().id(),
              c.providerName(),
              ex.createdEpochSeconds,
              ex.includeReasoning());
      this.reader = SseReader.create(this::onSse);
    }

    private boolean live() {
      return !done && !over && !slot.abandoned();
    }

    void onBytes(Buffer chunk) {
      if (!live()) {
        return;
      }
      if (firstEventNanos == 0) {
        firstEventNanos = System.nanoTime();
      }
      try {
        reader.feed(chunk.getBytes());
      } catch (SseException e) {
        fail(badStream(e.getMessage()));
      }
      flush();
    }

    private void onSse(SseEvent event) {
      if (!live()) {
        return;
      }
      List<StreamEvent> events = decoder.onEvent(event);
      for (int i = 0; i < events.size() && live(); i++) {
        onEvent(events.get(i));
      }
    }

    private void onEvent(StreamEvent event) {
      switch (event) {
        case StreamEvent.Started s -> upstreamId = s.upstreamId();
        case StreamEvent.UsageReported u -> usage = u.usage();
        case StreamEvent.Failed f -> fail(f.error().withProvider(c.providerName()));
        case StreamEvent.Finished f -> {
          finishReason = f.reason();
          nativeFinishReason = f.nativeReason();
          emit(event, 0);
        }
        case StreamEvent.TextDelta t -> emit(event, t.text().length());
        case StreamEvent.ToolCallDelta t ->
            emit(event, t.argumentsFragment() == null ? 0 : t.argumentsFragment().length());
        case StreamEvent.ReasoningDelta r -> emit(event, r.text() == null ? 0 : r.text().length());
        case StreamEvent.RefusalDelta r -> emit(event, r.text().length());
        case StreamEvent.ToolCallStarted t -> emit(event, 0);
        case StreamEvent.Logprobs l -> emit(event, 0);
        case StreamEvent.Annotations a -> emit(event, 0);
        case StreamEvent.Unknown u -> {}
      }
    }

    /** Client-visible output: the first one claims the client for this leg. */
    private void emit(StreamEvent event, int chars) {
      if (!claim()) {
        return;
      }
      outputChars += chars;
      write(this, encoder.encode(event));
    }

    private boolean claim() {
      if (winner == this) {
        return true;
      }
      if (!attempts.claim(slot)) {
        return false;
      }
      winner = this;
      return true;
    }

    void onEnd() {
      if (!live()) {
        return;
      }
      try {
        reader.finish();
      } catch (SseException e) {
        fail(badStream(e.getMessage()));
        return;
      }
      for (StreamEvent e : decoder.onEnd()) {
        if (!live()) {
          return;
        }
        onEvent(e);
      }
      if (!live()) {
        return;
      }
      if (finishReason == null && !decoder.finished()) {
        fail(badStream("upstream closed the stream before it finished"));
        return;
      }
      if (claim()) {
        complete(this);
      }
    }

    void onError(Throwable err) {
      if (!live()) {
        return;
      }
      GatewayError error = ErrorRenderer.from(err).withProvider(c.providerName());
      if (error.kind() == FailureClass.UPSTREAM_TRANSIENT) {
        error = badStream("upstream connection broke mid-stream: " + error.message());
      }
      fail(error);
    }

    /** Before the commit point the attempts move on; after it they give up (in-band error). */
    private void fail(GatewayError error) {
      over = true;
      stream.cancel();
      if (winner == this && !dataStarted) {
        winner = null;
      }
      attempts.failed(slot, error, 200);
    }

    private GatewayError badStream(String detail) {
      return GatewayError.upstream(
              FailureClass.UPSTREAM_BAD_RESPONSE, 502, c.providerName(), null, detail, null)
          .withMetadata("error_type", "provider_unavailable");
    }

    Usage usageSoFar() {
      return usage != null ? usage : UsageEstimator.estimate(ex.request, outputChars);
    }
  }

  // ---- to the client ---------------------------------------------------------------------

  private void write(Leg leg, List<ChatCompletionChunk> chunks) {
    if (chunks.isEmpty() || done) {
      return;
    }
    if (!dataStarted) {
      dataStarted = true;
      attempts.commit();
      cancelKeepalive();
      writeHead(leg.firstEventNanos - leg.slot.startNanos());
    }
    Buffer out = pending();
    for (ChatCompletionChunk chunk : chunks) {
      appendData(out, chunk);
    }
  }

  private Buffer pending() {
    if (pending == null) {
      pending = Buffer.buffer(1024);
    }
    return pending;
  }

  private Buffer takePending() {
    Buffer out = pending != null ? pending : Buffer.buffer(512);
    pending = null;
    return out;
  }

  /**
   * Writes what is pending in one write; when the client's socket is then full, pauses the serving
   * upstream until it drains.
   */
  private void flush() {
    if (pending == null || response.closed()) {
      pending = null;
      return;
    }
    response.write(takePending());
    if (response.writeQueueFull() && winner != null && !done) {
      UpstreamStream paused = winner.stream;
      paused.pause();
      response.drainHandler(v -> paused.resume());
    }
  }

  /**
   * Frames one chunk as {@code data: <json>\n\n}. Compact JSON never holds a raw line break, so one
   * data line is always enough and the bytes go out without a second copy.
   */
  private static Buffer appendData(Buffer out, ChatCompletionChunk chunk) {
    return out.appendBytes(DATA).appendBytes(ApiJson.bytes(chunk)).appendBytes(END);
  }

  /** The 200 head; {@code inFlightUpstreamNanos} is the serving attempt's wait so far. */
  private void writeHead(long inFlightUpstreamNanos) {
    if (headWritten) {
      return;
    }
    headWritten = true;
    response
        .setStatusCode(200)
        .setChunked(true)
        .putHeader("content-type", "text/event-stream")
        .putHeader("cache-control", "no-cache")
        .putHeader("x-accel-buffering", "no")
        .putHeader("x-generation-id", ex.generationId)
        .putHeader("x-switchboard-overhead-ms", ex.overheadMs(Math.max(0, inFlightUpstreamNanos)));
    pending().appendBytes(PROCESSING);
  }

  private void complete(Leg leg) {
    done = true;
    cancelKeepalive();
    long generationMs = leg.slot.elapsedMs();
    long ttftMs =
        leg.firstEventNanos == 0
            ? generationMs
            : (leg.firstEventNanos - leg.slot.startNanos()) / 1_000_000;
    attempts.succeeded(leg.slot, 200);
    Usage finalUsage = leg.usageSoFar();
    Outcomes.success(services.stats(), leg.c, ttftMs, finalUsage.completionTokens(), generationMs);
    attempts.stickIfCached(leg.c, finalUsage.cachedTokens() > 0);
    boolean noCharge =
        leg.finishReason == FinishReason.ERROR
            || (finalUsage.completionTokens() == 0 && leg.finishReason == null);
    Cost cost = CostCalculator.cost(leg.c.endpoint().pricing(), finalUsage, noCharge);
    writeHead(0);
    Buffer out = takePending();
    ChatCompletionChunk usageChunk = leg.encoder.usageChunk(UsageMapper.toApi(finalUsage, cost));
    if (ex.metadataRequested) {
      usageChunk = withMetadata(usageChunk, leg.c);
    }
    appendData(out, usageChunk);
    out.appendBytes(SseWriter.done());
    response.end(out);
    recorder.record(
        ex,
        leg.c,
        GenerationRecorder.Outcome.success(
            leg.upstreamId,
            leg.finishReason,
            leg.nativeFinishReason,
            finalUsage,
            cost,
            true,
            false,
            generationMs));
  }

  private ChatCompletionChunk withMetadata(ChatCompletionChunk chunk, Candidate served) {
    return new ChatCompletionChunk(
        chunk.id(),
        chunk.provider(),
        chunk.model(),
        chunk.object(),
        chunk.created(),
        chunk.choices(),
        chunk.systemFingerprint(),
        chunk.serviceTier(),
        chunk.usage(),
        chunk.error(),
        RoutingMetadata.withMetadata(chunk.extra(), RoutingMetadata.of(ex, served)));
  }

  /** Every candidate failed (or the serving one failed after the commit point). */
  private void giveUp(GatewayError error) {
    if (done) {
      return;
    }
    if (dataStarted || headWritten) {
      failInBand(error);
      return;
    }
    done = true;
    cancelKeepalive();
    ErrorRenderer.render(
        response, error, ex.metadataRequested ? RoutingMetadata.of(ex, null) : null);
    recorder.record(ex, null, GenerationRecorder.Outcome.failure(error, true, false));
  }

  private void failInBand(GatewayError error) {
    done = true;
    cancelKeepalive();
    ErrorRenderer.logOnce(error);
    Leg leg = winner != null ? winner : lastLeg;
    Candidate c = leg == null ? ex.candidates.getFirst() : leg.c;
    OpenAiChunkEncoder enc =
        leg != null
            ? leg.encoder
            : new OpenAiChunkEncoder(
                ex.generationId, c.model().id(), c.providerName(), ex.createdEpochSeconds);
    writeHead(0);
    Buffer out = takePending();
    response.end(appendData(out, enc.errorChunk(ErrorRenderer.body(error))));
    Usage partial = winner != null ? winner.usageSoFar() : Usage.ZERO;
    Cost cost =
        winner == null ? Cost.ZERO : CostCalculator.cost(c.endpoint().pricing(), partial, true);
    recorder.record(
        ex,
        dataStarted ? c : null,
        GenerationRecorder.Outcome.partial(
            winner == null ? null : winner.upstreamId, error, partial, cost, true, false));
  }

  private void clientGone() {
    if (done) {
      return;
    }
    done = true;
    cancelKeepalive();
    attempts.cancelAll();
    Usage partial = winner != null ? winner.usageSoFar() : Usage.ZERO;
    Cost cost =
        dataStarted && winner != null
            ? CostCalculator.cost(winner.c.endpoint().pricing(), partial, false)
            : Cost.ZERO;
    GatewayError error =
        GatewayError.of(FailureClass.CLIENT_CLOSED, 499, "Client closed the connection");
    recorder.record(
        ex,
        dataStarted && winner != null ? winner.c : null,
        GenerationRecorder.Outcome.partial(
            winner == null ? null : winner.upstreamId, error, partial, cost, true, true));
  }

  // ---- keep-alive ------------------------------------------------------------------------

  private void scheduleKeepalive() {
    long every = services.config().stream().keepaliveMs();
    keepaliveTimer =
        vertx.setTimer(
            every,
            t -> {
              if (done || dataStarted) {
                return;
              }
              if (!headWritten) {
                writeHead(0);
              } else {
                pending().appendBytes(PROCESSING);
              }
              flush();
              scheduleKeepalive();
            });
  }

  private void cancelKeepalive() {
    if (keepaliveTimer >= 0) {
      vertx.cancelTimer(keepaliveTimer);
      keepaliveTimer = -1;
    }
  }
}
