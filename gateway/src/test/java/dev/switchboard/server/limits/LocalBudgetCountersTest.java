package dev.switchboard.server.limits;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LocalBudgetCountersTest {

  final Map<Holder, BigDecimal> spent = new HashMap<>();
  final LocalBudgetCounters counters =
      new LocalBudgetCounters(
          new SpendBook() {
            @Override
            public BigDecimal spent(Holder h, Window w, boolean byok, Instant now) {
              return spent.getOrDefault(h, BigDecimal.ZERO);
            }

            @Override
            public void record(Charge c) {
              spent.merge(Holder.key(c.keyHash()), c.cost(), BigDecimal::add);
            }
          });

  static final Holder KEY = Holder.key("k");
  static final Holder USER = Holder.user("u");

  static BudgetLine line(Holder h, String limit) {
    return BudgetLine.of(h, Window.LIFETIME, new BigDecimal(limit), false, LimitSource.KEY_LIMIT);
  }

  @Test
  void aReservationThatOneLineRefusesHoldsNothingAnywhere() {
    var r =
        counters.reserve(List.of(line(KEY, "10"), line(USER, "1")), BigDecimal.TWO, Instant.EPOCH);
    assertThat(r).isInstanceOf(BudgetCounters.Short.class);
    assertThat(((BudgetCounters.Short) r).line().holder()).isEqualTo(USER);
    assertThat(counters.reserved(KEY)).isZero();
    assertThat(counters.reserved(USER)).isZero();
  }

  @Test
  void aHeldAmountCountsAgainstEveryLineOfItsHolder() {
    var first = counters.reserve(List.of(line(KEY, "3")), BigDecimal.TWO, Instant.EPOCH);
    assertThat(first).isInstanceOf(BudgetCounters.Granted.class);
    var second =
        (BudgetCounters.Short)
            counters.reserve(List.of(line(KEY, "3")), BigDecimal.TWO, Instant.EPOCH);
    assertThat(second.inFlight()).isTrue();
    assertThat(second.reserved()).isEqualByComparingTo("2");
    var tooBig =
        (BudgetCounters.Short)
            counters.reserve(List.of(line(KEY, "3")), BigDecimal.TEN, Instant.EPOCH);
    assertThat(tooBig.inFlight()).isFalse();
  }

  @Test
  void settleBooksOnceAndReleaseIsThenANoOp() {
    var hold =
        ((BudgetCounters.Granted)
                counters.reserve(List.of(line(KEY, "3")), BigDecimal.TWO, Instant.EPOCH))
            .hold();
    Charge c = new Charge("k", null, null, BigDecimal.ONE, null, Instant.EPOCH, null);
    counters.settle(hold, c);
    counters.settle(hold, c);
    counters.release(hold);
    assertThat(spent.get(KEY)).isEqualByComparingTo("1");
    assertThat(counters.reserved(KEY)).isZero();
  }
}
