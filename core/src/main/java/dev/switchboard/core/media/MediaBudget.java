package dev.switchboard.core.media;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The fetched media bytes the whole process may hold at once ({@code media.max-total-bytes}): a
 * counting semaphore of bytes. Every request's {@link MediaQuota} takes from it as bytes arrive and
 * gives back when the request ends, so many requests at once cannot together exhaust the heap.
 * Thread-safe.
 */
public final class MediaBudget {

  private final long capacity;
  private final AtomicLong used = new AtomicLong();

  public MediaBudget(long capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be positive, was " + capacity);
    }
    this.capacity = capacity;
  }

  /** Takes {@code bytes} if they fit; false (and nothing taken) when they do not. */
  public boolean tryTake(long bytes) {
    while (true) {
      long now = used.get();
      if (now + bytes > capacity) {
        return false;
      }
      if (used.compareAndSet(now, now + bytes)) {
        return true;
      }
    }
  }

  public void release(long bytes) {
    used.addAndGet(-bytes);
  }

  public long capacity() {
    return capacity;
  }

  /** The bytes held right now. */
  public long used() {
    return used.get();
  }
}
