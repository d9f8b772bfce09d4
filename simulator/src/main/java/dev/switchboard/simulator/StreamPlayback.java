package dev.switchboard.simulator;

import dev.switchboard.simulator.dialect.Dialect;
import dev.switchboard.simulator.dialect.Frames;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import java.util.ArrayList;
import java.util.List;

/**
 * Plays a rendered stream to the client with Vert.x timers: the first frame after the time to first
 * token, then one paced frame per 1/tps seconds (several per timer tick when the rate is above
 * 1,000/s), and applies stream faults: cut, malformed chunk, mid-stream error.
 *
 * <p>Without timing and faults the whole stream is written in one buffer: the benchmark path.
 */
final class StreamPlayback {

  private final Vertx vertx;
  private final HttpServerResponse response;
  private final String contentType;
  private final List<String> items;
  private final boolean[] paced;
  private final boolean closeAtEnd;
  private final Latency latency;
  private int next;
  private int pacedSent;
  private long startNanos;

  private StreamPlayback(
      Vertx vertx,
      HttpServerResponse response,
      String contentType,
      List<String> items,
      boolean[] paced,
      boolean closeAtEnd,
      Latency latency) {
    this.vertx = vertx;
    this.response = response;
    this.contentType = contentType;
    this.items = items;
    this.paced = paced;
    this.closeAtEnd = closeAtEnd;
    this.latency = latency;
  }

  /** Streams {@code reply} to {@code response}, applying {@code fault} (may be null). */
  static void play(
      Vertx vertx,
      HttpServerResponse response,
      String contentType,
      Dialect.Response reply,
      Fault fault,
      Latency latency) {
    Frames frames = reply.frames();
    if (fault == null && latency.tokensPerSecond() == 0) {
      Buffer all = Buffer.buffer(frames.text().toString());
      after(vertx, response, latency.ttftMs(), () -> start(response, contentType).end(all));
      return;
    }
    int limit = frames.size();
    String injected = null;
    boolean resume = true;
    boolean close = false;
    switch (fault) {
      case Fault.Cut c -> {
        limit = Math.min(c.afterChunks(), frames.chunkCount());
        resume = false;
        close = true;
      }
      case Fault.Malformed m -> {
        limit = Math.min(m.afterChunks(), frames.chunkCount());
        StringBuilder out = new StringBuilder();
        reply.appendMalformedFrame(out);
        injected = out.toString();
      }
      case Fault.ErrorEvent e -> {
        limit = Math.min(e.afterChunks(), frames.chunkCount());
        StringBuilder out = new StringBuilder();
        reply.appendErrorFrame(out, e.style() == Fault.ErrorStyle.EVENT, e.body());
        injected = out.toString();
        resume = false;
      }
      case Fault.Partial p -> {
        limit = Math.min(p.afterChunks(), frames.chunkCount());
        StringBuilder out = new StringBuilder();
        reply.appendErrorFrame(out, false, null);
        injected = out.toString();
        resume = false;
      }
      case null, default -> {}
    }
    List<String> items = new ArrayList<>(frames.size() + 1);
    boolean[] paced = new boolean[frames.size() + 1];
    for (int i = 0; i < limit; i++) {
      paced[items.size()] = frames.paced(i);
      items.add(frames.frame(i));
    }
    if (injected != null) {
      paced[items.size()] = true;
      items.add(injected);
    }
    if (resume) {
      for (int i = limit; i < frames.size(); i++) {
        paced[items.size()] = frames.paced(i);
        items.add(frames.frame(i));
      }
    }
    StreamPlayback playback =
        new StreamPlayback(vertx, response, contentType, items, paced, close, latency);
    after(vertx, response, latency.ttftMs(), playback::begin);
  }

  private void begin() {
    start(response, contentType);
    if (items.isEmpty()) {
      response.writeHead().onComplete(v -> finish());
      return;
    }
    startNanos = System.nanoTime();
    tick();
  }

  private void tick() {
    if (response.closed()) {
      return;
    }
    double tps = latency.tokensPerSecond();
    long now = System.nanoTime();
    long dueNanos = 0;
    StringBuilder batch = new StringBuilder();
    while (next < items.size()) {
      if (paced[next] && pacedSent > 0 && tps > 0) {
        dueNanos = startNanos + (long) (pacedSent * 1_000_000_000d / tps);
        if (dueNanos > now) {
          break;
        }
      }
      if (paced[next]) {
        pacedSent++;
      }
      batch.append(items.get(next++));
    }
    boolean done = next == items.size();
    if (!batch.isEmpty()) {
      response
          .write(Buffer.buffer(batch.toString()))
          .onComplete(
              v -> {
                if (done) {
                  finish();
                }
              });
    } else if (done) {
      finish();
    }
    if (!done) {
      long delayMs = Math.max(1, (dueNanos - now + 999_999) / 1_000_000);
      vertx.setTimer(delayMs, id -> tick());
    }
  }

  private void finish() {
    if (response.closed()) {
      return;
    }
    if (closeAtEnd) {
      response.reset();
    } else {
      response.end();
    }
  }

  private static HttpServerResponse start(HttpServerResponse response, String contentType) {
    return response.setStatusCode(200).setChunked(true).putHeader("content-type", contentType);
  }

  /** Runs {@code action} now, or after {@code delayMs} unless the client has gone by then. */
  static void after(Vertx vertx, HttpServerResponse response, long delayMs, Runnable action) {
    if (delayMs <= 0) {
      action.run();
      return;
    }
    long timer =
        vertx.setTimer(
            delayMs,
            id -> {
              if (!response.closed()) {
                action.run();
              }
            });
    response.closeHandler(v -> vertx.cancelTimer(timer));
  }
}
