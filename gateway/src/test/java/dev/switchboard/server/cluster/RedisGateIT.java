package dev.switchboard.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.server.config.ClusterConfig;
import dev.switchboard.server.limits.BudgetLine;
import dev.switchboard.server.limits.Charge;
import dev.switchboard.server.limits.Hold;
import dev.switchboard.server.limits.Holder;
import dev.switchboard.server.limits.LimitGate;
import dev.switchboard.server.limits.LimitSource;
import dev.switchboard.server.limits.RateLimiter;
import dev.switchboard.server.limits.SpendBook;
import dev.switchboard.server.limits.Window;
import dev.switchboard.server.storage.Usd;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The Redis scripts behind {@link RedisGate}, against a real {@code redis-server} of the test's
 * own: two gates (two nodes) on one Redis never hold more than a limit between them, whatever the
 * concurrency; settling twice books once; a dead node's holds expire; counters that Redis lost are
 * rebuilt from the ledger; a rate limit holds across the nodes; Redis down refuses, and the gate
 * works again once it is back.
 */
class RedisGateIT {

  private static PrivateRedis redis;
  private final Book book = new Book();
  private final List<RedisLink> links = new ArrayList<>();
  private String prefix;
  private String keyHash;

  @BeforeAll
  static void startRedis() {
    redis = PrivateRedis.start();
  }

  @AfterAll
  static void stopRedis() {
    redis.close();
  }

  @BeforeEach
  void names() {
    redis.restart();
    prefix = "t" + UUID.randomUUID().toString().substring(0, 8) + ":";
    keyHash = "k" + UUID.randomUUID();
  }

  @AfterEach
  void closeLinks() {
    links.forEach(RedisLink::close);
  }

  private RedisGate gate(long holdTtlMs) {
    RedisLink link =
        RedisLink.open(
            ClusterConfig.Redis.at(redis.url()).withKeyPrefix(prefix).withHoldTtlMs(holdTtlMs));
    links.add(link);
    return new RedisGate(link, book);
  }

  private BudgetLine keyLimit(String usd) {
    return BudgetLine.of(
        Holder.key(keyHash), Window.LIFETIME, new BigDecimal(usd), false, LimitSource.KEY_LIMIT);
  }

  private static LimitGate.Entry enter(
      LimitGate gate, List<BudgetLine> lines, String usd, List<LimitGate.Take> takes) {
    return gate.enter(lines, new BigDecimal(usd), takes, Instant.now())
        .toCompletableFuture()
        .join();
  }

  private Charge charge(String usd) {
    return new Charge(keyHash, null, null, new BigDecimal(usd), null, Instant.now(), null);
  }

  @Test
  void twoNodesNeverHoldMoreThanTheLimitBetweenThem() throws Exception {
    RedisGate a = gate(30_000);
    RedisGate b = gate(30_000);
    List<BudgetLine> lines = List.of(keyLimit("1"));
    enter(a, lines, "0", List.of()); // the script is loaded once
    ExecutorService pool = Executors.newFixedThreadPool(16);
    io.lettuce.core.RedisClient probe = io.lettuce.core.RedisClient.create(redis.url());
    try (var c = probe.connect()) {
      long before = calls(c.sync().info("commandstats"), "evalsha");
      List<Future<LimitGate.Entry>> entries = new ArrayList<>();
      for (int i = 0; i < 300; i++) {
        LimitGate g = i % 2 == 0 ? a : b;
        entries.add(pool.submit(() -> enter(g, lines, "0.01", List.of())));
      }
      int admitted = 0;
      for (Future<LimitGate.Entry> f : entries) {
        if (f.get() instanceof LimitGate.Admitted) {
          admitted++;
        }
      }
      long calls = calls(c.sync().info("commandstats"), "evalsha") - before;
      System.out.println(
          "RedisGateIT: 300 admissions from 16 threads on two nodes in " + calls + " calls");
      assertThat(admitted).as("$1 holds exactly one hundred cents").isEqualTo(100);
      // Admissions that come while a node's call is answered go together in its next call.
      assertThat(calls).isLessThan(300);
    } finally {
      pool.shutdown();
      probe.shutdown();
    }
    assertThat(a.reserved(Holder.key(keyHash))).isEqualByComparingTo("1");
  }

