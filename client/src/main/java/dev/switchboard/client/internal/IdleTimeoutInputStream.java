package dev.switchboard.client.internal;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A response body that closes itself when a read has waited too long for data, so a stalled stream
 * ends with {@link IdleTimeoutException} instead of blocking its reader forever. The JDK's request
 * time-out covers only the response head. Any byte counts as progress, keep-alive comments too;
 * time the caller spends between reads does not count (a slow consumer is not a stalled server).
 *
 * <p>One shared daemon thread watches every open stream; a watch costs one scheduled task.
 */
public final class IdleTimeoutInputStream extends FilterInputStream {

  private static final ScheduledExecutorService WATCHER =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "switchboard-stream-idle-watch");
            t.setDaemon(true);
            return t;
          });

  private final Duration idle;
  private volatile boolean waiting;
  private volatile long waitingSinceNanos;
  private volatile boolean expired;
  private volatile boolean closed;
  private ScheduledFuture<?> check;

  private IdleTimeoutInputStream(InputStream in, Duration idle) {
    super(in);
    this.idle = idle;
  }

  /** {@code in} watched for {@code idle}; {@code in} itself when {@code idle} is zero (off). */
  public static InputStream watch(InputStream in, Duration idle) {
    if (idle == null || idle.isZero()) {
      return in;
    }
    IdleTimeoutInputStream watched = new IdleTimeoutInputStream(in, idle);
    watched.schedule(idle.toNanos());
    return watched;
  }

  private synchronized void schedule(long delayNanos) {
    if (!closed) {
      check = WATCHER.schedule(this::check, delayNanos, TimeUnit.NANOSECONDS);
    }
  }

  /** Expires the stream when a read has waited the whole idle time; otherwise looks again later. */
  private void check() {
    if (closed) {
      return;
    }
    long idleNanos = idle.toNanos();
    long waited = waiting ? System.nanoTime() - waitingSinceNanos : 0;
    if (waited < idleNanos) {
      schedule(idleNanos - waited);
      return;
    }
    expired = true;
    try {
      in.close(); // wakes the reader blocked in read() and cancels the exchange
    } catch (IOException e) {
      // the connection is dropped either way
    }
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    int n = read(one, 0, 1);
    return n < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    int n;
    waitingSinceNanos = System.nanoTime();
    waiting = true;
    try {
      n = in.read(b, off, len);
    } catch (IOException e) {
      throw expired ? new IdleTimeoutException(idle, e) : e;
    } finally {
      waiting = false;
    }
    if (expired) {
      throw new IdleTimeoutException(idle, null);
    }
    return n;
  }

  @Override
  public void close() throws IOException {
    synchronized (this) {
      closed = true;
      if (check != null) {
        check.cancel(false);
      }
    }
    in.close();
  }

  /** Nothing arrived on the stream for the configured idle time-out. */
  public static final class IdleTimeoutException extends IOException {
    private static final long serialVersionUID = 1L;

    IdleTimeoutException(Duration idle, Throwable cause) {
      super("no data for " + idle.toMillis() + " ms (the client's stream idle time-out)", cause);
    }
  }
}
