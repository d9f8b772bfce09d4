package dev.switchboard.core.media;

import dev.switchboard.core.error.GatewayException;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * A response body collected into a byte array, refused as soon as it is known to exceed a limit:
 * from {@code Content-Length} before any byte is read, else when the bytes read pass it. With a
 * {@link MediaQuota.Tab} the bytes are also taken from the request's quota, the whole declared
 * length up front, else as they arrive. A declared length is read straight into an array of that
 * size (no copy); an unknown one is kept in pieces and joined once at the end. A body of a non-2xx
 * response is discarded.
 */
final class LimitedBody implements HttpResponse.BodySubscriber<byte[]> {

  /** The body is larger than the limit. */
  static final class TooLarge extends IOException {
    private static final long serialVersionUID = 1L;

    TooLarge() {
      super("body too large", null);
    }
  }

  /** The quota refused the bytes (the request's cap or the process's budget). */
  static final class Refused extends IOException {
    private static final long serialVersionUID = 1L;
    final transient GatewayException error;

    Refused(GatewayException error) {
      super(error.getMessage(), null);
      this.error = error;
    }
  }

  private final long limit;
  private final long declared;
  private final MediaQuota.Tab tab;
  private final CompletableFuture<byte[]> result = new CompletableFuture<>();
  private Flow.Subscription subscription;
  private byte[] exact;
  private List<byte[]> pieces;
  private long size;

  private LimitedBody(long limit, long declared, MediaQuota.Tab tab) {
    this.limit = limit;
    this.declared = declared;
    this.tab = tab;
  }

  /** {@code tab} may be null: no quota. */
  static HttpResponse.BodyHandler<byte[]> handler(long limit, MediaQuota.Tab tab) {
    return info -> {
      if (info.statusCode() < 200 || info.statusCode() >= 300) {
        return HttpResponse.BodySubscribers.replacing(new byte[0]);
      }
      long length = info.headers().firstValueAsLong("content-length").orElse(-1);
      return new LimitedBody(limit, length, tab);
    };
  }

  @Override
  public void onSubscribe(Flow.Subscription s) {
    subscription = s;
    if (declared > limit) {
      stop(new TooLarge());
      return;
    }
    if (declared >= 0) {
      if (!take(declared)) {
        return;
      }
      exact = new byte[(int) declared];
    } else {
      pieces = new ArrayList<>();
    }
    s.request(Long.MAX_VALUE);
  }

  @Override
  public void onNext(List<ByteBuffer> buffers) {
    if (result.isDone()) {
      return;
    }
    for (ByteBuffer buffer : buffers) {
      int n = buffer.remaining();
      if (size + n > limit) {
        stop(new TooLarge());
        return;
      }
      if (exact != null) {
        if (size + n > exact.length) {
          stop(new IOException("the body is longer than its Content-Length"));
          return;
        }
        buffer.get(exact, (int) size, n);
      } else {
        if (!take(n)) {
          return;
        }
        byte[] piece = new byte[n];
        buffer.get(piece);
        pieces.add(piece);
      }
      size += n;
    }
  }

  private boolean take(long bytes) {
    if (tab == null || bytes == 0) {
      return true;
    }
    try {
      tab.take(bytes);
      return true;
    } catch (GatewayException e) {
      stop(new Refused(e));
      return false;
    }
  }

  private void stop(IOException why) {
    subscription.cancel();
    result.completeExceptionally(why);
  }

  @Override
  public void onError(Throwable error) {
    result.completeExceptionally(error);
  }

  @Override
  public void onComplete() {
    if (result.isDone()) {
      return;
    }
    if (exact != null) {
      if (size != exact.length) {
        result.completeExceptionally(
            new IOException("the body is shorter than its Content-Length"));
        return;
      }
      result.complete(exact);
      return;
    }
    byte[] out = new byte[(int) size];
    int at = 0;
    for (byte[] piece : pieces) {
      System.arraycopy(piece, 0, out, at, piece.length);
      at += piece.length;
    }
    pieces = null;
    result.complete(out);
  }

  @Override
  public CompletionStage<byte[]> getBody() {
    return result;
  }
}
