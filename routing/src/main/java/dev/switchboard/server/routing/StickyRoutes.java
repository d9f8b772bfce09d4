package dev.switchboard.server.routing;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Duration;
import java.util.function.BiConsumer;

/**
 * Sticky routing for prompt caching (checklist 93): after a success, later requests of the same
 * key, model and conversation go to the same provider for 10 minutes of inactivity, so its prompt
 * cache is reused. Each success renews the entry; an error leaves it alone.
 *
 * <p>In a cluster every entry this node learns is also told to the other nodes ({@link
 * #sharedWith}), which keep it in their own table ({@link #learnedElsewhere}): a conversation
 * sticks to its provider whichever node the load balancer sends it to, and the lookup on the hot
 * path stays in memory.
 */
public final class StickyRoutes {

  private final Cache<String, String> routes;
  private volatile BiConsumer<String, String> peers = (entry, provider) -> {};

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
    String entry = key(keyHash, model, session);
    if (!providerSlug.equals(routes.getIfPresent(entry))) {
      peers.accept(entry, providerSlug); // a renewal is not news: the others' entries age alone
    }
    routes.put(entry, providerSlug);
  }

  /** Where a new entry also goes: {@code peers(entry, providerSlug)}, the cluster's other nodes. */
  public void sharedWith(BiConsumer<String, String> peers) {
    this.peers = peers;
  }

  /** An entry another node learned ({@code entry} as it gave it): kept here too. */
  public void learnedElsewhere(String entry, String providerSlug) {
    routes.put(entry, providerSlug);
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
