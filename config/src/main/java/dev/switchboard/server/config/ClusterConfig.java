package dev.switchboard.server.config;

import java.net.URI;
import java.util.Objects;

/**
 * The {@code cluster} section: what several gateway nodes share. Without {@code redis} the gateway
 * is one node and keeps its counters, buckets, statistics and caches in its own memory.
 *
 * @param redis the shared Redis, or null for a single node
 */
public record ClusterConfig(Redis redis) {

  /** One node: nothing shared. */
  public static final ClusterConfig NONE = new ClusterConfig(null);

  /** Whether a Redis is configured. */
  public boolean shared() {
    return redis != null;
  }

  /**
   * The Redis that backs budget and credit reservations, rate-limit buckets, endpoint statistics,
   * circuit breakers, sticky routes and invalidation.
   *
   * @param url {@code redis://[user:password@]host:port[/database]} or {@code rediss://…}
   * @param connectTimeoutMs how long a connection attempt may take
   * @param commandTimeoutMs how long one command may take before the request it serves is refused
   *     (admission fails closed)
   * @param keyPrefix prepended to every key and channel, so clusters (and tests) can share a Redis
   * @param holdTtlMs how long a reservation outlives its node's last renewal: a node killed with
   *     SIGKILL leaks its holds for at most this long
   * @param statsPublishMs how often each node publishes its endpoint statistics (their staleness on
   *     the other nodes)
   */
  public record Redis(
      String url,
      long connectTimeoutMs,
      long commandTimeoutMs,
      String keyPrefix,
      long holdTtlMs,
      long statsPublishMs) {

    public static final long DEFAULT_CONNECT_TIMEOUT_MS = 2_000;
    public static final long DEFAULT_COMMAND_TIMEOUT_MS = 1_000;
    public static final String DEFAULT_KEY_PREFIX = "switchboard:";
    public static final long DEFAULT_HOLD_TTL_MS = 30_000;
    public static final long DEFAULT_STATS_PUBLISH_MS = 1_000;

    public Redis {
      Objects.requireNonNull(url, "url");
      Objects.requireNonNull(keyPrefix, "keyPrefix");
    }

    /** A Redis at {@code url} with the default time-outs, prefix and hold time. */
    public static Redis at(String url) {
      return new Redis(
          url,
          DEFAULT_CONNECT_TIMEOUT_MS,
          DEFAULT_COMMAND_TIMEOUT_MS,
          DEFAULT_KEY_PREFIX,
          DEFAULT_HOLD_TTL_MS,
          DEFAULT_STATS_PUBLISH_MS);
    }

    /** The same with another key prefix (tests use their own). */
    public Redis withKeyPrefix(String prefix) {
      return new Redis(url, connectTimeoutMs, commandTimeoutMs, prefix, holdTtlMs, statsPublishMs);
    }

    /** The same with another hold time. */
    public Redis withHoldTtlMs(long ms) {
      return new Redis(url, connectTimeoutMs, commandTimeoutMs, keyPrefix, ms, statsPublishMs);
    }

    /** The URL without its password, for logs and {@code toString}. */
    public String redactedUrl() {
      try {
        URI u = URI.create(url);
        if (u.getUserInfo() == null) {
          return url;
        }
        String user = u.getUserInfo().contains(":") ? u.getUserInfo().split(":", 2)[0] : "";
        return u.getScheme()
            + "://"
            + (user.isEmpty() ? "" : user + ":")
            + "***@"
            + u.getHost()
            + (u.getPort() >= 0 ? ":" + u.getPort() : "")
            + (u.getRawPath() == null ? "" : u.getRawPath());
      } catch (IllegalArgumentException e) {
        return "***";
      }
    }

    @Override
    public String toString() {
      return "Redis[url="
          + redactedUrl()
          + ", connectTimeoutMs="
          + connectTimeoutMs
          + ", commandTimeoutMs="
          + commandTimeoutMs
          + ", keyPrefix="
          + keyPrefix
          + ", holdTtlMs="
          + holdTtlMs
          + ", statsPublishMs="
          + statsPublishMs
          + "]";
    }
  }
}
