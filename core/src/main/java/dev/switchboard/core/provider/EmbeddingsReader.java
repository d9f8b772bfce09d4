package dev.switchboard.core.provider;

import dev.switchboard.core.error.GatewayException;
import dev.switchboard.core.error.UpstreamBodies;
import dev.switchboard.core.model.EmbeddingResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.function.Function;

/**
 * An adapter's reader of one successful (2xx) embeddings body as it arrives: a {@link VectorFeed}
 * that hands each vector to its sink as soon as it is complete, and at the end the model and usage
 * the answer reported (an {@link EmbeddingResponse} without vectors: they went to the sink). A body
 * that is not a valid answer, or holds fewer vectors than inputs, throws the provider's
 * bad-response {@link GatewayException} (with the start of the body); a 2xx body that is an error
 * object throws the adapter's classification of it.
 */
public final class EmbeddingsReader {

  /** Keeps this much of the body's start for error messages. */
  private static final int HEAD = 512;

  private final VectorFeed feed;
  private final String provider;
  private final Function<VectorFeed, EmbeddingResponse> finish;
  private final byte[] head = new byte[HEAD];
  private int headLen;
  private long bytes;

  /**
   * {@code finish} reads the ended {@code feed}'s model, usage or error into the response (no
   * vectors), throwing {@link GatewayException} for an error body.
   */
  public EmbeddingsReader(
      VectorFeed feed, String provider, Function<VectorFeed, EmbeddingResponse> finish) {
    this.feed = feed;
    this.provider = provider;
    this.finish = finish;
  }

  /** The next chunk of the body; complete vectors go to the sink before it returns. */
  public void feed(byte[] chunk) {
    feed(chunk, 0, chunk.length);
  }

  /**
   * The next chunk of the body, the remaining bytes of {@code chunk} (its position advances to its
   * limit): its own array when it has one, without a copy, since nothing of it is kept beyond the
   * call (the feed copies what it needs); complete vectors go to the sink before it returns.
   */
  public void feed(ByteBuffer chunk) {
    if (chunk.hasArray()) {
      int from = chunk.arrayOffset() + chunk.position();
      feed(chunk.array(), from, from + chunk.remaining());
      chunk.position(chunk.limit());
      return;
    }
    byte[] copy = new byte[chunk.remaining()];
    chunk.get(copy);
    feed(copy, 0, copy.length);
  }

  private void feed(byte[] chunk, int from, int to) {
    if (headLen < HEAD) {
      int n = Math.min(HEAD - headLen, to - from);
      System.arraycopy(chunk, from, head, headLen, n);
      headLen += n;
    }
    bytes += to - from;
    try {
      feed.feed(chunk, from, to);
    } catch (IllegalArgumentException | IllegalStateException e) {
      throw bad(e.getMessage());
    }
  }

  /** The body ended: its model and usage, once every vector went to the sink. */
  public EmbeddingResponse end() {
    try {
      feed.end();
    } catch (IllegalArgumentException | IllegalStateException e) {
      throw bad(e.getMessage());
    }
    return finish.apply(feed);
  }

  /** The vectors handed on so far. */
  public int count() {
    return feed.count();
  }

  /** The bytes fed so far. */
  public long bytes() {
    return bytes;
  }

  /** The feed's bytes held now (bounded by a vector and a chunk). */
  public int held() {
    return feed.held();
  }

  /** The provider's bad-response error, with why and the start of the body. */
  public GatewayException bad(String why) {
    String start = new String(Arrays.copyOf(head, headLen), StandardCharsets.UTF_8);
    return UpstreamBodies.badResponse(
            provider, why + " (after " + bytes + " bytes; " + count() + " vectors read): " + start)
        .toException();
  }
}
