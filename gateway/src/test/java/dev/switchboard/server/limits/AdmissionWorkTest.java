package dev.switchboard.server.limits;

import static dev.switchboard.server.limits.LimitsFixture.PAID;
import static dev.switchboard.server.limits.LimitsFixture.request;
import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.core.error.GatewayError;
import dev.switchboard.server.config.LimitsConfig;
import dev.switchboard.server.storage.ApiKey;
import dev.switchboard.server.storage.BudgetRule;
import dev.switchboard.server.storage.KeyRateLimits;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Admission does only the work a request's policy needs: the prompt is tokenized only when a
 * tokens-per-minute limit uses the count or a budget cannot take the worst case of the prompt's
 * byte bound, and nothing is held when no budget applies; the exact cost is still booked at
 * settlement, and every limit still holds.
 */
class AdmissionWorkTest {

  // "Hello there" is estimated at 23 tokens (AdmissionTest); the worst case with max_tokens 100 at
  // the dearest endpoint is $0.00223.
  static final BigDecimal WORST_100 = new BigDecimal("0.002230000");

  final AtomicInteger estimates = new AtomicInteger();
  final LimitsFixture f =
      new LimitsFixture(
          "2026-03-04T12:00:00Z",
          LimitsConfig.DEFAULT,
          r -> {
            estimates.incrementAndGet();
            return PromptEstimator.estimate(r);
          });

  private Reservation admitted(ApiKey key, String extra) {
    Admission.Outcome o = f.admit(key, request(PAID, 100, extra));
    assertThat(o).as(String.valueOf(o)).isInstanceOf(Reservation.class);
    return (Reservation) o;
  }

  private void settle(Reservation r, String cost, long tokens) {
    f.admission.settle(
        r, new Settlement(new BigDecimal(cost), null, tokens, f.clock.instant(), null));
  }

  @Test
  void anUnlimitedKeyIsNotTokenizedHoldsNothingAndStillPaysItsExactCost() {
    ApiKey key = f.key("free-spender", null, null);
    Reservation r = admitted(key, null);
    assertThat(estimates).as("no budget and no tokens-per-minute: no estimate").hasValue(0);
    assertThat(r.amount()).isEqualByComparingTo("0");
    assertThat(r.worstCase()).isNull();
    assertThat(f.admission.counters().reserved(Holder.key(key.hash()))).isEqualByComparingTo("0");

    settle(r, "0.0042", 60);
    assertThat(r.finished()).isTrue();
    assertThat(f.storage.keys().usage(key.hash()).total()).isEqualByComparingTo("0.0042");
    assertThat(f.storage.credits().totalUsage()).isEqualByComparingTo("0.0042");
    // Settling twice books once.
    settle(r, "0.0042", 60);
    assertThat(f.storage.keys().usage(key.hash()).total()).isEqualByComparingTo("0.0042");
  }

  @Test
  void aRequestsPerMinuteLimitAloneNeedsNoEstimateAndStillHolds() {
    ApiKey key = f.key("k", null, null);
    f.storage.keyLimits().put(key.hash(), new KeyRateLimits(2, null));
    admitted(key, null);
    admitted(key, null);
    Admission.Outcome third = f.admit(key, request(PAID, 100, null));
    assertThat(third).isInstanceOf(Refusal.class);
    assertThat(((Refusal) third).error().metadata())
        .containsEntry("limit_source", "key_requests_per_minute");
    assertThat(estimates).hasValue(0);
  }

  @Test
  void aTokensPerMinuteLimitStillCountsTheEstimatedTokens() {
    ApiKey key = f.key("k", null, null);
    f.storage.keyLimits().put(key.hash(), new KeyRateLimits(null, 50));
    Reservation first = admitted(key, null); // 23 taken
    admitted(key, null); // 46
    Admission.Outcome third = f.admit(key, request(PAID, 100, null));
    assertThat(estimates).as("one estimate per request").hasValue(3);
    assertThat(third).isInstanceOf(Refusal.class);
    GatewayError e = ((Refusal) third).error();
    assertThat(e.httpStatus()).isEqualTo(429);
    assertThat(e.metadata()).containsEntry("limit_source", "key_tokens_per_minute");
    // No budget applies, so nothing is held, but the tokens are counted: settling the first with 3
    // real tokens gives 20 back, and the next request fits.
    assertThat(first.amount()).isEqualByComparingTo("0");
    settle(first, "0.0001", 3);
    admitted(key, null);
  }

  @Test
  void everyKindOfBudgetHoldsTheByteBoundsWorstCaseWithoutTokenizing() {
    ApiKey limited = f.key("limited", "1", null);
    assertThat(admitted(limited, null).amount()).isEqualByComparingTo(AdmissionTest.BOUND_100);

    ApiKey plain = f.key("plain", null, null);
    f.storage
        .budgets()
        .put(new BudgetRule("user", "alice", new BigDecimal("5"), null, Instant.EPOCH));
    assertThat(admitted(plain, "\"user\":\"alice\"").amount())
        .isEqualByComparingTo(AdmissionTest.BOUND_100);
    // Bob has no rule: nothing to reserve against.
    assertThat(admitted(plain, "\"user\":\"bob\"").amount()).isEqualByComparingTo("0");

    f.storage.credits().add(new BigDecimal("10"), "test", null);
    Reservation funded = admitted(plain, null);
    assertThat(funded.amount()).isEqualByComparingTo(AdmissionTest.BOUND_100);
    assertThat(funded.worstCase().promptTokens()).isEqualTo(34);
    assertThat(f.admission.counters().reserved(Holder.ORG))
        .isEqualByComparingTo(AdmissionTest.BOUND_100);
    assertThat(estimates).as("every bound fitted: nothing tokenized").hasValue(0);
  }

  @Test
  void aBudgetTheBoundDoesNotFitCountsTheTokensOnce() {
    // $0.0023 takes the counted worst case ($0.00223) but not the bound's ($0.00234).
    ApiKey key = f.key("near", "0.0023", null);
    Reservation r = admitted(key, null);
    assertThat(estimates).hasValue(1);
    assertThat(r.amount()).isEqualByComparingTo(WORST_100);
    assertThat(r.worstCase().promptTokens()).isEqualTo(23);
    // With that held, neither fits: one more count for the refusal's numbers, nothing held.
    Admission.Outcome second = f.admit(key, request(PAID, 100, null));
    assertThat(second).isInstanceOf(Refusal.class);
    assertThat(estimates).hasValue(2);
    assertThat(f.admission.counters().reserved(Holder.key(key.hash())))
        .isEqualByComparingTo(WORST_100);
  }
}
