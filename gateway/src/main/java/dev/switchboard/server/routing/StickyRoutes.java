package dev.switchboard.server.routing;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Duration;

/**
 * Sticky routing for prompt caching (checklist 93): after a success, later requests of the same
 * key, model and conversation go to the same provider for 10 minutes of inactivity, so its prompt
 * cache is reused. Each success renews the entry; an error leaves it alone.
 */
public final class StickyRoutes {

  private final Cache<String, String> routes;

  public StickyRoutes() {
    this(Duration.ofMinutes(10));
  }

  StickyRoutes(Duration idle) {
    this.routes = Caffeine.newBuilder().maximumSize(200_000).expireAfterWrite(idle).build();
  }

  static String key(String keyHash, String model, String session) {
    return keyHash + "|" + model + "|" + session;
  }

  /** The provider slug this conversation sticks to, or null. */
  public String get(String keyHash, String model, String session) {
    return routes.getIfPresent(key(keyHash, model, session));
  }

  public void succeeded(String keyHash, String model, String session, String providerSlug) {
    routes.put(key(keyHash, model, session), providerSlug);
  }
}
