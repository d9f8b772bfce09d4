package dev.switchboard.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class RateScheduleTest {

  private static final long MS = 1_000_000L;

  @Test
  void requestsAreEvenlySpacedFromTheStart() {
    RateSchedule s = new RateSchedule(1000, 4, 0, 1);
    assertThat(s.dueOffsetNanos(0)).isZero();
    assertThat(s.dueOffsetNanos(1)).isEqualTo(MS);
    assertThat(s.dueOffsetNanos(999)).isEqualTo(999 * MS);
    assertThat(s.total()).isEqualTo(1000);
  }

  @Test
  void dueCountCountsRequestsWhoseTimeHasCome() {
    RateSchedule s = new RateSchedule(1000, 4, 0, 1);
    assertThat(s.dueCount(-1)).isZero();
    assertThat(s.dueCount(0)).isEqualTo(1); // request 0 is due at once
    assertThat(s.dueCount(MS - 1)).isEqualTo(1);
    assertThat(s.dueCount(MS)).isEqualTo(2);
    assertThat(s.dueCount(10 * MS)).isEqualTo(11);
    assertThat(s.dueCount(5_000 * MS)).isEqualTo(1000); // capped at the end of the run
  }

  @Test
  void dueCountAgreesWithDueOffsetsWhenTheRateDoesNotDivideASecond() {
    RateSchedule s = new RateSchedule(7, 3, 1, 2);
    for (long i = 0; i < s.total(); i++) {
      long due = s.dueOffsetNanos(i);
      assertThat(s.dueCount(due)).as("at request %d's due time", i).isEqualTo(i + 1);
      if (due > 0) {
        assertThat(s.dueCount(due - 1)).as("just before request %d", i).isEqualTo(i);
      }
    }
    assertThat(s.total()).isEqualTo(21);
  }

  @Test
  void noDriftOverALongRun() {
    RateSchedule s = new RateSchedule(3_333, 64, 30, 3_570);
    long last = s.total() - 1;
    assertThat(s.total()).isEqualTo(3_333L * 3_600);
    // the last request is due within one period of the end, not minutes off
    assertThat(s.endNanos() - s.dueOffsetNanos(last)).isBetween(1L, 1_000_000_000L / 3_333 + 1);
  }

  @Test
  void warmupRequestsAreSentButNotMeasured() {
    RateSchedule s = new RateSchedule(100, 8, 5, 20);
    assertThat(s.firstMeasured()).isEqualTo(500);
    assertThat(s.measuredCount()).isEqualTo(2_000);
    assertThat(s.total()).isEqualTo(2_500);
    assertThat(s.measured(499)).isFalse();
    assertThat(s.measured(500)).isTrue();
    assertThat(s.measured(2_499)).isTrue();
    assertThat(s.measured(2_500)).isFalse();
    assertThat(s.dueOffsetNanos(500)).isEqualTo(s.warmupNanos());
  }

  @Test
  void connectionsTakeRequestsRoundRobinAtAnEqualShareOfTheRate() {
    RateSchedule s = new RateSchedule(1000, 4, 0, 1);
    assertThat(s.connectionOf(0)).isZero();
    assertThat(s.connectionOf(5)).isEqualTo(1);
    assertThat(s.nextOnConnection(5)).isEqualTo(9);
    assertThat(s.connectionOf(9)).isEqualTo(1);
    // each connection is due every 4 ms: 1000 req/s over 4 connections
    assertThat(s.dueOffsetNanos(9) - s.dueOffsetNanos(5)).isEqualTo(4 * MS);
    assertThat(s.nextOnConnection(996)).isEqualTo(-1);
    long perConnection = 0;
    for (long i = 2; i >= 0; i = s.nextOnConnection(i)) {
      perConnection++;
    }
    assertThat(perConnection).isEqualTo(250);
  }

  @Test
  void moreConnectionsThanRequestsLeavesSomeIdle() {
    RateSchedule s = new RateSchedule(1, 64, 0, 2);
    assertThat(s.total()).isEqualTo(2);
    assertThat(s.nextOnConnection(0)).isEqualTo(-1);
  }

  @Test
  void rejectsNonsense() {
    assertThatThrownBy(() -> new RateSchedule(0, 1, 0, 1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new RateSchedule(10, 0, 0, 1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new RateSchedule(10, 1, 0, 0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new RateSchedule(10, 1, -1, 1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new RateSchedule(10, 1, 86_000, 401))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new RateSchedule(RateSchedule.MAX_RATE, 1, 1, 3_600))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("requests per run");
    assertThatThrownBy(() -> new RateSchedule(RateSchedule.MAX_RATE + 1, 1, 0, 1))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void theLargestRunsFitInALong() {
    RateSchedule fastest = new RateSchedule(RateSchedule.MAX_RATE, 1, 0, 3_600);
    assertThat(fastest.total()).isEqualTo(RateSchedule.MAX_REQUESTS);
    assertThat(fastest.dueCount(Long.MAX_VALUE / 2)).isEqualTo(fastest.total());
    assertThat(fastest.dueOffsetNanos(fastest.total() - 1)).isLessThan(fastest.endNanos());
    long dayRate = RateSchedule.MAX_REQUESTS / RateSchedule.MAX_SECONDS;
    RateSchedule longest = new RateSchedule(dayRate, 64, 0, RateSchedule.MAX_SECONDS);
    assertThat(longest.total()).isEqualTo(dayRate * RateSchedule.MAX_SECONDS);
    assertThat(longest.dueCount(Long.MAX_VALUE / 2)).isEqualTo(longest.total());
    assertThat(longest.dueOffsetNanos(longest.total() - 1)).isLessThan(longest.endNanos());
  }

  @Test
  void anHourSoakWithItsWarmUpIsAccepted() {
    RateSchedule s = new RateSchedule(5_000, 64, 60, 3_600);
    assertThat(s.measuredCount()).isEqualTo(5_000L * 3_600);
  }
}
