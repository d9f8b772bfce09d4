package dev.switchboard.server.pipeline;

import dev.switchboard.core.model.EmbeddingResponse;
import dev.switchboard.core.model.FinishReason;
import dev.switchboard.core.model.LlmRequest;
import dev.switchboard.core.model.LlmResponse;
import dev.switchboard.core.model.Usage;
import dev.switchboard.server.inbound.InboundDialect;
import dev.switchboard.server.metering.UsageEstimator;

/**
 * What one attempt produced, as settlement and the reply need it: a whole answer, or the tally of a
 * stream so far (its upstream id, finish reason, reported usage and how many characters of output
 * it gave). A stream that ends without reported usage is billed on an estimate from that count.
 * Confined to the request's event loop.
 */
public final class Production {

  private LlmResponse whole;
  private EmbeddingResponse vectors;
  private InboundDialect.VectorEncoder vectorEncoder;
  private String upstreamId;
  private FinishReason finish;
  private String nativeFinish;
  private Usage reported;
  private long outputChars;
  private long firstBytesNanos;
  // The tool calls of a stream, by index: name and arguments so far (for the :exacto statistics).
  private java.util.TreeMap<Integer, String[]> streamedCalls;

  private Production() {}

  /** A whole (non-streamed) answer. */
  static Production whole(LlmResponse answer) {
    Production p = new Production();
    p.answer(answer);
    return p;
  }

  /**
   * The vectors of an embeddings request, going to the client as they arrive: nothing reported
   * until the upstream's body has ended ({@link #vectorsEnded}).
   */
  static Production vectorStream() {
    return new Production();
  }

  /**
   * The upstream's embeddings body ended with every vector sent: a whole answer with no text,
   * finished (so that it is billed for its prompt tokens although it has no completion); {@code
   * encoder} writes the answer's tail.
   */
  void vectorsEnded(EmbeddingResponse end, InboundDialect.VectorEncoder encoder) {
    this.vectors = end;
    this.vectorEncoder = encoder;
    this.finish = FinishReason.STOP;
    this.reported = end.usage();
  }

  /** The model and usage of an embeddings answer whose vectors went out; null otherwise. */
  public EmbeddingResponse vectors() {
    return vectors;
  }

  /** The encoder of an embeddings answer whose head and vectors went out; null otherwise. */
  InboundDialect.VectorEncoder vectorEncoder() {
    return vectorEncoder;
  }

  /**
   * Nothing produced beyond what the request's finished rounds hold: zero usage, no answer (the
   * server-tool loop stopped by its budget; its rounds are billed as rounds).
   */
  static Production nothingMore() {
    Production p = new Production();
    p.reported = Usage.ZERO;
    return p;
  }

  /** A stream, tallied as its events come. */
  static Production stream() {
    return new Production();
  }

  /** The whole answer (after the after-model stage, when it changed it); null for a stream. */
  public LlmResponse whole() {
    return whole;
  }

  public String upstreamId() {
    return upstreamId;
  }

  public FinishReason finish() {
    return finish;
  }

  public String nativeFinish() {
    return nativeFinish;
  }

  /** The usage the upstream reported, else an estimate (flagged) from the output so far. */
  public Usage usage(LlmRequest request) {
    return reported != null ? reported : UsageEstimator.estimate(request, outputChars);
  }

  /** When the first bytes of the body arrived ({@code System.nanoTime()}), or 0. */
  long firstBytesNanos() {
    return firstBytesNanos;
  }

  void answer(LlmResponse answer) {
    this.whole = answer;
    this.upstreamId = answer.upstreamId();
    this.finish = answer.finishReason();
    this.nativeFinish = answer.nativeFinishReason();
    this.reported = answer.usage();
  }

  void bytesArrived(long nowNanos) {
    if (firstBytesNanos == 0) {
      firstBytesNanos = nowNanos;
    }
  }

  void started(String upstreamId) {
    this.upstreamId = upstreamId;
  }

  void usageReported(Usage usage) {
    this.reported = usage;
  }

  void finished(FinishReason reason, String nativeReason) {
    this.finish = reason;
    this.nativeFinish = nativeReason;
  }

  void output(int chars) {
    outputChars += chars;
  }

  void toolCallStarted(int index, String id, String name) {
    if (streamedCalls == null) {
      streamedCalls = new java.util.TreeMap<>();
    }
    streamedCalls.put(index, new String[] {id, name, ""});
  }

  void toolCallFragment(int index, String fragment) {
    if (streamedCalls == null || fragment == null) {
      return;
    }
    String[] call = streamedCalls.get(index);
    if (call != null) {
      call[2] = call[2] + fragment;
    }
  }

  /** The tool calls of the answer: the whole answer's, or those a stream assembled. */
  java.util.List<dev.switchboard.core.model.ToolCall> toolCalls() {
    if (whole != null) {
      return whole.toolCalls();
    }
    if (streamedCalls == null) {
      return java.util.List.of();
    }
    return streamedCalls.values().stream()
        .map(c -> new dev.switchboard.core.model.ToolCall(c[0], c[1], c[2]))
        .toList();
  }
}
