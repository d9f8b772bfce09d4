package dev.switchboard.core.media;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * A response body collected into a byte array, refused as soon as it is known to exceed a limit:
 * from {@code Content-Length} before any byte is read, else when the bytes read pass it. A body of
 * a non-2xx response is discarded.
 */
final class LimitedBody implements HttpResponse.BodySubscriber<byte[]> {

  /** The body is larger than the limit. */
  static final class TooLarge extends IOException {
    private static final long serialVersionUID = 1L;

    TooLarge() {
      super("body too large", null);
    }
  }

  private final long limit;
  private final boolean tooLargeUpFront;
  private final CompletableFuture<byte[]> result = new CompletableFuture<>();
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private Flow.Subscription subscription;

  private LimitedBody(long limit, boolean tooLargeUpFront) {
    this.limit = limit;
    this.tooLargeUpFront = tooLargeUpFront;
  }

  static HttpResponse.BodyHandler<byte[]> handler(long limit) {
    return info -> {
      if (info.statusCode() < 200 || info.statusCode() >= 300) {
        return HttpResponse.BodySubscribers.replacing(new byte[0]);
      }
      long length = info.headers().firstValueAsLong("content-length").orElse(-1);
      return new LimitedBody(limit, length > limit);
    };
  }

  @Override
  public void onSubscribe(Flow.Subscription s) {
    subscription = s;
    if (tooLargeUpFront) {
      s.cancel();
      result.completeExceptionally(new TooLarge());
      return;
    }
    s.request(Long.MAX_VALUE);
  }

  @Override
  public void onNext(List<ByteBuffer> buffers) {
    if (result.isDone()) {
      return;
    }
    for (ByteBuffer buffer : buffers) {
      if (out.size() + (long) buffer.remaining() > limit) {
        subscription.cancel();
        result.completeExceptionally(new TooLarge());
        return;
      }
      byte[] chunk = new byte[buffer.remaining()];
      buffer.get(chunk);
      out.write(chunk, 0, chunk.length);
    }
  }

  @Override
  public void onError(Throwable error) {
    result.completeExceptionally(error);
  }

  @Override
  public void onComplete() {
    result.complete(out.toByteArray());
  }

  @Override
  public CompletionStage<byte[]> getBody() {
    return result;
  }
}
