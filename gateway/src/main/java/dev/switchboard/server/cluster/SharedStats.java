package dev.switchboard.server.cluster;

import dev.switchboard.server.stats.EndpointStats;
import dev.switchboard.server.stats.LiveStats;
import io.lettuce.core.Range;
import io.lettuce.core.api.async.RedisAsyncCommands;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Endpoint statistics merged across the nodes of a cluster. Every {@code stats-publish-ms} each
 * node writes what it saw of each active endpoint in the last {@value #MINUTES} minutes (successes
 * and failures per minute, and until when its breaker is open) into its own Redis hash, and reads
 * the hashes of the other live nodes into {@link LiveStats} ({@link EndpointStats#merge}). Uptime,
 * the outage test and the breaker (an endpoint opened on one node is open on all) then count every
 * node's traffic; latency and throughput percentiles stay per node. What another node saw reaches
 * this one within two periods (one to publish, one to read: 2 s by default). A node that stops
 * publishing is forgotten after five periods. Runs on the link's own thread, never on an event
 * loop.
 */
public final class SharedStats {

  private static final Logger log = LoggerFactory.getLogger(SharedStats.class);
  static final int MINUTES = 5;

  private final RedisLink link;
  private final LiveStats stats;
  private final String node;
  private final long periodMs;
  private final Set<String> known = new HashSet<>();

  private SharedStats(RedisLink link, LiveStats stats, String node) {
    this.link = link;
    this.stats = stats;
    this.node = node;
    this.periodMs = link.config().statsPublishMs();
  }

  /** Starts publishing and merging {@code stats} as node {@code node}. */
  public static SharedStats start(RedisLink link, LiveStats stats, String node) {
    SharedStats s = new SharedStats(link, stats, node);
    link.every(s.periodMs, s::exchange);
    return s;
  }

  /** One round: publish this node's, read the others'. */
  void exchange() {
    RedisAsyncCommands<String, String> c = link.commands();
    if (c == null || !link.up()) {
      return;
    }
    long now = stats.nowMs();
    Map<String, String> mine = new HashMap<>();
    stats.forEach(
        (name, s) -> {
          if (s.activeHere(now, MINUTES)) {
            mine.put(name, s.snapshot(now, MINUTES).encode());
          }
        });
    String nodes = link.key("stats:nodes");
    String own = link.key("stats:node:" + node);
    long keepMs = 5 * periodMs;
    try {
      if (!mine.isEmpty()) {
        c.del(own);
        c.hset(own, mine);
        c.pexpire(own, keepMs);
      }
      c.zadd(nodes, (double) now, node);
      c.zremrangebyscore(nodes, Range.create(Double.NEGATIVE_INFINITY, (double) (now - keepMs)));
      List<String> live =
          c.zrangebyscore(nodes, Range.create((double) (now - keepMs), Double.POSITIVE_INFINITY))
              .get(link.config().commandTimeoutMs(), TimeUnit.MILLISECONDS);
      Set<String> seen = new HashSet<>();
      for (String other : live) {
        if (other.equals(node)) {
          continue;
        }
        seen.add(other);
        Map<String, String> theirs =
            c.hgetall(link.key("stats:node:" + other))
                .get(link.config().commandTimeoutMs(), TimeUnit.MILLISECONDS);
        Set<String> endpoints = new HashSet<>(theirs.keySet());
        theirs.forEach(
            (name, text) -> {
              EndpointStats.Peer p = EndpointStats.Peer.decode(text);
              if (p != null) {
                stats.byName(name).merge(other, p);
              }
            });
        // An endpoint the other node no longer reports has nothing recent there.
        stats.forEach(
            (name, s) -> {
              if (!endpoints.contains(name)) {
                s.forget(other);
              }
            });
      }
      for (String gone : known) {
        if (!seen.contains(gone)) {
          stats.forEach((name, s) -> s.forget(gone));
        }
      }
      known.clear();
      known.addAll(seen);
    } catch (Exception e) {
      log.debug("endpoint statistics exchange failed: {}", e.toString());
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
