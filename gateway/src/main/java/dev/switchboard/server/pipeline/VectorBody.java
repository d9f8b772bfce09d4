package dev.switchboard.server.pipeline;

import dev.switchboard.core.error.FailureClass;
import dev.switchboard.core.error.GatewayError;
import dev.switchboard.core.error.GatewayException;
import dev.switchboard.core.model.Embedding;
import dev.switchboard.core.model.EmbeddingResponse;
import dev.switchboard.core.provider.Embeddings;
import dev.switchboard.core.provider.EmbeddingsReader;
import dev.switchboard.server.inbound.ErrorEnvelope;
import dev.switchboard.server.inbound.InboundDialect;
import dev.switchboard.server.routing.Attempt;
import dev.switchboard.server.routing.Candidate;
import dev.switchboard.server.routing.Outcomes;
import dev.switchboard.server.upstream.UpstreamStream;
import io.vertx.core.buffer.Buffer;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads a 2xx embeddings body of one attempt as it arrives and passes the vectors through: each
 * chunk (its own bytes, not a copy) goes to the adapter's {@link EmbeddingsReader}, and each vector
 * it completes is encoded by the inbound dialect straight into a block for the client, handed over
 * as it is and written when {@link #WRITE_BYTES} are queued, the head and the first vectors at once
 * (a 100-input batch of 1,536 floats went out in about 100 writes of one vector each, now in about
 * 30) and at the end; when the client's socket is full the upstream is paused until it drains. The
 * gateway holds a chunk, a vector and at most {@link #WRITE_BYTES} queued, not the body. The first
 * vector claims the request, sends the client's 200 head (chunked) and the answer's head, and is
 * the commit point: a failure before it (an error status, a body that does not start as an answer)
 * falls back like any failure; a failure after it (the upstream cut mid-body, a malformed vector,
 * fewer vectors than inputs) ends the request failed, and stage 9 breaks off the client's
 * connection ({@link ClientChannel#abort}) so that the client never takes a short list for a whole
 * one. The usage and cost are written at the end (stage 9, {@link Respond}).
 */
final class VectorBody {

  private final AttemptLauncher launcher;
  private final Attempt attempt;
  private final Candidate c;
  private final UpstreamStream stream;
  private final Exchange ex;
  private final EmbeddingsReader reader;

  /** The bytes queued for the client before a write. */
  static final int WRITE_BYTES = 64 * 1024;

  private final Production production = Production.vectorStream();
  private Block block; // vectors written since the last write; null when none
  private boolean wrote; // whether the head went out
  private InboundDialect.VectorEncoder encoder;
  private boolean over;

  VectorBody(AttemptLauncher launcher, Attempt attempt, UpstreamStream stream, Exchange ex) {
    this.launcher = launcher;
    this.attempt = attempt;
    this.c = attempt.candidate();
    this.stream = stream;
    this.ex = ex;
    this.reader =
        ((Embeddings) c.adapter()).embeddingsReader(ex.request(), c.target(), this::vector);
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
      // The chunk's own bytes, not a copy: the reader keeps nothing of them beyond the call.
      reader.feed(((io.vertx.core.internal.buffer.BufferInternal) chunk).getByteBuf().nioBuffer());
    } catch (RuntimeException e) {
      failReading(e);
      return;
    }
    if (live() && block != null && (block.size() >= WRITE_BYTES || !wrote)) {
      wrote = true; // the head and the first vectors go out at once
      queueBlock();
      if (!ex.client().flush(stream::resume)) {
        stream.pause();
      }
    }
  }

  /** Hands the vectors written so far to the client (not sent before a flush); a new block next. */
  private void queueBlock() {
    if (block != null) {
      ex.client().append(block.array(), block.size());
      block = null;
    }
  }

  /** A classified error as it is; anything else the reader threw is a bad upstream answer. */
  private void failReading(RuntimeException e) {
    fail(
        e instanceof GatewayException g
            ? g.error()
            : reader.bad(String.valueOf(e.getMessage())).error());
  }

  /** A vector the reader completed: the first sends the heads. */
  private void vector(int index, Embedding vector) {
    if (!live()) {
      return;
    }
    if (encoder == null) {
      if (!launcher.commitVectors(attempt, production)) {
        over = true;
        stream.cancel();
        return;
      }
      encoder = ex.dialect().newVectorEncoder(StreamReply.stamp(ex, c));
      writeHead();
    }
    if (block == null) {
      block = new Block();
    }
    encoder.vector(index, vector, block);
  }

  /**
   * Where the vectors are written, and then handed to the client as they are: one copy of each
   * vector from the reader's window, none at the flush (it was three: the encoder's buffer, its
   * array, the client's join of about three vectors a write).
   */
  private static final class Block extends java.io.ByteArrayOutputStream {
    Block() {
      super(WRITE_BYTES + WRITE_BYTES / 2);
    }

    byte[] array() {
      return buf;
    }
  }

  private void writeHead() {
    Map<String, String> headers = new LinkedHashMap<>(ex.responseHeaders());
    headers.put("content-type", "application/json");
    headers.put("x-generation-id", ex.generationId());
    // The gateway's own time up to the head (the upstream's wait so far excluded); the whole
    // answer's goes in the trailer of the same name (Respond).
    headers.put(
        "x-switchboard-overhead-ms",
        ex.overheadMs(Math.max(0, System.nanoTime() - attempt.startNanos())));
    headers.put("trailer", "x-switchboard-overhead-ms");
    ex.client().startStream(headers);
    ex.client().append(encoder.head());
  }

  private void onEnd() {
    if (!live()) {
      return;
    }
    EmbeddingResponse end;
    try {
      end = reader.end();
    } catch (RuntimeException e) {
      failReading(e);
      return;
    }
    if (encoder == null) { // an answer without vectors cannot pass the reader; kept for safety
      fail(reader.bad("no vectors").error());
      return;
    }
    queueBlock(); // the tail follows (Respond)
    production.vectorsEnded(end, encoder);
    long now = System.nanoTime();
    long generationMs = (now - attempt.startNanos()) / 1_000_000;
    long headMs = (stream.headNanos() - attempt.startNanos()) / 1_000_000;
    launcher.answered(attempt, production, Outcomes.Sample.whole(headMs, generationMs, 0));
  }

  private void onError(Throwable err) {
    if (!live()) {
      return;
    }
    GatewayError error = ErrorEnvelope.from(err).withProvider(c.providerName());
    if (error.kind() == FailureClass.UPSTREAM_TRANSIENT) {
      error =
          AttemptLauncher.badStream(
              c,
              "upstream connection broke mid-body after "
                  + reader.count()
                  + " vectors: "
                  + error.message());
    }
    fail(error);
  }

  private void fail(GatewayError error) {
    over = true;
    stream.cancel();
    launcher.failed(attempt, error, 200);
  }
}
