package dev.switchboard.core.media;

import dev.switchboard.core.error.FailureClass;
import dev.switchboard.core.error.GatewayError;
import dev.switchboard.core.error.GatewayException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs media fetches for requests: on its own pool of {@code threads} with a queue of {@code
 * queue}, never on a pool that authentication or key management use, so a flood of URLs that never
 * answer cannot hold those up; a fetch that finds pool and queue full fails at once with 503. Holds
 * the process's {@link MediaBudget}; each request draws on it through its own {@link MediaQuota}.
 * Thread-safe; one instance serves the process; {@link #close()} stops the pool and the fetcher.
 */
public final class MediaLoader implements AutoCloseable {

  /**
   * The limits of media held and fetched.
   *
   * @param maxRequestBytes media bytes one request may hold ({@code media.max-request-bytes})
   * @param maxTotalBytes media bytes the process may hold ({@code media.max-total-bytes})
   * @param threads fetches running at once ({@code media.fetch-threads})
   * @param queue fetches waiting for a thread before new ones are refused ({@code
   *     media.fetch-queue})
   */
  public record Limits(long maxRequestBytes, long maxTotalBytes, int threads, int queue) {}

  private final MediaFetcher fetcher;
  private final MediaBudget budget;
  private final Limits limits;
  private final ThreadPoolExecutor pool;

  private MediaLoader(MediaFetcher fetcher, Limits limits) {
    this.fetcher = fetcher;
    this.limits = limits;
    this.budget = new MediaBudget(limits.maxTotalBytes());
    AtomicInteger n = new AtomicInteger();
    this.pool =
        new ThreadPoolExecutor(
            limits.threads(),
            limits.threads(),
            60,
            TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(limits.queue()),
            r -> {
              Thread t = new Thread(r, "switchboard-media-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            },
            new ThreadPoolExecutor.AbortPolicy());
    pool.allowCoreThreadTimeOut(true);
  }

  /** A loader fetching with {@code options} within {@code limits}. */
  public static MediaLoader create(MediaFetcher.Options options, Limits limits) {
    return new MediaLoader(MediaFetcher.create(options), limits);
  }

  /** A new request's quota; close it when the request ends. */
  public MediaQuota newQuota() {
    return new MediaQuota(budget, limits.maxRequestBytes());
  }

  /**
   * Fetches {@code ref} on the media pool within {@code quota}. The future fails with the {@link
   * GatewayException} of a refused fetch, or at once with 503 when the pool and its queue are full.
   * Completes on a media thread: hop back to an event loop before touching its state.
   */
  public CompletableFuture<FetchedMedia> fetch(MediaRef ref, MediaQuota quota) {
    CompletableFuture<FetchedMedia> result = new CompletableFuture<>();
    try {
      pool.execute(
          () -> {
            try {
              result.complete(fetcher.fetch(ref, quota));
            } catch (Throwable t) {
              result.completeExceptionally(t);
            }
          });
    } catch (RejectedExecutionException e) {
      result.completeExceptionally(
          new GatewayException(
              GatewayError.of(
                      FailureClass.GATEWAY_BUSY,
                      503,
                      "The gateway is fetching as many media URLs as it may ("
                          + limits.threads()
                          + " at once and "
                          + limits.queue()
                          + " waiting: media.fetch-threads, media.fetch-queue); retry shortly")
                  .withRetryAfter(1)));
    }
    return result;
  }

  public MediaFetcher fetcher() {
    return fetcher;
  }

  public Limits limits() {
    return limits;
  }

  /** The media bytes all requests hold right now. */
  public long heldBytes() {
    return budget.used();
  }

  @Override
  public void close() {
    pool.shutdownNow();
    fetcher.close();
  }
}
