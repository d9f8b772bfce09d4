package dev.switchboard.server.cluster;

import dev.switchboard.server.config.ClusterConfig;
import dev.switchboard.server.limits.LimitGate;
import dev.switchboard.server.limits.SpendBook;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
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
 * from the authentication cache) and {@code <node> all} (management data changed: drop every cached
 * key and tell the listeners, such as a storage that caches rows of a shared database). A node
 * ignores its own messages.
 */
public final class Cluster implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(Cluster.class);

  /** One node: nothing shared, nothing published. */
  public static final Cluster NONE = new Cluster(null, "single");

  private final RedisLink link;
  private final String node;
  private final List<Consumer<String>> keyListeners = new CopyOnWriteArrayList<>();
  private final List<Runnable> changeListeners = new CopyOnWriteArrayList<>();

  private Cluster(RedisLink link, String node) {
    this.link = link;
    this.node = node;
    if (link != null) {
      link.subscribe(this::onMessage);
    }
  }

  /** Joins the cluster that {@code config} names, or returns {@link #NONE} when it names none. */
  public static Cluster open(ClusterConfig config) {
    if (!config.shared()) {
      return NONE;
    }
    String node = UUID.randomUUID().toString().substring(0, 8);
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
    return new RedisGate(link, book);
  }

  /** Tells the other nodes that the key {@code hash} changed. */
  public void keyChanged(String hash) {
    if (link != null) {
      link.publish("invalidate", node + " key " + hash);
    }
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
      default -> log.debug("unknown invalidation {}", message);
    }
  }

  @Override
  public void close() {
    if (link != null) {
      link.close();
    }
  }
}
