package dev.switchboard.server.cluster;

import dev.switchboard.server.limits.BudgetLine;
import dev.switchboard.server.limits.Hold;
import dev.switchboard.server.limits.Holder;
import dev.switchboard.server.limits.SpendBook;
import dev.switchboard.server.storage.Usd;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * This node's advances (ADR 0006, second amendment): a request whose admission is budget lines
 * alone (no bucket to take) that goes to Redis asks for room for the next ones of the same lines
 * too, granted by {@code enter.lua} up to a quarter of what is left on the tightest line and never
 * past half of any line's limit; what is granted is one hold in Redis, like a request's, and the
 * node admits the next requests against it in memory, without a round trip, while it has room. A
 * request's cost is booked in the ledger at once and in Redis with the advance's next sending
 * (every {@value #SEND_MS} ms, after the ledger's commit), which adds it to the spent counters and
 * shrinks the advance's hold by as much: spent plus held never grows, so an advance can never let
 * more through than a request-by-request admission would have. An advance is given back when idle
 * for {@value #IDLE_MS} ms, when a request does not fit (its spare room then goes back in that
 * request's own admission) or when the node stops; it is used only while its hold's renewal is
 * fresh (within half the hold time) and no connection to Redis dropped since it was asked for. A
 * dead node's advance expires and is reconciled like any hold.
 */
final class Advances {
  /** An advance asked for is this many times the request's want. */
  static final long ASK_TIMES = 64;

  /** The want an advance is sized from at least: one thousandth of a dollar. */
  static final long MIN_WANT_NANOS = 1_000_000;

  static final long SEND_MS = 100;
  static final long IDLE_MS = 1_000;

  /** At most this many advances at once (user and session budgets make one per session). */
  static final int MAX = 1_024;

  private final RedisLink link;
  private final SpendBook book;
  private final long holdTtlMs;
  private final Consumer<RedisGate.Finish> send;
  private final Consumer<String> forget;
  private final Map<String, Advance> byTerms = new ConcurrentHashMap<>();
  private final Map<Hold, Advance> byHold = new ConcurrentHashMap<>();
  private final Set<String> asking = ConcurrentHashMap.newKeySet();
  private final Set<Advance> retired = ConcurrentHashMap.newKeySet();

  /**
   * Advances over {@code link}, whose costs are committed in {@code book} before they go to {@code
   * send}; {@code forget} stops the renewal of an advance's hold once it is given back.
   */
  Advances(
      RedisLink link,
      SpendBook book,
      long holdTtlMs,
      Consumer<RedisGate.Finish> send,
      Consumer<String> forget) {
    this.link = link;
    this.book = book;
    this.holdTtlMs = holdTtlMs;
    this.send = send;
    this.forget = forget;
  }

  /**
   * What makes two admissions share an advance: the same spent counters ({@code counters}, one per
   * line) under the same limits.
   */
  static String terms(List<BudgetLine> lines, List<String> counters) {
    StringBuilder b = new StringBuilder(96 * lines.size());
    for (int i = 0; i < lines.size(); i++) {
      BudgetLine line = lines.get(i);
      b.append(counters.get(i))
          .append('|')
          .append(line.limitNanos())
          .append(line.includeByok() ? "|b;" : "|;");
    }
    return b.toString();
  }

  /**
   * What {@link #take} found: a hold from an advance, or none, and then maybe the spare room of the
   * advance it found used up, to give back in Redis with the admission this request makes.
   */
  record Taken(Hold hold, String giveBackId, long giveBack) {
    static final Taken NONE = new Taken(null, "", 0);
  }

  /** A hold of {@code want} from the advance on {@code terms}, if it has room. */
  Taken take(String terms, long want, Set<Holder> holders) {
    Advance a = byTerms.get(terms);
    if (a == null) {
      return Taken.NONE;
    }
    long spare = a.take(want);
    if (spare >= 0) {
      return spare == 0 ? Taken.NONE : new Taken(null, a.hold.id(), spare);
    }
    Hold h = new Hold("advance", Usd.fromNanos(want), holders);
    byHold.put(h, a);
    return new Taken(h, "", 0);
  }

  /** True when this admission should ask for an advance (none on its way for these terms). */
  boolean ask(String terms) {
    return byTerms.size() < MAX && asking.add(terms);
  }

  /**
   * The answer to an ask: {@code hold} granted (holding {@code granted}, of which the asking
   * request's {@code want}), or null. Returns the asking request's own hold.
   */
  Hold asked(String terms, Hold hold, long granted, long want, long drops) {
    asking.remove(terms);
    if (hold == null) {
      return null;
    }
    Advance a = new Advance(hold, granted, want, drops);
    Advance before = byTerms.put(terms, a);
    if (before != null) {
      before.retire();
    }
    Hold own = new Hold("advance", Usd.fromNanos(want), hold.holders());
    byHold.put(own, a);
    return own;
  }

  /** The advance {@code hold} was admitted from, or null; each hold is looked up once. */
  Advance of(Hold hold) {
    return byHold.remove(hold);
  }

  void renewed(long sentAtNanos) {
    for (Advance a : byTerms.values()) {
      a.renewed(sentAtNanos);
    }
  }

  /** Retires every advance and sends everything: done once offered to the sender. */
  CompletableFuture<Void> giveBack() {
    for (Advance a : byTerms.values()) {
      a.retire();
    }
    return send();
  }

  /** Sends what the advances' requests spent, and gives back the idle and used up ones. */
  void tick() {
    send();
  }

  private CompletableFuture<Void> send() {
    long now = System.nanoTime();
    List<RedisGate.Finish> out = new ArrayList<>();
    for (Map.Entry<String, Advance> e : byTerms.entrySet()) {
      Advance a = e.getValue();
      if (a.idleOrStale(now)) {
        a.retire(); // given back below, once its last request ended
      }
      if (a.isRetired()) {
        byTerms.remove(e.getKey(), a); // not a newer one put there meanwhile
      } else {
        a.drain(out);
      }
    }
    for (Advance a : retired) {
      if (a.drain(out)) {
        retired.remove(a);
      }
    }
    if (out.isEmpty()) {
      return CompletableFuture.completedFuture(null);
    }
    // After the charges' commit, as for a request's settlement.
    CompletableFuture<Void> offered = new CompletableFuture<>();
    book.durable()
        .whenComplete(
            (done, err) -> {
              out.forEach(send);
              offered.complete(null);
            });
    return offered;
  }

  /** One advance: its hold in Redis and what this node's requests use of it. */
  final class Advance {
    private final Hold hold;
    private long held; // nano-USD the hold is at in Redis once everything spent is sent
    private long inUse; // nano-USD held by this node's requests running on it
    private long lastUsed = System.nanoTime();
    private long validUntil;
    private boolean retired;
    private long unsentShrink;
    private final Map<List<String>, long[]> unsent = new LinkedHashMap<>();

    private final long drops;

    Advance(Hold hold, long granted, long want, long drops) {
      this.drops = drops;
      this.hold = hold;
      this.held = granted;
      this.inUse = want;
      this.validUntil = lastUsed + TimeUnit.MILLISECONDS.toNanos(holdTtlMs / 2);
    }

    /**
     * Takes {@code want} and returns -1; or returns the spare room to give back (0 for none) when
     * this advance cannot take it, and is then retired.
     */
    synchronized long take(long want) {
      long now = System.nanoTime();
      if (retired) {
        return 0;
      }
      if (now - validUntil > 0 || link.drops() != drops) {
        retire(); // not renewed lately, or Redis was away since: maybe no longer there
        return 0;
      }
      if (held - inUse < want) {
        retire(); // used up: its spare room goes back with the admission that found it so
        long spare = Math.max(0, held - inUse);
        held -= spare;
        return spare;
      }
      inUse += want;
      lastUsed = now;
      return -1;
    }

    /**
     * A request on this advance ended: its want back, its cost to send. The hold shrinks by the
     * cost, but never below what the requests still running on it hold: a cost above its own want
     * (a prompt estimated short) adds to spent plus held as it would have on a hold of its own, and
     * never takes another request's reservation with it.
     */
    synchronized void settled(Hold h, long cost, long byok, List<String> keys) {
      inUse -= Usd.toNanos(h.amount());
      long shrink = Math.max(0, Math.min(cost + byok, held - inUse));
      held -= shrink;
      unsentShrink += shrink;
      if (cost != 0 || byok != 0) {
        long[] sum = unsent.computeIfAbsent(keys, k -> new long[2]);
        sum[0] += cost;
        sum[1] += byok;
      }
    }

    synchronized void renewed(long sentAtNanos) {
      long until = sentAtNanos + TimeUnit.MILLISECONDS.toNanos(holdTtlMs / 2);
      if (until - validUntil > 0) {
        validUntil = until;
      }
    }

    synchronized boolean idleOrStale(long now) {
      return now - lastUsed > TimeUnit.MILLISECONDS.toNanos(IDLE_MS)
          || now - validUntil > 0
          || link.drops() != drops;
    }

    synchronized boolean isRetired() {
      return retired;
    }

    synchronized void retire() {
      if (!retired) {
        retired = true;
        Advances.this.retired.add(this);
      }
    }

    /**
     * Adds to {@code out} what to send: the spent costs, one finish per set of counters (the first
     * also shrinking the hold by everything spent), and the hold given back once retired with no
     * request left on it. True when it is given back.
     */
    synchronized boolean drain(List<RedisGate.Finish> out) {
      List<Holder> holders = List.copyOf(hold.holders());
      long shrink = unsentShrink;
      for (Map.Entry<List<String>, long[]> e : unsent.entrySet()) {
        out.add(
            new RedisGate.Finish(
                hold.id(), shrink, holders, e.getValue()[0], e.getValue()[1], e.getKey(), null));
        shrink = 0;
      }
      if (shrink > 0) {
        out.add(new RedisGate.Finish(hold.id(), shrink, holders, 0, 0, List.of(), null));
      }
      unsent.clear();
      unsentShrink = 0;
      if (retired && inUse == 0) {
        out.add(new RedisGate.Finish(hold.id(), -1, holders, 0, 0, List.of(), null));
        forget.accept(hold.id());
        return true;
      }
      if (retired && held > inUse) {
        // What no request holds now and none will: back at once, not when the last one ends.
        out.add(new RedisGate.Finish(hold.id(), held - inUse, holders, 0, 0, List.of(), null));
        held = inUse;
      }
      return false;
    }
  }
}