  @Test
  void concurrentReserveSettleAndReleaseNeverSpendAboveTheLimit() throws Exception {
    RedisGate a = gate(30_000);
    RedisGate b = gate(30_000);
    List<BudgetLine> lines = List.of(keyLimit("2"));
    AtomicLong settledNanos = new AtomicLong();
    ExecutorService pool = Executors.newFixedThreadPool(24);
    List<Future<?>> done = new ArrayList<>();
    for (int i = 0; i < 400; i++) {
      LimitGate g = i % 2 == 0 ? a : b;
      done.add(
          pool.submit(
              () -> {
                ThreadLocalRandom rnd = ThreadLocalRandom.current();
                String amount = "0." + String.format("%03d", 10 + rnd.nextInt(90));
                LimitGate.Entry e = enter(g, lines, amount, List.of());
                if (e instanceof LimitGate.Admitted ad) {
                  if (rnd.nextInt(4) == 0) {
                    g.release(ad.hold(), null);
                  } else {
                    BigDecimal cost =
                        new BigDecimal(amount).multiply(BigDecimal.valueOf(rnd.nextInt(101), 2));
                    settledNanos.addAndGet(Usd.toNanos(cost));
                    g.settle(ad.hold(), charge(cost.toPlainString()), null);
                  }
                }
                return null;
              }));
    }
    for (Future<?> f : done) {
      f.get();
    }
    pool.shutdown();
    awaitNothingReserved(a);
    assertThat(settledNanos.get()).isLessThanOrEqualTo(Usd.toNanos(new BigDecimal("2")));
    assertThat(book.spentNanos(Holder.key(keyHash))).isEqualTo(settledNanos.get());
    // What Redis counts as spent is what was booked, to the nano-dollar.
    LimitGate.Entry probe = enter(a, lines, "2", List.of());
    assertThat(probe).isInstanceOf(LimitGate.OverBudget.class);
    assertThat(Usd.toNanos(((LimitGate.OverBudget) probe).shortOf().spent()))
        .isEqualTo(settledNanos.get());
  }

  @Test
  void aSettlementWhoseReplyWasLostIsSentAgainAndBookedOnce() {
    RedisGate a = gate(30_000);
    List<BudgetLine> lines = List.of(keyLimit("1"));
    // One settlement first, so that Redis has the script (a script it lacks would fail, not run).
    a.settle(((LimitGate.Admitted) enter(a, lines, "0.1", List.of())).hold(), charge("0.1"), null);
    awaitNothingReserved(a);
    Hold hold = ((LimitGate.Admitted) enter(a, lines, "0.5", List.of())).hold();
    io.lettuce.core.RedisClient probe = io.lettuce.core.RedisClient.create(redis.url());
    try (var c = probe.connect()) {
      // Redis answers nobody for longer than the command time-out: the settlement goes out, its
      // reply does not come in time, so the gate keeps it to send again; Redis runs the first
      // sending when the pause ends, and then the second.
      c.sync().clientPause(ClusterConfig.Redis.DEFAULT_COMMAND_TIMEOUT_MS + 1_500);
      a.settle(hold, charge("0.3"), null);
      awaitCondition(() -> a.pending() == 1);
    } finally {
      probe.shutdown();
    }
    awaitCondition(() -> a.pending() == 0);
    awaitNothingReserved(a);
    // A second finish of the same hold is no finish at all.
    a.settle(hold, charge("0.3"), null);
    a.release(hold, null);
    LimitGate.Entry e = enter(a, lines, "0.61", List.of());
    assertThat(e).isInstanceOf(LimitGate.OverBudget.class);
    assertThat(((LimitGate.OverBudget) e).shortOf().spent()).isEqualByComparingTo("0.4");
    assertThat(enter(a, lines, "0.6", List.of())).isInstanceOf(LimitGate.Admitted.class);
  }

