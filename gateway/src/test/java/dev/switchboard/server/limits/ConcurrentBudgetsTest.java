package dev.switchboard.server.limits;

import static dev.switchboard.server.limits.LimitsFixture.PAID;
import static dev.switchboard.server.limits.LimitsFixture.request;
import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.server.config.LimitsConfig;
import dev.switchboard.server.storage.ApiKey;
import dev.switchboard.server.storage.BudgetRule;
import dev.switchboard.server.storage.Guardrail;
import dev.switchboard.server.storage.Usd;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The property of docs/limits.md: with reservations at the worst case, N concurrent requests of
 * random sizes, some failing and some cancelled, never take a budget's spend above its limit, and
 * the key's usage equals the sum of the settled costs to the last nano-dollar. Run once with each
 * kind of budget as the one that binds: the organisation's credits, the key's limit, a guardrail
 * budget, a session budget.
 */
class ConcurrentBudgetsTest {

  enum Binding {
    CREDITS,
    KEY_LIMIT,
    GUARDRAIL,
    SESSION
  }

  static final int OPERATIONS = 400;
  static final BigDecimal TIGHT = new BigDecimal("0.05");
  static final BigDecimal LOOSE = new BigDecimal("1000");

  @ParameterizedTest
  @EnumSource(Binding.class)
  void spendNeverExceedsTheLimitAndUsageIsTheSumOfSettledCosts(Binding binding) throws Exception {
    LimitsFixture f = new LimitsFixture("2026-03-04T12:00:00Z");
    f.storage.credits().add(binding == Binding.CREDITS ? TIGHT : LOOSE, "test", null);
    ApiKey key = f.key("k", (binding == Binding.KEY_LIMIT ? TIGHT : LOOSE).toPlainString(), null);
    Guardrail g =
        new Guardrail(
            "g-1",
            "team",
            null,
            binding == Binding.GUARDRAIL ? TIGHT : LOOSE,
            "monthly",
            false,
            null,
            null,
            null,
            null,
            false,
            false,
            Instant.EPOCH,
            null);
    f.storage.guardrails().put(g);
    f.storage.guardrails().assign(g.id(), List.of(key.hash()));
    f.storage
        .budgets()
        .put(
            new BudgetRule(
                "session", "*", binding == Binding.SESSION ? TIGHT : LOOSE, null, Instant.EPOCH));

    // Every booking is checked, inside the counters' lock, against every limit.
    ConcurrentLinkedQueue<String> violations = new ConcurrentLinkedQueue<>();
    StorageSpendBook real = new StorageSpendBook(f.storage);
    SpendBook checking =
        new SpendBook() {
          @Override
          public BigDecimal spent(Holder h, Window w, boolean byok, Instant now) {
            return real.spent(h, w, byok, now);
          }

          @Override
          public void record(Charge c) {
            real.record(c);
            check("credits", f.storage.credits().totalUsage(), f.storage.credits().totalCredits());
            BigDecimal keySpend = f.storage.keys().usage(key.hash()).total();
            check("key limit", keySpend, key.limit());
            check("guardrail", keySpend, g.limitUsd());
            check(
                "session",
                f.storage.budgets().spent("session", c.sessionId()).total(),
                binding == Binding.SESSION ? TIGHT : LOOSE);
          }

          private void check(String what, BigDecimal spent, BigDecimal limit) {
            if (spent.compareTo(limit) > 0) {
              violations.add(what + ": spent " + spent + " > " + limit);
            }
          }
        };
    Admission admission =
        new Admission(
            LimitsConfig.DEFAULT,
            f.catalog,
            f.storage,
            new LocalBudgetCounters(checking),
            new BucketRateLimiter(f.clock),
            f.clock);

    ConcurrentLinkedQueue<BigDecimal> settled = new ConcurrentLinkedQueue<>();
    AtomicInteger admittedCount = new AtomicInteger();
    AtomicInteger refusedCount = new AtomicInteger();
    AtomicInteger wrongRefusals = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(8);
    CountDownLatch start = new CountDownLatch(1);
    List<Future<?>> futures = new ArrayList<>();
    for (int i = 0; i < OPERATIONS; i++) {
      int op = i;
      futures.add(
          pool.submit(
              () -> {
                start.await();
                Random rnd = new Random(op * 7919L + binding.ordinal());
                int maxTokens = 1 + rnd.nextInt(1_000);
                String session = "\"session_id\":\"run-" + (op % 3) + "\"";
                Admission.Outcome o =
                    admission.admit(AdmissionFacts.of(key, request(PAID, maxTokens, session)));
                if (o instanceof Refusal r) {
                  refusedCount.incrementAndGet();
                  int status = r.error().httpStatus();
                  if (status != 402 && status != 403) {
                    wrongRefusals.incrementAndGet();
                  }
                  return null;
                }
                Reservation res = (Reservation) o;
                admittedCount.incrementAndGet();
                if (rnd.nextInt(4) == 0) {
                  Thread.yield();
                }
                int outcome = rnd.nextInt(4);
                if (outcome == 0) {
                  admission.release(res); // failed before any output
                  return null;
                }
                // Completed (any part of the worst case) or cancelled (at most half of it).
                BigDecimal share =
                    BigDecimal.valueOf(rnd.nextInt(1_001)).movePointLeft(outcome == 1 ? 3 : 4);
                BigDecimal cost =
                    res.amount().multiply(share).setScale(Usd.SCALE, RoundingMode.DOWN);
                admission.settle(res, new Settlement(cost, null, 100, f.clock.instant(), null));
                if (cost.signum() > 0) {
                  settled.add(cost);
                }
                return null;
              }));
    }
    start.countDown();
    for (Future<?> fu : futures) {
      fu.get(30, TimeUnit.SECONDS);
    }
    pool.shutdown();
    assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();

    BigDecimal sum = settled.stream().reduce(Usd.ZERO, BigDecimal::add);
    assertThat(violations).isEmpty();
    assertThat(wrongRefusals).hasValue(0);
    assertThat(admittedCount.get() + refusedCount.get()).isEqualTo(OPERATIONS);
    assertThat(refusedCount.get()).as("the budget binds").isPositive();
    assertThat(admittedCount.get()).isPositive();
    assertThat(f.storage.keys().usage(key.hash()).total()).isEqualTo(Usd.normalize(sum));
    assertThat(f.storage.credits().totalUsage()).isEqualTo(Usd.normalize(sum));
    BigDecimal sessions = Usd.ZERO;
    for (int s = 0; s < 3; s++) {
      sessions = sessions.add(f.storage.budgets().spent("session", "run-" + s).total());
    }
    assertThat(sessions).isEqualTo(Usd.normalize(sum));
    for (Holder h : List.of(Holder.ORG, Holder.key(key.hash()), Holder.session("run-0"))) {
      assertThat(admission.counters().reserved(h)).as("nothing held at the end").isZero();
    }
    Map<Binding, BigDecimal> limits =
        Map.of(
            Binding.CREDITS, f.storage.credits().totalUsage(),
            Binding.KEY_LIMIT, f.storage.keys().usage(key.hash()).total(),
            Binding.GUARDRAIL, f.storage.keys().usage(key.hash()).total());
    if (limits.containsKey(binding)) {
      assertThat(limits.get(binding)).isLessThanOrEqualTo(TIGHT);
    }
  }
}
