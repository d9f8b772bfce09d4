package dev.switchboard.server.plugins;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * The response cache in this process's memory (Caffeine): at most {@code maxEntries} answers, the
 * least used evicted first, each dropped at its own expiry.
 */
public final class LocalResponseCacheStore implements ResponseCacheStore {

  private final Cache<String, Entry> cache;

  public LocalResponseCacheStore(long maxEntries, LongSupplier clockMillis) {
    this.cache =
        Caffeine.newBuilder()
            .maximumSize(maxEntries)
            .ticker(() -> TimeUnit.MILLISECONDS.toNanos(clockMillis.getAsLong()))
            .expireAfter(
                new Expiry<String, Entry>() {
                  @Override
                  public long expireAfterCreate(String key, Entry e, long now) {
                    return left(e, now);
                  }

                  @Override
                  public long expireAfterUpdate(String key, Entry e, long now, long current) {
                    return left(e, now);
                  }

                  @Override
                  public long expireAfterRead(String key, Entry e, long now, long current) {
                    return current;
                  }
                })
            .build();
  }

  private static long left(Entry e, long nowNanos) {
    return Math.max(0, TimeUnit.MILLISECONDS.toNanos(e.expiresAtMillis()) - nowNanos);
  }

  @Override
  public Entry get(String key, long nowMillis) {
    Entry e = cache.getIfPresent(key);
    return e == null || e.expiresAtMillis() <= nowMillis ? null : e;
  }

  @Override
  public void put(String key, Entry entry) {
    cache.put(key, entry);
  }

  @Override
  public void invalidate(String key) {
    cache.invalidate(key);
  }
}