  @Test
  void anAdmissionQueuedBehindAnUnansweredCallFailsWithinItsOwnTimeOut() throws Exception {
    RedisGate a = gate(30_000);
    List<BudgetLine> lines = List.of(keyLimit("1"));
    enter(a, lines, "0", List.of()); // the script is loaded once
    long timeout = ClusterConfig.Redis.DEFAULT_COMMAND_TIMEOUT_MS;
    io.lettuce.core.RedisClient probe = io.lettuce.core.RedisClient.create(redis.url());
    try (var c = probe.connect()) {
      long pause = timeout * 16 / 10;
      long paused = System.nanoTime();
      c.sync().clientPause(pause);
      var first = a.enter(lines, new BigDecimal("0.1"), List.of(), Instant.now());
      PrivateRedis.sleep(timeout / 4);
      long started = System.nanoTime();
      // Goes in the next call, which waits for the first to be answered or to time out.
      LimitGate.Entry second =
          a.enter(lines, new BigDecimal("0.1"), List.of(), Instant.now())
              .toCompletableFuture()
              .join();
      long waitedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
      assertThat(second).isInstanceOf(LimitGate.Unavailable.class);
      assertThat(first.toCompletableFuture().join()).isInstanceOf(LimitGate.Unavailable.class);
      // Its own time-out, not the rest of the first call's and then a whole one of its own.
      // (Without its own: about 1.75 times the time-out.)
      assertThat(waitedMs).isLessThan(timeout * 14 / 10);
      // The next test's Redis is not paused.
      PrivateRedis.sleep(
          Math.max(0, pause + 100 - TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - paused)));
    } finally {
      probe.shutdown();
    }
  }

  @Test
  void settlementsThatComeTogetherAreBookedInFewerCallsAndAddUp() throws Exception {
    RedisGate a = gate(600_000);
    List<BudgetLine> lines = List.of(keyLimit("1000"));
    int n = 400;
    List<Hold> holds = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      holds.add(((LimitGate.Admitted) enter(a, lines, "0.01", List.of())).hold());
    }
    io.lettuce.core.RedisClient probe = io.lettuce.core.RedisClient.create(redis.url());
    try (var c = probe.connect()) {
      long before = calls(c.sync().info("commandstats"), "evalsha");
      ExecutorService pool = Executors.newFixedThreadPool(8);
      try {
        List<Future<?>> done = new ArrayList<>();
        for (Hold h : holds) {
          done.add(pool.submit(() -> a.settle(h, charge("0.0025"), null)));
        }
        for (Future<?> f : done) {
          f.get();
        }
      } finally {
        pool.shutdown();
      }
      awaitNothingReserved(a);
      long calls = calls(c.sync().info("commandstats"), "evalsha") - before;
      System.out.println("RedisGateIT: " + n + " settlements in " + calls + " calls");
      assertThat(calls).isLessThan(n);
    } finally {
      probe.shutdown();
    }
    // 400 x 0.0025 = 1 booked: 999 left of 1,000.
    LimitGate.Entry e = enter(a, lines, "999.5", List.of());
    assertThat(e).isInstanceOf(LimitGate.OverBudget.class);
    assertThat(((LimitGate.OverBudget) e).shortOf().spent()).isEqualByComparingTo("1");
    assertThat(enter(a, lines, "999", List.of())).isInstanceOf(LimitGate.Admitted.class);
  }

  @Test
  void aDeadNodesHoldsExpireWhileALiveNodeKeepsItsOwn() {
    RedisGate dying = gate(1_000);
    RedisGate live = gate(1_000);
    List<BudgetLine> lines = List.of(keyLimit("1"));
    assertThat(enter(dying, lines, "0.6", List.of())).isInstanceOf(LimitGate.Admitted.class);
    assertThat(enter(live, lines, "0.3", List.of())).isInstanceOf(LimitGate.Admitted.class);
    links.getFirst().close(); // the node stops renewing, as if killed
    assertThat(enter(live, lines, "0.6", List.of())).isInstanceOf(LimitGate.OverBudget.class);
    PrivateRedis.sleep(2_500);
    // The dead node's 0.6 is gone; the live node's 0.3 was renewed and still counts. Reading the
    // reservations drops the expired hold as an admission would (and marks the holder for
    // reconciling).
    assertThat(live.reserved(Holder.key(keyHash))).isEqualByComparingTo("0.3");
    assertThat(enter(live, lines, "0.6", List.of())).isInstanceOf(LimitGate.Admitted.class);
    assertThat(enter(live, lines, "0.2", List.of())).isInstanceOf(LimitGate.OverBudget.class);
  }

  @Test
  void countersRedisLostAreRebuiltFromTheLedger() {
    RedisGate a = gate(30_000);
    List<BudgetLine> lines = List.of(keyLimit("1"));
    book.record(charge("0.75")); // spent before Redis knew this key, e.g. before a restart
    LimitGate.Entry e = enter(a, lines, "0.3", List.of());
    assertThat(e).isInstanceOf(LimitGate.OverBudget.class);
    assertThat(((LimitGate.OverBudget) e).shortOf().spent()).isEqualByComparingTo("0.75");
    Hold h = ((LimitGate.Admitted) enter(a, lines, "0.2", List.of())).hold();
    a.settle(h, charge("0.2"), null);
    awaitNothingReserved(a);

    redis.kill(); // everything Redis held is gone
    redis.restart();
    awaitUp(links.getFirst());
    e = enter(a, lines, "0.1", List.of());
    assertThat(e).isInstanceOf(LimitGate.OverBudget.class);
    assertThat(((LimitGate.OverBudget) e).shortOf().spent()).isEqualByComparingTo("0.95");
  }

  @Test
  void aRateLimitHoldsAcrossNodes() throws Exception {
    RedisGate a = gate(30_000);
    RedisGate b = gate(30_000);
    LimitGate.Take take =
        new LimitGate.Take("key-rpm:" + keyHash, RateLimiter.Rate.perMinute(10), 1);
    ExecutorService pool = Executors.newFixedThreadPool(8);
    List<Future<LimitGate.Entry>> entries = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      LimitGate g = i % 2 == 0 ? a : b;
      entries.add(pool.submit(() -> enter(g, List.of(keyLimit("100")), "0.001", List.of(take))));
    }
    int admitted = 0;
    LimitGate.RateLimited refused = null;
    for (Future<LimitGate.Entry> f : entries) {
      LimitGate.Entry e = f.get();
      if (e instanceof LimitGate.Admitted) {
        admitted++;
      } else if (e instanceof LimitGate.RateLimited r) {
        refused = r;
      }
    }
    pool.shutdown();
    assertThat(admitted).isEqualTo(10);
    assertThat(refused.verdict().limit()).isEqualTo(10);
    assertThat(refused.verdict().remaining()).isZero();
    assertThat(refused.verdict().retryAfterMs()).isBetween(1L, 6_000L);
    // Refused requests hold nothing.
    assertThat(a.reserved(Holder.key(keyHash))).isEqualByComparingTo("0.010");
  }

  @Test
  void theCalendarDayBucketAndTheTokenCorrection() {
    RedisGate a = gate(30_000);
    LimitGate.Take day =
        new LimitGate.Take("free-models-per-day", RateLimiter.Rate.perUtcDay(2), 1);
    List<BudgetLine> none = List.of();
    Hold first = ((LimitGate.Admitted) enter(a, none, "0", List.of(day))).hold();
    assertThat(enter(a, none, "0", List.of(day))).isInstanceOf(LimitGate.Admitted.class);
    LimitGate.Entry third = enter(a, none, "0", List.of(day));
    assertThat(third).isInstanceOf(LimitGate.RateLimited.class);
    assertThat(((LimitGate.RateLimited) third).verdict().resetAtMs())
        .isEqualTo(Window.DAILY.resetsAt(Instant.now()).toEpochMilli());
    // A release that gives the token back makes room again.
    a.release(first, new LimitGate.Take(day.bucket(), day.rate(), -1));
    awaitCondition(() -> enter(a, none, "0", List.of(day)) instanceof LimitGate.Admitted);
  }

  @Test
  void redisDownRefusesAndTheGateRecoversWhenItReturns() {
    RedisGate a = gate(30_000);
    List<BudgetLine> lines = List.of(keyLimit("1"));
    Hold held = ((LimitGate.Admitted) enter(a, lines, "0.1", List.of())).hold();
    redis.kill();
    // Once the node knows (the advance the first admission got is then not used either).
    awaitCondition(() -> !links.getFirst().up());
    LimitGate.Entry e = enter(a, lines, "0.1", List.of());
    assertThat(e).isInstanceOf(LimitGate.Unavailable.class);
    // Settled while Redis is down: kept, and sent once it is back.
    a.settle(held, charge("0.1"), null);
    // (From an advance, its cost goes out with the advance's next sending, within 100 ms.)
    awaitCondition(() -> a.pending() >= 1);
    redis.restart();
    awaitUp(links.getFirst());
    awaitCondition(() -> a.pending() == 0);
    assertThat(enter(a, lines, "0.1", List.of())).isInstanceOf(LimitGate.Admitted.class);
  }

  @Test
  void anAdmissionWithBudgetsAndBucketsIsOneRoundTrip() {
    RedisGate a = gate(600_000); // no renewal during the test
    List<BudgetLine> lines =
        List.of(
            keyLimit("1000"),
            BudgetLine.of(
                Holder.ORG, Window.LIFETIME, new BigDecimal("1000"), false, LimitSource.CREDITS),
            BudgetLine.of(
                Holder.key(keyHash),
                Window.DAILY,
                new BigDecimal("1000"),
                false,
                LimitSource.GUARDRAIL));
    List<LimitGate.Take> takes =
        List.of(
            new LimitGate.Take("key-rpm:" + keyHash, RateLimiter.Rate.perMinute(1_000_000), 1),
            new LimitGate.Take("key-tpm:" + keyHash, RateLimiter.Rate.perMinute(1_000_000), 500));
    enter(a, lines, "0.001", takes); // the script is loaded once
    io.lettuce.core.RedisClient probe = io.lettuce.core.RedisClient.create(redis.url());
    try (var c = probe.connect()) {
      String statsBefore = c.sync().info("commandstats");
      int n = 200;
      long started = System.nanoTime();
      for (int i = 0; i < n; i++) {
        assertThat(enter(a, lines, "0.001", takes)).isInstanceOf(LimitGate.Admitted.class);
      }
      long micros = TimeUnit.NANOSECONDS.toMicros(System.nanoTime() - started) / n;
      String statsAfter = c.sync().info("commandstats");
      // One EVALSHA per admission, never a plain EVAL (the script stays loaded). The commands the
      // script runs inside show in the other counters; they are no round trips.
      assertThat(calls(statsAfter, "evalsha") - calls(statsBefore, "evalsha")).isEqualTo(n);
      assertThat(calls(statsAfter, "eval") - calls(statsBefore, "eval")).isZero();
      System.out.println(
          "RedisGateIT: one admission (3 budget lines, 2 buckets) = 1 round trip, "
              + micros
              + " us on average, sequential, on a loaded machine");
    } finally {
      probe.shutdown();
    }
  }

  @Test
  void admissionsOnAnAdvanceTakeNoRoundTripAndBookEveryCentInRedis() throws Exception {
    RedisGate a = gate(30_000);
    List<BudgetLine> lines = List.of(keyLimit("10"));
    enter(a, lines, "0", List.of()); // the script is loaded once
    awaitNothingReserved(a);
    io.lettuce.core.RedisClient probe = io.lettuce.core.RedisClient.create(redis.url());
    long settled = 0;
    try (var c = probe.connect()) {
      long before = calls(c.sync().info("commandstats"), "evalsha");
      int n = 200;
      for (int i = 0; i < n; i++) {
        LimitGate.Entry e = enter(a, lines, "0.01", List.of());
        assertThat(e).isInstanceOf(LimitGate.Admitted.class);
        String cost = "0.00" + (1 + i % 9);
        settled += Usd.toNanos(new BigDecimal(cost));
        a.settle(((LimitGate.Admitted) e).hold(), charge(cost), null);
      }
      awaitNothingReserved(a); // the advance goes back once idle for a second
      long calls = calls(c.sync().info("commandstats"), "evalsha") - before;
      System.out.println(
          "RedisGateIT: " + n + " admissions and settlements in " + calls + " calls");
      // One admission asked for the advance; its costs went out about every 100 ms.
      assertThat(calls).isLessThan(n / 4);
    } finally {
      probe.shutdown();
    }
    assertThat(book.spentNanos(Holder.key(keyHash))).isEqualTo(settled);
    LimitGate.Entry probeEntry = enter(a, lines, "10", List.of());
    assertThat(probeEntry).isInstanceOf(LimitGate.OverBudget.class);
    assertThat(Usd.toNanos(((LimitGate.OverBudget) probeEntry).shortOf().spent()))
        .as("Redis's spent counter")
        .isEqualTo(settled);
  }

  @Test
  void anAdvanceIsNotUsedAfterRedisCameBackWithoutIt() {
    RedisGate a = gate(30_000);
    List<BudgetLine> lines = List.of(keyLimit("10"));
    LimitGate.Entry first = enter(a, lines, "0.01", List.of());
    assertThat(first).isInstanceOf(LimitGate.Admitted.class);
    assertThat(a.reserved(Holder.key(keyHash)))
        .as("the first admission's advance")
        .isGreaterThan(new BigDecimal("0.01"));
    redis.kill();
    redis.restart(); // without its data: the advance's hold is gone
    awaitUp(links.getFirst());
    awaitCondition(() -> enter(a, lines, "0", List.of()) instanceof LimitGate.Admitted);
    // Not admitted in memory on the lost advance: Redis holds this one (and a new advance).
    LimitGate.Entry after = enter(a, lines, "0.01", List.of());
    assertThat(after).isInstanceOf(LimitGate.Admitted.class);
    assertThat(a.reserved(Holder.key(keyHash))).isGreaterThanOrEqualTo(new BigDecimal("0.01"));
  }

  @Test
  void aCostAboveItsWantNeverTakesAnotherRequestsReservationFromTheAdvance() {
    RedisGate a = gate(30_000);
    List<BudgetLine> lines = List.of(keyLimit("10"));
    LimitGate.Entry first = enter(a, lines, "0.01", List.of());
    LimitGate.Entry second = enter(a, lines, "0.01", List.of());
    assertThat(first).isInstanceOf(LimitGate.Admitted.class);
    assertThat(second).isInstanceOf(LimitGate.Admitted.class);
    BigDecimal advance = a.reserved(Holder.key(keyHash));
    assertThat(advance).as("one advance holds both").isGreaterThan(new BigDecimal("0.02"));
    // The first costs far more than it held (its prompt was estimated short) and more than the
    // whole advance: the advance shrinks, but the second request's cent stays held.
    a.settle(((LimitGate.Admitted) first).hold(), charge("0.9"), null);
    awaitCondition(() -> a.reserved(Holder.key(keyHash)).compareTo(advance) < 0);
    assertThat(a.reserved(Holder.key(keyHash))).isGreaterThanOrEqualTo(new BigDecimal("0.01"));
    a.release(((LimitGate.Admitted) second).hold(), null);
    awaitNothingReserved(a);
    LimitGate.Entry probe = enter(a, lines, "10", List.of());
    assertThat(((LimitGate.OverBudget) probe).shortOf().spent()).isEqualByComparingTo("0.9");
  }

  @Test
  void advancesOnASharedLineNeverHoldItsSecondHalf() {
    RedisGate a = gate(30_000);
    BudgetLine credits =
        BudgetLine.of(Holder.ORG, Window.LIFETIME, BigDecimal.ONE, false, LimitSource.CREDITS);
    // Twenty keys on $1 of credits, each with a request in flight that asked for an advance.
    for (int i = 0; i < 20; i++) {
      BudgetLine own =
          BudgetLine.of(
              Holder.key(keyHash + i),
              Window.LIFETIME,
              new BigDecimal("100"),
              false,
              LimitSource.KEY_LIMIT);
      assertThat(enter(a, List.of(own, credits), "0.01", List.of()))
          .isInstanceOf(LimitGate.Admitted.class);
    }
    // Advances filled at most the first half of the credits: a key without one, asking for 0.3,
    // still fits (with advances up to a quarter of the room each, they held nearly all of it).
    BudgetLine other =
        BudgetLine.of(
            Holder.key(keyHash + "x"),
            Window.LIFETIME,
            new BigDecimal("100"),
            false,
            LimitSource.KEY_LIMIT);
    assertThat(a.reserved(Holder.ORG)).isLessThanOrEqualTo(new BigDecimal("0.7"));
    assertThat(enter(a, List.of(other, credits), "0.3", List.of()))
        .isInstanceOf(LimitGate.Admitted.class);
  }

  @Test
  void aStoppingNodeGivesItsAdvancesBackAtOnce() {
    RedisGate a = gate(30_000);
    List<BudgetLine> lines = List.of(keyLimit("10"));
    LimitGate.Entry e = enter(a, lines, "0.01", List.of());
    a.settle(((LimitGate.Admitted) e).hold(), charge("0.004"), null);
    assertThat(a.reserved(Holder.key(keyHash))).as("the advance, not idle yet").isPositive();
    a.giveBack(2_000); // what Cluster.close does before the link closes
    assertThat(a.reserved(Holder.key(keyHash))).isZero();
    LimitGate.Entry probe = enter(a, lines, "10", List.of());
    assertThat(((LimitGate.OverBudget) probe).shortOf().spent()).isEqualByComparingTo("0.004");
  }

  /** Calls of {@code command} so far (INFO commandstats). */
  private static long calls(String info, String command) {
    for (String line : info.split("\\r?\\n")) {
      if (line.startsWith("cmdstat_" + command + ":")) {
        int at = line.indexOf("calls=");
        return Long.parseLong(line.substring(at + 6, line.indexOf(',', at)));
      }
    }
    return 0;
  }

  private void awaitNothingReserved(RedisGate g) {
    awaitCondition(() -> g.reserved(Holder.key(keyHash)).signum() == 0);
  }

  private static void awaitUp(RedisLink link) {
    awaitCondition(link::up);
  }

  static void awaitCondition(java.util.function.BooleanSupplier ok) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < deadline) {
      try {
        if (ok.getAsBoolean()) {
          return;
        }
      } catch (RuntimeException notYet) {
        // Redis may still be coming back
      }
      PrivateRedis.sleep(50);
    }
    assertThat(ok.getAsBoolean()).as("condition within 10 s").isTrue();
  }

  /** A ledger in memory: key spend and the organisation's, lifetime. */
  static final class Book implements SpendBook {
    private final Map<Holder, AtomicLong> spent = new ConcurrentHashMap<>();

    @Override
    public BigDecimal spent(Holder holder, Window window, boolean includeByok, Instant now) {
      return Usd.fromNanos(spentNanos(holder));
    }

    long spentNanos(Holder holder) {
      AtomicLong n = spent.get(holder);
      return n == null ? 0 : n.get();
    }

    @Override
    public void record(Charge c) {
      for (Holder h : Set.of(Holder.ORG, Holder.key(c.keyHash()))) {
        spent.computeIfAbsent(h, k -> new AtomicLong()).addAndGet(Usd.toNanos(c.cost()));
      }
    }
  }
}
