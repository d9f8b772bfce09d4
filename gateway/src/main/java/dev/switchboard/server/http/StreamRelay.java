package dev.switchboard.server.http;

import dev.switchboard.api.chat.ChatCompletionChunk;
import dev.switchboard.api.json.ApiJson;
import dev.switchboard.core.error.FailureClass;
import dev.switchboard.core.error.GatewayError;
import dev.switchboard.core.error.GatewayException;
import dev.switchboard.core.model.FinishReason;
import dev.switchboard.core.model.StreamEvent;
import dev.switchboard.core.model.Usage;
import dev.switchboard.core.openai.OpenAiChunkEncoder;
import dev.switchboard.core.provider.HttpCall;
import dev.switchboard.core.provider.StreamDecoder;
import dev.switchboard.server.metering.Cost;
import dev.switchboard.server.metering.CostCalculator;
import dev.switchboard.server.metering.UsageEstimator;
import dev.switchboard.server.routing.Attempt;
import dev.switchboard.server.routing.Candidate;
import dev.switchboard.server.upstream.UpstreamClient;
import dev.switchboard.server.upstream.UpstreamStream;
import dev.switchboard.sse.SseEvent;
import dev.switchboard.sse.SseException;
import dev.switchboard.sse.SseReader;
import dev.switchboard.sse.SseWriter;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import java.util.List;

/**
 * A streamed completion, from upstream SSE to client SSE, with the commit point of the
 * architecture:
 *
 * <ul>
 *   <li>Until the first data chunk reaches the client, a failure moves on to the next candidate
 *       (when its class allows); with no candidate left it is a normal JSON error with its status,
 *       or, if the keep-alive already sent the 200 head, one in-band error chunk.
 *   <li>While waiting, {@code : OPENROUTER PROCESSING} comments go out every {@code keepalive-ms}.
 *   <li>After the first data chunk, a failure ends the stream with the in-band error chunk of
 *       checklist 47 and no {@code [DONE]}.
 *   <li>On success: the chunks, then one usage chunk with {@code choices: []}, then {@code [DONE]}.
 * </ul>
 *
 * Back-pressure: when the client's socket is full, the upstream is paused until it drains. A client
 * that disconnects cancels the upstream call; the generation is recorded as cancelled. Confined to
 * one event loop.
 *
 * <p>Writes are coalesced: everything framed while handling one upstream read (often many events,
 * as a fast upstream sends several per TCP segment) goes to the client in one write, so one socket
 * flush per upstream read instead of one per chunk. The bytes on the wire are the same.
 */
final class StreamRelay {

  private static final byte[] DATA = "data: ".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
  private static final byte[] END = "\n\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
  private static final byte[] PROCESSING = SseWriter.comment("OPENROUTER PROCESSING");

  private final Vertx vertx;
  private final Services services;
  private final UpstreamClient upstream;
  private final GenerationRecorder recorder;
  private final Exchange ex;
  private final HttpServerResponse response;

  private int index = -1;
  private Candidate current;
  private UpstreamStream stream;
  private StreamDecoder decoder;
  private OpenAiChunkEncoder encoder;
  private SseReader reader;
  private long attemptStartNanos;
  private long firstEventNanos;

  private boolean headWritten;
  private boolean dataStarted;

  /** Bytes framed for the client and not written yet; see {@link #flush()}. */
  private Buffer pending;

  private boolean done;
  private long keepaliveTimer = -1;

