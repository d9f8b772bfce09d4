package dev.switchboard.server.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.core.error.GatewayError;
import dev.switchboard.core.model.StreamEvent;
import dev.switchboard.server.inbound.InboundDialect;
import dev.switchboard.server.inbound.Stamp;
import dev.switchboard.server.routing.Attempt;
import dev.switchboard.server.routing.Candidate;
import dev.switchboard.server.routing.Scheduler;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The client's side of a streamed answer while stage 6 runs: each event of the serving attempt
 * passes the after-model plugins (stage 7) and the inbound dialect's encoder (stage 9) and is
 * queued for the client; the 200 head goes out with the first output (or with the first keep-alive,
 * when the first token is slow). Until the first output, the dialect's keep-alive goes out every
 * {@code stream.keepalive-ms}. At the end, stage 9 writes the usage frame and the closing frame
 * ({@link #finish}), or the in-band error ({@link #fail}). Confined to the event loop.
 */
final class StreamReply {

  private static final Runnable NOTHING = () -> {};

  private final Exchange ex;
  private final InboundDialect dialect;
  private final ClientChannel client;
  private final Plugins plugins;
  private final Scheduler scheduler;
  private final long keepaliveMs;
  private final Consumer<byte[]> data = this::data;
  private final Consumer<byte[]> raw;
  private final Consumer<StreamEvent> encode = this::encode;
  private InboundDialect.StreamEncoder encoder;
  private Attempt encoderFor;
  private Attempt current;
  private Production currentProduction;
  private boolean headWritten;
  private boolean output;
  private boolean ended;
  private Scheduler.Timer keepalive;

  StreamReply(Exchange ex, Plugins plugins, Scheduler scheduler, long keepaliveMs) {
    this.ex = ex;
    this.dialect = ex.dialect();
    this.client = ex.client();
    this.raw = client::append;
    this.plugins = plugins;
    this.scheduler = scheduler;
    this.keepaliveMs = keepaliveMs;
  }

  /** Starts the keep-alive. */
  void start() {
    scheduleKeepalive();
  }

  /**
   * One event of {@code attempt}, which has claimed the request. True once the client has been sent
   * output (not just a keep-alive) by this stream.
   */
  boolean event(Attempt attempt, Production production, StreamEvent event) {
    if (!ended) {
      current = attempt;
      currentProduction = production;
      plugins.afterModel(ex, event, encode);
    }
    return output;
  }

  /**
   * {@code debug.echo_upstream_body}: one frame per attempt, before its output, with the body sent
   * to its upstream. It is not output: the stream may still fall back to another candidate.
   */
  void debugEcho(Attempt attempt, JsonNode upstreamBody) {
    if (ended) {
      return;
    }
    writeHead(0);
    encoderFor(attempt).debug(upstreamBody, client::append);
    client.flush(NOTHING);
  }

  /** Sends what is queued; false when the client's socket is full ({@code onDrain} follows). */
  boolean flush(Runnable onDrain) {
    return ended || client.flush(onDrain);
  }

  /**
   * Stage 9 of a streamed answer: usage with its cost, the routing metadata when asked, the end.
   */
  void finish(Attempt served, Bill bill, JsonNode routingMetadata) {
    stop();
    writeHead(0);
    encoderFor(served).finish(bill.usage(), bill.cost(), routingMetadata, raw);
    client.end();
  }

  /**
   * Stage 9 of a stream that failed after its head went out: the in-band error, no closing frame.
   */
  void fail(GatewayError error, Attempt served) {
    stop();
    InboundDialect.StreamEncoder enc;
    if (served != null) {
      enc = encoderFor(served);
    } else if (encoder != null) {
      enc = encoder;
    } else {
      enc = dialect.newStreamEncoder(stamp(ex, fallbackCandidate()));
    }
    writeHead(0);
    enc.error(error, raw);
    client.end();
  }

  /** Nothing more goes out from here (the answer is written elsewhere, or the client left). */
  void stop() {
    ended = true;
    if (keepalive != null) {
      keepalive.cancel();
      keepalive = null;
    }
  }

  boolean headWritten() {
    return headWritten;
  }

  private void encode(StreamEvent event) {
    encoderFor(current).event(event, data);
  }

  /** Output bytes: the first ones send the head and end the keep-alive. */
  private void data(byte[] bytes) {
    if (!output) {
      output = true;
      if (keepalive != null) {
        keepalive.cancel();
        keepalive = null;
      }
      long first = currentProduction.firstBytesNanos();
      writeHead(first == 0 ? 0 : first - current.startNanos());
    }
    client.append(bytes);
  }

  private InboundDialect.StreamEncoder encoderFor(Attempt attempt) {
    if (encoder == null || encoderFor != attempt) {
      encoder = dialect.newStreamEncoder(stamp(ex, attempt.candidate()));
      encoderFor = attempt;
    }
    return encoder;
  }

  private Candidate fallbackCandidate() {
    var attempts = ex.attempts();
    return attempts.isEmpty() ? ex.candidates().getFirst() : attempts.getLast().candidate();
  }

  static Stamp stamp(Exchange ex, Candidate served) {
    return new Stamp(
        ex.generationId(),
        served.model().id(),
        served.providerName(),
        ex.createdEpochSeconds(),
        ex.includeReasoning(),
        ex.request());
  }

  /** The 200 head; {@code inFlightUpstreamNanos} is the serving attempt's wait so far. */
  private void writeHead(long inFlightUpstreamNanos) {
    if (headWritten) {
      return;
    }
    headWritten = true;
    Map<String, String> headers = new java.util.LinkedHashMap<>(ex.responseHeaders());
    headers.put("content-type", "text/event-stream");
    headers.put("cache-control", "no-cache");
    headers.put("x-accel-buffering", "no");
    headers.put("x-generation-id", ex.generationId());
    headers.put("x-switchboard-overhead-ms", ex.overheadMs(Math.max(0, inFlightUpstreamNanos)));
    client.startStream(headers);
    client.append(dialect.keepalive());
  }

  private void scheduleKeepalive() {
    keepalive =
        scheduler.schedule(
            keepaliveMs,
            () -> {
              keepalive = null;
              if (ended || output) {
                return;
              }
              if (!headWritten) {
                writeHead(0);
              } else {
                client.append(dialect.keepalive());
              }
              client.flush(NOTHING);
              scheduleKeepalive();
            });
  }
}
