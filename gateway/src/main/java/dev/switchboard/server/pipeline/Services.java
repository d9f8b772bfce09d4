package dev.switchboard.server.pipeline;

import dev.switchboard.core.media.MediaLoader;
import dev.switchboard.server.auth.Authenticator;
import dev.switchboard.server.catalog.Catalog;
import dev.switchboard.server.cluster.Cluster;
import dev.switchboard.server.config.GatewayConfig;
import dev.switchboard.server.limits.Admission;
import dev.switchboard.server.routing.ProviderRegistry;
import dev.switchboard.server.routing.RoutePlanner;
import dev.switchboard.server.routing.StickyRoutes;
import dev.switchboard.server.stats.LiveStats;
import dev.switchboard.server.storage.Storage;
import java.time.Clock;

/**
 * What the HTTP handlers share across event loops. Every member is thread-safe. {@code admission}
 * is the one admission service of the process (its reservations must be shared by every loop).
 */
public record Services(
    GatewayConfig config,
    Catalog catalog,
    ProviderRegistry providers,
    RoutePlanner planner,
    Authenticator authenticator,
    Storage storage,
    Clock clock,
    LiveStats stats,
    StickyRoutes sticky,
    MediaLoader media,
    Admission admission,
    Observer observer,
    Cluster cluster) {

  /** One node's services with another admission, observed by nothing. */
  public Services(
      GatewayConfig config,
      Catalog catalog,
      ProviderRegistry providers,
      RoutePlanner planner,
      Authenticator authenticator,
      Storage storage,
      Clock clock,
      LiveStats stats,
      StickyRoutes sticky,
      MediaLoader media,
      Admission admission) {
    this(
        config,
        catalog,
        providers,
        planner,
        authenticator,
        storage,
        clock,
        stats,
        sticky,
        media,
        admission,
        Observer.NONE,
        Cluster.NONE);
  }

  /** These services observed by {@code observer} (metrics and traces). */
  public Services observedBy(Observer observer) {
    return new Services(
        config,
        catalog,
        providers,
        planner,
        authenticator,
        storage,
        clock,
        stats,
        sticky,
        media,
        admission,
        observer,
        cluster);
  }

  /** The services with an admission built from the configuration on local counters. */
  public Services(
      GatewayConfig config,
      Catalog catalog,
      ProviderRegistry providers,
      RoutePlanner planner,
      Authenticator authenticator,
      Storage storage,
      Clock clock,
      LiveStats stats,
      StickyRoutes sticky,
      MediaLoader media) {
    this(
        config,
        catalog,
        providers,
        planner,
        authenticator,
        storage,
        clock,
        stats,
        sticky,
        media,
        Admission.local(config.limits(), catalog, storage, clock));
  }

  /** These services sharing what {@code cluster} shares with other nodes. */
  public Services inCluster(Cluster cluster) {
    return new Services(
        config,
        catalog,
        providers,
        planner,
        authenticator,
        storage,
        clock,
        stats,
        sticky,
        media,
        admission,
        observer,
        cluster);
  }
}
