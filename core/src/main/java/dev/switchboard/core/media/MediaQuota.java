package dev.switchboard.core.media;

import dev.switchboard.core.error.FailureClass;
import dev.switchboard.core.error.GatewayError;
import dev.switchboard.core.error.GatewayException;

/**
 * The fetched media bytes one request holds: at most {@code maxRequestBytes} ({@code
 * media.max-request-bytes}) of its own, each also taken from the process's {@link MediaBudget}.
 * Fetches take bytes as they arrive (the whole {@code Content-Length} up front when the server
 * sends one, so a refusal comes before the download); {@link #close()}, when the request ends,
 * gives everything back. Over the request's cap is a 413; over the process's budget a 503 with
 * Retry-After. Thread-safe.
 */
public final class MediaQuota implements AutoCloseable {

  private final MediaBudget budget;
  private final long maxRequestBytes;
  private long held;
  private boolean closed;

  public MediaQuota(MediaBudget budget, long maxRequestBytes) {
    this.budget = budget;
    this.maxRequestBytes = maxRequestBytes;
  }

  /** What one fetch takes, so that a failed fetch gives back its own bytes and no others. */
  final class Tab {
    private long taken;
    private boolean cancelled;

    void take(long bytes) {
      synchronized (MediaQuota.this) {
        if (cancelled || closed) {
          throw new GatewayException(
              GatewayError.of(FailureClass.CLIENT_CLOSED, 499, "The request has ended"));
        }
        if (held + bytes > maxRequestBytes) {
          throw new GatewayException(
              GatewayError.of(
                  FailureClass.PAYLOAD_TOO_LARGE,
                  413,
                  "The media this request gives by URL add up to more than the gateway's limit"
                      + " of "
                      + maxRequestBytes
                      + " bytes per request (media.max-request-bytes)"));
        }
        if (!budget.tryTake(bytes)) {
          throw new GatewayException(
              GatewayError.of(
                      FailureClass.GATEWAY_BUSY,
                      503,
                      "The gateway is holding as much fetched media as its memory budget allows ("
                          + budget.capacity()
                          + " bytes, media.max-total-bytes); retry shortly")
                  .withRetryAfter(1));
        }
        held += bytes;
        taken += bytes;
      }
    }

    /** Gives back what this fetch took; later takes fail. */
    void cancel() {
      synchronized (MediaQuota.this) {
        cancelled = true;
        giveBack(taken);
        taken = 0;
      }
    }
  }

  Tab tab() {
    return new Tab();
  }

  private void giveBack(long bytes) {
    if (closed) {
      return; // close() gave everything back already
    }
    long back = Math.min(bytes, held);
    held -= back;
    budget.release(back);
  }

  /** The bytes this request holds. */
  public synchronized long held() {
    return held;
  }

  /** The request ended: every byte goes back to the budget, and later fetches are refused. */
  @Override
  public synchronized void close() {
    if (!closed) {
      budget.release(held);
      held = 0;
      closed = true;
    }
  }
}