  private String upstreamId;
  private FinishReason finishReason;
  private String nativeFinishReason;
  private Usage usage;
  private long outputChars;

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
  }

  void start() {
    response.closeHandler(v -> clientGone());
    scheduleKeepalive();
    next(null);
  }

  // ---- candidates ------------------------------------------------------------------------

  private void next(GatewayError previous) {
    if (done) {
      return;
    }
    index++;
    if (index >= ex.candidates.size()) {
      failBeforeData(previous);
      return;
    }
    current = ex.candidates.get(index);
    HttpCall call;
    try {
      call = current.adapter().encode(ex.request, current.target());
    } catch (GatewayException e) {
      failBeforeData(e.error());
      return;
    }
    attemptStartNanos = System.nanoTime();
    firstEventNanos = 0;
    Candidate c = current;
    upstream
        .open(call)
        .onComplete(
            ar -> {
              if (done || c != current) {
                if (ar.succeeded()) {
                  ar.result().cancel();
                }
                return;
              }
              if (ar.failed()) {
                attemptFailed(ErrorRenderer.from(ar.cause()).withProvider(c.providerName()), null);
                return;
              }
              UpstreamStream s = ar.result();
              if (s.status() / 100 != 2) {
                s.collect()
                    .onComplete(
                        body -> {
                          if (done || c != current) {
                            return;
                          }
                          GatewayError err =
                              body.succeeded()
                                  ? c.adapter().classify(body.result(), c.target())
                                  : ErrorRenderer.from(body.cause()).withProvider(c.providerName());
                          attemptFailed(err, s.status());
                        });
                return;
              }
              begin(c, s);
            });
  }

  private void begin(Candidate c, UpstreamStream s) {
    stream = s;
    decoder = c.adapter().newStreamDecoder(c.target());
    encoder =
        new OpenAiChunkEncoder(
            ex.generationId,
            c.model().id(),
            c.providerName(),
            ex.createdEpochSeconds,
            ex.includeReasoning());
    reader = SseReader.create(this::onSse);
    s.read(this::onBytes, this::onUpstreamEnd, this::onUpstreamError);
  }

  private void attemptFailed(GatewayError error, Integer status) {
    ex.upstreamNanos += System.nanoTime() - attemptStartNanos;
    ex.attempts.add(attempt(current, status, error));
    if (stream != null) {
      stream.cancel();
      stream = null;
    }
    if (!dataStarted && error.kind().triesNextCandidate()) {
      next(error);
    } else if (!dataStarted) {
      failBeforeData(error);
    } else {
      failInBand(error);
    }
  }

  // ---- upstream events ---------------------------------------------------------------------

  private void onBytes(Buffer chunk) {
    if (done) {
      return;
    }
    if (firstEventNanos == 0) {
      firstEventNanos = System.nanoTime();
    }
    try {
      reader.feed(chunk.getBytes());
    } catch (SseException e) {
      attemptFailed(badStream(e.getMessage()), 200);
    }
    flush();
  }

  private void onSse(SseEvent event) {
    if (done) {
      return;
    }
    List<StreamEvent> events = decoder.onEvent(event);
    for (int i = 0; i < events.size() && !done; i++) {
      onEvent(events.get(i));
    }
  }

  private void onEvent(StreamEvent event) {
    switch (event) {
      case StreamEvent.Started s -> upstreamId = s.upstreamId();
      case StreamEvent.UsageReported u -> usage = u.usage();
      case StreamEvent.Failed f ->
          attemptFailed(f.error().withProvider(current.providerName()), 200);
      case StreamEvent.Finished f -> {
        finishReason = f.reason();
        nativeFinishReason = f.nativeReason();
        write(encoder.encode(event));
      }
      case StreamEvent.TextDelta t -> {
        outputChars += t.text().length();
        write(encoder.encode(event));
      }
      case StreamEvent.ToolCallDelta t -> {
        outputChars += t.argumentsFragment() == null ? 0 : t.argumentsFragment().length();
        write(encoder.encode(event));
      }
      case StreamEvent.ReasoningDelta r -> {
        outputChars += r.text() == null ? 0 : r.text().length();
        write(encoder.encode(event));
      }
      case StreamEvent.RefusalDelta r -> {
        outputChars += r.text().length();
        write(encoder.encode(event));
      }
      case StreamEvent.ToolCallStarted t -> write(encoder.encode(event));
      case StreamEvent.Logprobs l -> write(encoder.encode(event));
      case StreamEvent.Annotations a -> write(encoder.encode(event));
    }
  }

  private void onUpstreamEnd() {
    if (done) {
      return;
    }
    try {
      reader.finish();
    } catch (SseException e) {
      attemptFailed(badStream(e.getMessage()), 200);
      return;
    }
    for (StreamEvent e : decoder.onEnd()) {
      if (done) {
        return;
      }
      onEvent(e);
    }
    if (done) {
      return;
    }
    if (finishReason == null && !decoder.finished()) {
      attemptFailed(badStream("upstream closed the stream before it finished"), 200);
      return;
    }
    complete();
  }

  private void onUpstreamError(Throwable err) {
    if (done) {
      return;
    }
    GatewayError error = ErrorRenderer.from(err).withProvider(current.providerName());
    if (error.kind() == FailureClass.UPSTREAM_TRANSIENT) {
      error = badStream("upstream connection broke mid-stream: " + error.message());
    }
    attemptFailed(error, 200);
  }

  private GatewayError badStream(String detail) {
    return GatewayError.upstream(
            FailureClass.UPSTREAM_BAD_RESPONSE, 502, current.providerName(), null, detail, null)
        .withMetadata("error_type", "provider_unavailable");
  }

  // ---- to the client ---------------------------------------------------------------------

  private void write(List<ChatCompletionChunk> chunks) {
    if (chunks.isEmpty() || done) {
      return;
    }
    if (!dataStarted) {
      dataStarted = true;
      ex.upstreamNanos += firstEventNanos - attemptStartNanos;
      cancelKeepalive();
    }
    writeHead();
    Buffer out = pending();
    for (ChatCompletionChunk chunk : chunks) {
      appendData(out, chunk);
    }
  }

  /** The buffer that collects what goes to the client next. */
  private Buffer pending() {
    if (pending == null) {
      pending = Buffer.buffer(1024);
    }
    return pending;
  }

  /** Takes what is pending (possibly an empty buffer), leaving nothing pending. */
  private Buffer takePending() {
    Buffer out = pending != null ? pending : Buffer.buffer(512);
    pending = null;
    return out;
  }

  /**
   * Writes what is pending in one write; when the client's socket is then full, pauses the upstream
   * until it drains.
   */
  private void flush() {
    if (pending == null || response.closed()) {
      pending = null;
      return;
    }
    response.write(takePending());
    if (response.writeQueueFull() && stream != null && !done) {
      UpstreamStream paused = stream;
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

  private void writeHead() {
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
        .putHeader("x-switchboard-overhead-ms", ex.overheadMs());
    pending().appendBytes(PROCESSING);
  }

  private void complete() {
    done = true;
    cancelKeepalive();
    long generationMs = (System.nanoTime() - attemptStartNanos) / 1_000_000;
    ex.attempts.add(attempt(current, 200, null));
    Usage finalUsage = usage != null ? usage : UsageEstimator.estimate(ex.request, outputChars);
    boolean noCharge =
        finishReason == FinishReason.ERROR
            || (finalUsage.completionTokens() == 0 && finishReason == null);
    Cost cost = CostCalculator.cost(current.endpoint().pricing(), finalUsage, noCharge);
    writeHead();
    Buffer out = takePending();
    appendData(out, encoder.usageChunk(UsageMapper.toApi(finalUsage, cost)));
    out.appendBytes(SseWriter.done());
    response.end(out);
    recorder.record(
        ex,
        current,
        GenerationRecorder.Outcome.success(
            upstreamId,
            finishReason,
            nativeFinishReason,
            finalUsage,
            cost,
            true,
            false,
            generationMs));
  }

  private void failBeforeData(GatewayError error) {
    if (headWritten) {
      failInBand(error);
      return;
    }
    done = true;
    cancelKeepalive();
    ErrorRenderer.render(response, error);
    recorder.record(ex, null, GenerationRecorder.Outcome.failure(error, true, false));
  }

  private void failInBand(GatewayError error) {
    done = true;
    cancelKeepalive();
    ErrorRenderer.logOnce(error);
    if (stream != null) {
      stream.cancel();
    }
    OpenAiChunkEncoder enc =
        encoder != null
            ? encoder
            : new OpenAiChunkEncoder(
                ex.generationId,
                current == null ? ex.request.model() : current.model().id(),
                current == null ? null : current.providerName(),
                ex.createdEpochSeconds);
    writeHead();
    response.end(appendData(takePending(), enc.errorChunk(ErrorRenderer.body(error))));
    Usage partial = usage != null ? usage : UsageEstimator.estimate(ex.request, outputChars);
    Cost cost =
        current == null
            ? Cost.ZERO
            : CostCalculator.cost(current.endpoint().pricing(), partial, true);
    recorder.record(
        ex,
        dataStarted ? current : null,
        GenerationRecorder.Outcome.partial(upstreamId, error, partial, cost, true, false));
  }

  private void clientGone() {
    if (done) {
      return;
    }
    done = true;
    pending = null;
    cancelKeepalive();
    if (stream != null) {
      stream.cancel();
    }
    Usage partial = usage != null ? usage : UsageEstimator.estimate(ex.request, outputChars);
    Cost cost =
        dataStarted && current != null
            ? CostCalculator.cost(current.endpoint().pricing(), partial, false)
            : Cost.ZERO;
    GatewayError error =
        GatewayError.of(FailureClass.CLIENT_CLOSED, 499, "Client closed the connection");
    recorder.record(
        ex,
        dataStarted ? current : null,
        GenerationRecorder.Outcome.partial(upstreamId, error, partial, cost, true, true));
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
                writeHead();
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

  private Attempt attempt(Candidate c, Integer status, GatewayError error) {
    return new Attempt(
        c.providerName(),
        c.target().providerSlug(),
        c.model().id(),
        status,
        error == null ? null : error.kind(),
        (System.nanoTime() - attemptStartNanos) / 1_000_000);
  }
}
