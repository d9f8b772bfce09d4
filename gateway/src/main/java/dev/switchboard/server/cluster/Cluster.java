package dev.switchboard.server.cluster;

import dev.switchboard.server.config.ClusterConfig;
import dev.switchboard.server.limits.LimitGate;
import dev.switchboard.server.limits.SpendBook;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What this node shares with the others of its cluster, or nothing ({@link #NONE}, one node). With
 * a Redis configured it holds the link, the {@link RedisGate} admission uses, and the invalidation
 * channel: a node that changes a key, a guardrail, a budget, a rate limit or the credits publishes
 * it, and every other node drops what it cached within the time of one Redis publish (well under a
 * second).
 *
 * <p>Messages on {@code <prefix>invalidate} are {@code <node> key <hash>} (one key changed: drop it
 * from the storage's and the authentication cache) and {@code <node> all} (management data changed:
 * drop every cached key and tell the listeners, such as a storage that caches rows of a shared
 * database), and {@code <node> sticky <provider> <entry>} (a conversation sticks to a provider, see
 * {@code StickyRoutes}). A node ignores its own messages, so node ids must differ between nodes.
 */
public final class Cluster implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(Cluster.class);

  /** One node: nothing shared, nothing published. */
  public static final Cluster NONE = new Cluster(null, "single");

  private final RedisLink link;
  private final String node;
  private final List<Consumer<String>> keyListeners = new CopyOnWriteArrayList<>();
  private final List<Runnable> changeListeners = new CopyOnWriteArrayList<>();
  private final List<BiConsumer<String, String>> stickyListeners = new CopyOnWriteArrayList<>();

  private Cluster(RedisLink link, String node) {
    this.link = link;
    this.node = node;
    if (link != null) {
      link.subscribe(this::onMessage);
    }
  }

  /**
   * Joins the cluster that {@code config} names as node {@code node} (the configured {@code
   * node.id}, the same id as in the logs and {@code /health/ready}), or returns {@link #NONE} when
   * it names none.
   */
  public static Cluster open(ClusterConfig config, String node) {
    if (!config.shared()) {
      return NONE;
    }
    return new Cluster(RedisLink.open(config.redis()), node);
  }

  /** Whether this node shares state through Redis. */
  public boolean shared() {
    return link != null;
  }

  /** This node's id in the cluster's messages. */
  public String node() {
    return node;
  }

  /** {@code "up"} or {@code "down"}; null on one node. */
  public String redisState() {
    return link == null ? null : link.up() ? "up" : "down";
  }

  /** The link (for shared statistics); null on one node. */
  public RedisLink link() {
    return link;
  }

  /** The admission gate on Redis, over this node's ledger. Only when {@link #shared()}. */
  public LimitGate gate(SpendBook book) {
    if (link == null) {
      throw new IllegalStateException("no cluster configured");
    }
    RedisGate gate = new RedisGate(link, book);
    gates.add(gate);
    return gate;
  }

  /** Tells the other nodes that the key {@code hash} changed. */
  public void keyChanged(String hash) {
    if (link != null) {
      link.publish("invalidate", node + " key " + hash);
    }
  }

  /** Tells the other nodes that a conversation ({@code entry}) sticks to {@code provider}. */
  public void stickyLearned(String entry, String provider) {
    if (link != null) {
      link.publish("invalidate", node + " sticky " + provider + " " + entry);
    }
  }

  /** Calls {@code listener(entry, provider)} when another node learned a sticky route. */
  public void onStickyLearned(BiConsumer<String, String> listener) {
    stickyListeners.add(listener);
  }

  /** Tells the other nodes that management data changed (guardrails, budgets, limits, credits). */
  public void changed() {
    if (link != null) {
      link.publish("invalidate", node + " all");
    }
  }

  /** Calls {@code listener(hash)} when another node changed the key {@code hash}. */
  public void onKeyChanged(Consumer<String> listener) {
    keyListeners.add(listener);
  }

  /** Calls {@code listener} when another node changed management data, keys included. */
  public void onChanged(Runnable listener) {
    changeListeners.add(listener);
  }

  private void onMessage(String channel, String message) {
    String[] parts = message.split(" ", 3);
    if (parts.length < 2 || parts[0].equals(node)) {
      return;
    }
    switch (parts[1]) {
      case "key" -> {
        if (parts.length == 3) {
          keyListeners.forEach(l -> l.accept(parts[2]));
        }
      }
      case "all" -> changeListeners.forEach(Runnable::run);
      case "sticky" -> {
        String[] route = parts.length == 3 ? parts[2].split(" ", 2) : new String[0];
        if (route.length == 2) {
          stickyListeners.forEach(l -> l.accept(route[1], route[0]));
        }
      }
      default -> log.debug("unknown invalidation {}", message);
    }
  }

  /**
   * Gives this node's advances back (its gates', once the requests have drained, before the storage
   * closes: their last costs are committed first), then closes the link.
   */
  @Override
  public void close() {
    for (RedisGate gate : gates) {
      gate.giveBack(GIVE_BACK_MS);
    }
    if (link != null) {
      link.close();
    }
  }

  /** How long a close waits for its advances to be given back in Redis. */
  static final long GIVE_BACK_MS = 2_000;

  private final java.util.List<RedisGate> gates = new java.util.concurrent.CopyOnWriteArrayList<>();
}
