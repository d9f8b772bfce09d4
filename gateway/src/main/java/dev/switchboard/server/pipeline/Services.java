package dev.switchboard.server.pipeline;

import dev.switchboard.core.media.MediaFetcher;
import dev.switchboard.server.auth.Authenticator;
import dev.switchboard.server.catalog.Catalog;
import dev.switchboard.server.config.GatewayConfig;
import dev.switchboard.server.routing.ProviderRegistry;
import dev.switchboard.server.routing.RoutePlanner;
import dev.switchboard.server.routing.StickyRoutes;
import dev.switchboard.server.stats.LiveStats;
import dev.switchboard.server.storage.Storage;
import java.time.Clock;

/** What the HTTP handlers share across event loops. Every member is thread-safe. */
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
    MediaFetcher mediaFetcher) {}
