package dev.switchboard.server.cluster;

import dev.switchboard.server.limits.BudgetCounters;
import dev.switchboard.server.limits.BudgetLine;
import dev.switchboard.server.limits.Charge;
import dev.switchboard.server.limits.Hold;
import dev.switchboard.server.limits.Holder;
import dev.switchboard.server.limits.LimitGate;
import dev.switchboard.server.limits.RateLimiter;
import dev.switchboard.server.limits.SpendBook;
import dev.switchboard.server.limits.Window;
import dev.switchboard.server.storage.Storage;
import dev.switchboard.server.storage.Usd;
import io.lettuce.core.ScriptOutputType;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link LimitGate} of a cluster: budget counters, reservations and rate-limit buckets in
 * Redis, shared by every node. Each admission is one script ({@code enter.lua}: one round trip),
 * which purges expired holds, checks every budget line and every bucket and then holds and takes
 * all of them, or nothing; Redis runs a script alone, so two nodes can never both fit into the last
 * dollar. The admissions that come while one call is answered go in the next, one after the other
 * in that script, each as if alone. Settling is one more script ({@code settle.lua}), sent after
 * the response and never waited for, for many requests at once: the settlements that come while one
 * call is answered go in the next, their costs summed per counter. A done marker per call makes
 * sending it again a no-op, and calls that fail while Redis is down are kept (up to {@value
 * #MAX_PENDING} settlements) and sent again when it returns.
 *
 * <p>Holds expire: each lives {@code hold-ttl-ms} past the last renewal, and this node renews the
 * holds of its requests still running every third of that. A node killed with SIGKILL stops
 * renewing, so its holds are dropped by the next admission that looks at their holders. A settle is
 * sent once its charge is committed, so the spent counters never count what the ledger lacks; a
 * charge that a killed node committed but never settled in Redis is reconciled: for {@value
 * #RECONCILE_MS} ms after a hold of a holder expired unsettled, each admission raises the holder's
 * counters to what this node's ledger says (never lowers them), and every node's ledger has the
 * dead node's charges within one storage refresh.
 *
 * <p>Spent counters (per holder and window: lifetime, the UTC day, week and month) are created from
 * this node's {@link SpendBook} (the ledger) when Redis does not have them: at first use, in a new
 * window, or after Redis lost its data. The settled charge itself is also booked on the spend book
 * (the key's ledger row in storage), exactly as on one node.
 */
public final class RedisGate implements LimitGate {

  private static final Logger log = LoggerFactory.getLogger(RedisGate.class);
  static final int MAX_PENDING = 100_000;

  /** The most admissions in one {@code enter.lua} call, and finishes in one {@code settle.lua}. */
  static final int MAX_BATCH = 256;

  /**
   * How long Redis remembers that a batch of finishes was applied, so that sending it again after a
   * lost reply books nothing twice. A batch is sent again only when its first sending failed or
   * went unanswered, at the next resend once Redis answers; one resent later than this could book
   * its costs twice: counters too high (a limit refuses early), never too low.
   */
  private static final long DONE_TTL_MS = TimeUnit.MINUTES.toMillis(10);

  private static final long LIFETIME_TTL_MS = TimeUnit.DAYS.toMillis(30);
  private static final Window[] WINDOWS = Window.values();

  /**
   * How long after a hold expired unsettled (its node died) admissions raise the holder's spent
   * counters to the ledger's (see {@code enter.lua}): long enough for every node's storage to have
   * refreshed the dead node's last charges.
   */
  static final long RECONCILE_MS = 3_000L * Storage.REFRESH_SECONDS;

  private final RedisLink link;
  private final SpendBook book;
  private final RedisLink.Script enter;
  private final RedisLink.Script settle;
  private final RedisLink.Script renew;
  private final RedisLink.Script reservedScript;
  private final long holdTtlMs;
  private final Map<String, Hold> running = new ConcurrentHashMap<>();
  // An admission refused already (it waited past its time-out) is not sent.
  private final OneCallAtATime<Admission> admissions =
      new OneCallAtATime<>(a -> !a.reply().isDone(), this::callEnter);
  private volatile List<Admission> inFlight = List.of();
  private final OneCallAtATime<Finish> finishes = new OneCallAtATime<>(f -> true, this::callSettle);
  private final ConcurrentLinkedQueue<Batch> pending = new ConcurrentLinkedQueue<>();
  private final AtomicInteger pendingCount = new AtomicInteger();
  private final Advances advances;

  public RedisGate(RedisLink link, SpendBook book) {
    this.link = link;
    this.book = book;
    this.enter = link.script("enter.lua");
    this.settle = link.script("settle.lua");
    this.renew = link.script("renew.lua");
    this.reservedScript = link.script("reserved.lua");
    this.holdTtlMs = link.config().holdTtlMs();
    this.advances = new Advances(link, book, holdTtlMs, finishes::offer, running::remove);
    link.every(Math.max(100, holdTtlMs / 3), this::renewRunning);
    link.every(500, this::resendPending);
    link.every(Advances.SEND_MS, advances::tick);
    link.every(
        Math.max(10, Math.min(100, link.config().commandTimeoutMs() / 10)), this::expireAdmissions);
  }

  @Override
  public CompletionStage<Entry> enter(
      List<BudgetLine> lines, BigDecimal amount, List<Take> takes, Instant now) {
    long want = Usd.toNanos(amount);
    if (want < 0) {
      throw new IllegalArgumentException("a reservation must not be negative");
    }
    List<Holder> holders =
        new ArrayList<>(new LinkedHashSet<>(lines.stream().map(BudgetLine::holder).toList()));
    Set<Holder> held = Set.copyOf(holders);
    List<String> counters = new ArrayList<>(lines.size());
    for (BudgetLine line : lines) {
      counters.add(spent(line.holder(), line.window(), now));
    }
    // Budget lines alone (no bucket to take): from this node's advance on them when it has room.
    String terms = takes.isEmpty() && !lines.isEmpty() ? Advances.terms(lines, counters) : null;
    Advances.Taken taken = Advances.Taken.NONE;
    if (terms != null) {
      taken = advances.take(terms, want, held);
      if (taken.hold() != null) {
        return CompletableFuture.completedFuture(new Admitted(taken.hold()));
      }
    }
    boolean asking = terms != null && advances.ask(terms);
    long drops = link.drops(); // an advance is not used past a drop after this (see RedisLink)
    long extra = asking ? Advances.ASK_TIMES * Math.max(want, Advances.MIN_WANT_NANOS) : 0;
    String holdId = UUID.randomUUID().toString();
    List<String> keys = new ArrayList<>();
    List<String> args = new ArrayList<>();
    args.add(holdId);
    args.add(Long.toString(want));
    args.add(Long.toString(holdTtlMs));
    args.add(Integer.toString(holders.size()));
    args.add(Integer.toString(lines.size()));
    args.add(Integer.toString(takes.size()));
    args.add(Long.toString(RECONCILE_MS));
    args.add(Long.toString(extra));
    args.add(taken.giveBackId());
    args.add(Long.toString(taken.giveBack()));
    for (Holder h : holders) {
      keys.add(reservations(h));
      keys.add(expiries(h));
    }
    keys.addAll(counters);
    for (BudgetLine line : lines) {
      long withByok = Usd.toNanos(book.spent(line.holder(), line.window(), true, now));
      long cost = Usd.toNanos(book.spent(line.holder(), line.window(), false, now));
      args.add(Integer.toString(holders.indexOf(line.holder()) + 1));
      args.add(Long.toString(line.limitNanos()));
      args.add(line.includeByok() ? "1" : "0");
      args.add(Long.toString(cost));
      args.add(Long.toString(Math.max(0, withByok - cost)));
      args.add(Long.toString(counterTtlMs(line.window(), now)));
    }
    for (Take t : takes) {
      keys.add(bucket(t, now));
      addBucketArgs(args, t.rate(), t.amount(), now);
    }
    Admission admission = new Admission(keys, args, new CompletableFuture<>(), System.nanoTime());
    admissions.offer(admission);
    return admission
        .reply()
        .handle(
            (reply, err) -> {
              if (err != null) {
                if (asking) {
                  advances.asked(terms, null, 0, 0, 0);
                }
                return (Entry) new Unavailable(reason(err));
              }
              long status = (Long) reply.get(0);
              if (status == 1) {
                long granted = (Long) reply.get(1);
                if (asking && granted > want) {
                  // An advance: this request's want and room for the next ones, one hold.
                  Hold advance = new Hold(holdId, Usd.fromNanos(granted), held);
                  running.put(holdId, advance);
                  return new Admitted(advances.asked(terms, advance, granted, want, drops));
                }
                if (asking) {
                  advances.asked(terms, null, 0, 0, 0);
                }
                Hold hold = new Hold(holdId, Usd.fromNanos(want), held);
                if (!held.isEmpty()) {
                  running.put(holdId, hold);
                }
                return new Admitted(hold);
              }
              if (asking) {
                advances.asked(terms, null, 0, 0, 0);
              }
              int index = (int) (long) (Long) reply.get(1) - 1;
              if (status == 2) {
                return new OverBudget(
                    new BudgetCounters.Short(
                        lines.get(index),
                        Usd.fromNanos((Long) reply.get(2)),
                        Usd.fromNanos((Long) reply.get(3)),
                        Usd.fromNanos(want)));
              }
              RateLimiter.Rate rate = takes.get(index).rate();
              long retry = (Long) reply.get(4);
              return new RateLimited(
                  index,
                  new RateLimiter.Verdict(
                      false, rate.capacity(), (Long) reply.get(2), (Long) reply.get(3), retry));
            });
  }

  /** One request's part of an {@code enter.lua} call, where its reply goes, and when it came. */
  private record Admission(
      List<String> keys,
      List<String> args,
      CompletableFuture<List<Object>> reply,
      long startedNanos) {}

  /**
   * Refuses the admissions that have waited longer than the command time-out, counted from their
   * own start rather than from the call they go out in: one queued behind a call that Redis does
   * not answer fails when its own time is up (to the sweep's period), not after the rest of that
   * call's time and a whole one of its own. If Redis runs it later anyway, its hold is never
   * renewed and expires within the hold time.
   */
  private void expireAdmissions() {
    long now = System.nanoTime();
    long limit = TimeUnit.MILLISECONDS.toNanos(link.config().commandTimeoutMs());
    List<Admission> sent = inFlight;
    for (Admission a : sent) {
      expire(a, now, limit);
    }
    for (Admission a : admissions.queued()) {
      expire(a, now, limit);
    }
  }

  private void expire(Admission a, long now, long limit) {
    if (now - a.startedNanos() > limit && !a.reply().isDone()) {
      a.reply()
          .completeExceptionally(
              new RedisLink.RedisDown(
                  "no answer from Redis in " + link.config().commandTimeoutMs() + " ms"));
    }
  }

  /**
   * One {@code enter.lua} call for {@code next}: Redis runs them one after the other in it, each as
   * if alone, and each gets its own reply.
   */
  private CompletionStage<?> callEnter(List<Admission> next) {
    List<String> keys = new ArrayList<>();
    List<String> args = new ArrayList<>();
    args.add(Integer.toString(next.size()));
    for (Admission a : next) {
      keys.addAll(a.keys());
      args.add(Integer.toString(a.keys().size()));
      args.add(Integer.toString(a.args().size()));
      args.addAll(a.args());
    }
    inFlight = next;
    return enter
        .<List<Object>>run(
            ScriptOutputType.MULTI, keys.toArray(String[]::new), args.toArray(String[]::new))
        .whenComplete(
            (replies, err) -> {
              inFlight = List.of();
              for (int i = 0; i < next.size(); i++) {
                if (err != null) {
                  next.get(i).reply().completeExceptionally(err);
                } else {
                  @SuppressWarnings("unchecked")
                  List<Object> one = (List<Object>) replies.get(i);
                  next.get(i).reply().complete(one);
                }
              }
            });
  }

  @Override
  public void settle(Hold hold, Charge charge, Take correction) {
    if (!hold.finish()) {
      return;
    }
    Advances.Advance advance = advances.of(hold);
    if (advance != null) {
      // The ledger first, as below; the advance books the cost in Redis with its next sending.
      book.record(charge);
      advance.settled(
          hold,
          Usd.toNanos(charge.cost()),
          Usd.toNanos(charge.byokCost()),
          bookedKeys(hold.holders(), charge));
      return;
    }
    running.remove(hold.id());
    // The ledger first: the key's usage row in storage, as on one node.
    book.record(charge);
    boolean nothing = charge.cost().signum() == 0 && charge.byokCost().signum() == 0;
    if (nothing && hold.holders().isEmpty() && (correction == null || correction.amount() == 0)) {
      return;
    }
    Finish f =
        finish(
            hold,
            charge.cost(),
            charge.byokCost(),
            booked(hold.holders(), charge),
            charge.at(),
            correction,
            Instant.now());
    // After the charge's commit: Redis then never counts a charge the shared ledger lacks (a node
    // killed in between leaves the charge in the ledger and its hold to expire and reconcile).
    book.durable().whenComplete((done, err) -> finishes.offer(f));
  }

  @Override
  public void release(Hold hold, Take correction) {
    if (!hold.finish()) {
      return;
    }
    Advances.Advance advance = advances.of(hold);
    if (advance != null) {
      advance.settled(hold, 0, 0, List.of());
      return;
    }
    running.remove(hold.id());
    if (hold.holders().isEmpty() && (correction == null || correction.amount() == 0)) {
      return;
    }
    finishes.offer(
        finish(
            hold,
            BigDecimal.ZERO,
            BigDecimal.ZERO,
            Set.of(),
            Instant.now(),
            correction,
            Instant.now()));
  }

  /**
   * Retires every advance and sends what they spent and their holds back, waiting up to {@code
   * waitMs} for Redis to have it: a node stopped gracefully then leaves no room held in advance
   * (one killed leaves its advances to expire). Call after the requests ended, before the storage
   * closes.
   */
  public void giveBack(long waitMs) {
    CompletableFuture<Void> sent = advances.giveBack();
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(waitMs);
    try {
      sent.get(waitMs, TimeUnit.MILLISECONDS);
      while (!finishes.idle() && System.nanoTime() < deadline) {
        TimeUnit.MILLISECONDS.sleep(5);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      log.warn("advances not given back at close ({}); they expire", reason(e));
    }
  }

  @Override
  public BigDecimal reserved(Holder holder) {
    try {
      Long nanos =
          reservedScript
              .<Long>run(
                  ScriptOutputType.INTEGER,
                  new String[] {reservations(holder), expiries(holder)},
                  Long.toString(RECONCILE_MS))
              .toCompletableFuture()
              .get(link.config().commandTimeoutMs() * 2, TimeUnit.MILLISECONDS);
      return Usd.fromNanos(nanos);
    } catch (Exception e) {
      throw new RedisLink.RedisDown("cannot read reservations: " + e.getMessage());
    }
  }

  /** Settlements waiting for Redis to come back. */
  public int pending() {
    return pendingCount.get();
  }

  /** Holds of this node's requests still running. */
  public int running() {
    return running.size();
  }

  /** One settle or release: its hold's holders dropped, its costs booked, a bucket corrected. */
  record Finish(
      String holdId,
      long shrink,
      List<Holder> holders,
      long cost,
      long byok,
      List<String> spentKeys,
      Correction correction) {}

  /** A rate-limit bucket's correction (the difference between the tokens taken and used). */
  private record Correction(String key, Take take, long resetAt) {}

  /** Finishes sent together in one {@code settle.lua}: what a retry sends again as it was. */
  private record Batch(String[] keys, String[] args, int finishes) {}

  /** Whom a charge is booked against: the organisation, the key, and its user and session. */
  private static Set<Holder> booked(Set<Holder> holders, Charge charge) {
    Set<Holder> booked = new LinkedHashSet<>();
    booked.add(Holder.ORG);
    booked.add(Holder.key(charge.keyHash()));
    for (Holder h : holders) {
      if (h.kind() == Holder.Kind.USER || h.kind() == Holder.Kind.SESSION) {
        booked.add(h);
      }
    }
    return booked;
  }

  /** The spent counters (every window) a charge at {@code at} adds to. */
  private List<String> spentKeys(Set<Holder> booked, Instant at) {
    List<String> spentKeys = new ArrayList<>(booked.size() * WINDOWS.length);
    for (Holder h : booked) {
      for (Window w : WINDOWS) {
        spentKeys.add(spent(h, w, at));
      }
    }
    return spentKeys;
  }

  private List<String> bookedKeys(Set<Holder> holders, Charge charge) {
    return spentKeys(booked(holders, charge), charge.at());
  }

  private Finish finish(
      Hold hold,
      BigDecimal cost,
      BigDecimal byok,
      Set<Holder> booked,
      Instant at,
      Take correction,
      Instant now) {
    List<String> spentKeys = spentKeys(booked, at);
    Correction c =
        correction != null && correction.amount() != 0
            ? new Correction(bucket(correction, now), correction, resetAt(correction.rate(), now))
            : null;
    return new Finish(
        hold.id(),
        -1,
        List.copyOf(hold.holders()),
        Usd.toNanos(cost),
        Usd.toNanos(byok),
        spentKeys,
        c);
  }

  /**
   * One {@code settle.lua} call for {@code next}, their costs summed per counter; kept to send
   * again when Redis cannot be reached now.
   */
  private CompletionStage<?> callSettle(List<Finish> next) {
    Batch b = batch(next);
    if (!link.up()) {
      keep(b, new RedisLink.RedisDown("not connected"));
      return CompletableFuture.completedFuture(null);
    }
    return sendBatch(b);
  }

  private CompletionStage<Long> sendBatch(Batch b) {
    CompletionStage<Long> sent = settle.run(ScriptOutputType.INTEGER, b.keys(), b.args());
    sent.whenComplete(
        (ok, err) -> {
          if (err != null) {
            keep(b, err);
          }
        });
    return sent;
  }

  /** The script's keys and arguments for {@code finishes}, costs summed per spent counter. */
  private Batch batch(List<Finish> finishes) {
    List<String> keys = new ArrayList<>();
    List<String> args = new ArrayList<>();
    keys.add(link.key("lim:done:" + UUID.randomUUID()));
    args.add(Long.toString(DONE_TTL_MS));
    args.add("0"); // pairs, counters and corrections: filled in below
    args.add("0");
    args.add("0");
    int pairs = 0;
    for (Finish f : finishes) {
      for (Holder h : f.holders()) {
        keys.add(reservations(h));
        keys.add(expiries(h));
        args.add(f.holdId());
        args.add(Long.toString(f.shrink()));
        pairs++;
      }
    }
    Map<String, long[]> counters = new LinkedHashMap<>();
    for (Finish f : finishes) {
      if (f.cost() == 0 && f.byok() == 0) {
        continue;
      }
      for (String key : f.spentKeys()) {
        long[] sum = counters.computeIfAbsent(key, k -> new long[2]);
        sum[0] += f.cost();
        sum[1] += f.byok();
      }
    }
    for (Map.Entry<String, long[]> e : counters.entrySet()) {
      keys.add(e.getKey());
      args.add(Long.toString(e.getValue()[0]));
      args.add(Long.toString(e.getValue()[1]));
    }
    int corrections = 0;
    for (Finish f : finishes) {
      Correction c = f.correction();
      if (c == null) {
        continue;
      }
      RateLimiter.Rate rate = c.take().rate();
      keys.add(c.key());
      args.add(rate.calendarDay() ? "1" : "0");
      args.add(Long.toString(rate.capacity()));
      args.add(Long.toString(rate.period().toMillis()));
      args.add(Long.toString(c.take().amount()));
      args.add(Long.toString(c.resetAt()));
      corrections++;
    }
    args.set(1, Integer.toString(pairs));
    args.set(2, Integer.toString(counters.size()));
    args.set(3, Integer.toString(corrections));
    return new Batch(keys.toArray(String[]::new), args.toArray(String[]::new), finishes.size());
  }

  private void keep(Batch b, Throwable err) {
    if (pendingCount.addAndGet(b.finishes()) > MAX_PENDING) {
      pendingCount.addAndGet(-b.finishes());
      log.error(
          "Redis unavailable and {} settlements already waiting: {} more are dropped ({}); their"
              + " holds expire, and their charges are in the ledger",
          MAX_PENDING,
          b.finishes(),
          reason(err));
      return;
    }
    pending.add(b);
  }

  private void resendPending() {
    if (pendingCount.get() == 0 || !link.up()) {
      return;
    }
    log.info(
        "Redis is back: sending {} settlements made while it was unavailable", pendingCount.get());
    // The batches there now, once each: one that fails again at once is kept for the next round.
    for (int n = pending.size(); n > 0; n--) {
      Batch b = pending.poll();
      if (b == null) {
        break;
      }
      pendingCount.addAndGet(-b.finishes());
      sendBatch(b);
    }
  }

  private void renewRunning() {
    if (running.isEmpty() || !link.up()) {
      return;
    }
    List<String> keys = new ArrayList<>();
    List<String> args = new ArrayList<>();
    args.add(Long.toString(holdTtlMs));
    for (Hold hold : running.values()) {
      if (hold.finished()) {
        continue;
      }
      for (Holder h : hold.holders()) {
        keys.add(reservations(h));
        keys.add(expiries(h));
        args.add(hold.id());
      }
    }
    if (keys.isEmpty()) {
      return;
    }
    long sentAt = System.nanoTime();
    renew
        .<Long>run(
            ScriptOutputType.INTEGER, keys.toArray(String[]::new), args.toArray(String[]::new))
        .whenComplete(
            (n, err) -> {
              if (err != null) {
                log.warn("renewing {} holds failed: {}", running.size(), reason(err));
              } else {
                advances.renewed(sentAt);
              }
            });
  }

  private String reservations(Holder h) {
    return link.key("lim:r:" + holderId(h));
  }

  private String expiries(Holder h) {
    return link.key("lim:x:" + holderId(h));
  }

  /** The spent counter of {@code h} for the window of {@code w} that contains {@code at}. */
  private String spent(Holder h, Window w, Instant at) {
    String tag =
        switch (w) {
          case LIFETIME -> "life";
          case DAILY -> "d:" + w.firstDay(at);
          case WEEKLY -> "w:" + w.firstDay(at);
          case MONTHLY -> "m:" + w.firstDay(at);
        };
    return link.key("lim:s:" + holderId(h) + ":" + tag);
  }

  private String bucket(Take t, Instant now) {
    RateLimiter.Rate r = t.rate();
    String shape =
        r.capacity()
            + "/"
            + r.period().toMillis()
            + (r.calendarDay() ? "@" + Window.DAILY.firstDay(now) : "");
    return link.key("lim:b:" + t.bucket() + "#" + shape);
  }

  private static void addBucketArgs(
      List<String> args, RateLimiter.Rate rate, long amount, Instant now) {
    args.add(rate.calendarDay() ? "1" : "0");
    args.add(Long.toString(rate.capacity()));
    args.add(Long.toString(rate.period().toMillis()));
    args.add(Long.toString(amount));
    args.add(Long.toString(resetAt(rate, now)));
  }

  private static long resetAt(RateLimiter.Rate rate, Instant now) {
    return rate.calendarDay() ? Window.DAILY.resetsAt(now).toEpochMilli() : 0;
  }

  private static String holderId(Holder h) {
    return h.kind().name().toLowerCase(java.util.Locale.ROOT) + ":" + h.id();
  }

  private static long counterTtlMs(Window w, Instant now) {
    Instant end = w.resetsAt(now);
    return end == null
        ? LIFETIME_TTL_MS
        : Duration.between(now, end).toMillis() + TimeUnit.DAYS.toMillis(1);
  }

  private static String reason(Throwable err) {
    Throwable c = err;
    while ((c instanceof java.util.concurrent.CompletionException
            || c instanceof java.util.concurrent.ExecutionException)
        && c.getCause() != null) {
      c = c.getCause();
    }
    String m = c.getMessage();
    return c.getClass().getSimpleName() + (m == null ? "" : ": " + m);
  }
}
