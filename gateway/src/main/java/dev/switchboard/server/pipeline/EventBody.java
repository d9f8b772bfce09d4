package dev.switchboard.server.pipeline;

import dev.switchboard.core.error.FailureClass;
import dev.switchboard.core.error.GatewayError;
import dev.switchboard.core.model.LlmRequest;
import dev.switchboard.core.model.StreamEvent;
import dev.switchboard.core.provider.StreamDecoder;
import dev.switchboard.server.inbound.ErrorEnvelope;
import dev.switchboard.server.routing.Attempt;
import dev.switchboard.server.routing.Candidate;
import dev.switchboard.server.routing.Outcomes;
import dev.switchboard.server.upstream.UpstreamStream;
import dev.switchboard.sse.SseEvent;
import dev.switchboard.sse.SseException;
import dev.switchboard.sse.SseReader;
import io.vertx.core.buffer.Buffer;
import java.util.List;

/**
 * Reads a 2xx event-stream body of one attempt: SSE, then the adapter's {@link StreamDecoder}, then
 * each canonical event tallied into the attempt's {@link Production}. The first event a client
 * would see claims the request for this attempt (a hedge partner is cancelled); from then on its
 * events go to the client through the {@link AttemptLauncher}, batched per turn of the event loop
 * (every upstream read of one wake-up in one write), and when the client's socket is full this
 * upstream is paused until it drains. A failure (an error event, a malformed chunk, a cut, a stream
 * that closes before it finished) is reported to the loop, which falls back before the commit point
 * and gives up after it.
 */
final class EventBody {

  private final AttemptLauncher launcher;
  private final Attempt attempt;
  private final Candidate c;
  private final UpstreamStream stream;
  private final LlmRequest request;
  private final StreamDecoder decoder;
  private final SseReader reader;
  private final Production production = Production.stream();
  private final Runnable flush = this::flushQueued;
  private boolean over;
  private boolean flushQueued;

  EventBody(AttemptLauncher launcher, Attempt attempt, UpstreamStream stream, LlmRequest request) {
    this.launcher = launcher;
    this.attempt = attempt;
    this.c = attempt.candidate();
    this.stream = stream;
    this.request = request;
    this.decoder = c.adapter().newStreamDecoder(c.target());
    this.reader = SseReader.create(this::onSse);
  }

  void read() {
    stream.read(this::onBytes, this::onEnd, this::onError);
  }

  private boolean live() {
    return !over && launcher.live(attempt);
  }

  private void onBytes(Buffer chunk) {
    if (!live()) {
      return;
    }
    production.bytesArrived(System.nanoTime());
    try {
      // The chunk's own bytes, not a copy of them (about 15 KB a stream): the reader keeps nothing
      // of what it is fed beyond the call.
      reader.feed(((io.vertx.core.internal.buffer.BufferInternal) chunk).getByteBuf().nioBuffer());
    } catch (SseException e) {
      fail(AttemptLauncher.badStream(c, e.getMessage()));
    }
    if (!flushQueued && live() && launcher.claimedBy(attempt)) {
      flushQueued = true;
      launcher.later(flush);
    }
  }

  /**
   * Sends what this attempt's reads queued for the client, once per turn of the event loop rather
   * than once per read: the reads of one wake-up (a burst of chunks comes in several socket reads)
   * leave in one write. A full client socket pauses the upstream until it drains.
   */
  private void flushQueued() {
    flushQueued = false;
    if (!over && !launcher.flush(stream::resume)) {
      stream.pause();
    }
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
      case StreamEvent.Started s -> production.started(s.upstreamId());
      case StreamEvent.UsageReported u -> {
        production.usageReported(u.usage());
        if (launcher.claimedBy(attempt)) { // for the plugins (a native web search's count)
          launcher.deliver(attempt, production, event);
        }
      }
      case StreamEvent.Failed f -> fail(f.error().withProvider(c.providerName()));
      case StreamEvent.Unknown u -> {
        if (launcher.claimedBy(attempt)) { // not output: it never claims, only follows a claim
          launcher.deliver(attempt, production, event);
        }
      }
      case StreamEvent.Finished f -> {
        production.finished(f.reason(), f.nativeReason());
        emit(event, 0);
      }
      case StreamEvent.TextDelta t -> emit(event, t.text().length());
      case StreamEvent.ToolCallDelta t -> {
        production.toolCallFragment(t.index(), t.argumentsFragment());
        emit(event, t.argumentsFragment() == null ? 0 : t.argumentsFragment().length());
      }
      case StreamEvent.ReasoningDelta r -> emit(event, r.text() == null ? 0 : r.text().length());
      case StreamEvent.RefusalDelta r -> emit(event, r.text().length());
      case StreamEvent.ToolCallStarted t -> {
        production.toolCallStarted(t.index(), t.id(), t.name());
        emit(event, 0);
      }
      case StreamEvent.Logprobs l -> emit(event, 0);
      case StreamEvent.Annotations a -> emit(event, 0);
    }
  }

  /** Client-visible output: the first one claims the request for this attempt. */
  private void emit(StreamEvent event, int chars) {
    if (!launcher.claim(attempt)) {
      return;
    }
    production.output(chars);
    launcher.deliver(attempt, production, event);
  }

  private void onEnd() {
    if (!live()) {
      return;
    }
    try {
      reader.finish();
    } catch (SseException e) {
      fail(AttemptLauncher.badStream(c, e.getMessage()));
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
    if (production.finish() == null && !decoder.finished()) {
      fail(AttemptLauncher.badStream(c, "upstream closed the stream before it finished"));
      return;
    }
    long now = System.nanoTime();
    long generationMs = (now - attempt.startNanos()) / 1_000_000;
    long ttftMs =
        production.firstBytesNanos() == 0
            ? generationMs
            : (production.firstBytesNanos() - attempt.startNanos()) / 1_000_000;
    launcher.answered(
        attempt,
        production,
        Outcomes.Sample.streamed(
            ttftMs, generationMs, production.usage(request).completionTokens()));
  }

  private void onError(Throwable err) {
    if (!live()) {
      return;
    }
    GatewayError error = ErrorEnvelope.from(err).withProvider(c.providerName());
    if (error.kind() == FailureClass.UPSTREAM_TRANSIENT) {
      error =
          AttemptLauncher.badStream(c, "upstream connection broke mid-stream: " + error.message());
    }
    fail(error);
  }

  private void fail(GatewayError error) {
    over = true;
    stream.cancel();
    launcher.failed(attempt, error, 200);
  }
}
