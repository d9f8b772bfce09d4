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

  /**
   * After {@code served} answered a request of {@code plan}: remembers its provider for the
   * conversation when sticking pays, i.e. the endpoint prices cache reads below its prompt price
   * and the conversation is named ({@code session_id} or the header) or the answer read the cache.
   */
  public void answered(RoutePlan plan, String keyHash, Candidate served, boolean cacheHit) {
    String session = plan.sessionKey();
    if (session == null) {
      return;
    }
    var p = served.endpoint().pricing();
    boolean cachePriced =
        p.inputCacheRead() != null && p.inputCacheRead().compareTo(p.prompt()) < 0;
    if (cachePriced && (session.startsWith("s:") || cacheHit)) {
      succeeded(keyHash, served.model().id(), session, served.endpoint().provider());
    }
  }
}
