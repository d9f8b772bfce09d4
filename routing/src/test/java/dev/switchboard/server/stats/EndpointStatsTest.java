package dev.switchboard.server.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class EndpointStatsTest {

  private final EndpointStats stats =
      new EndpointStats(new CircuitBreaker.Settings(3, 1_000, 8_000));
  private long now = 1_800_000_000_000L;

  @Test
  void percentilesCoverTheWindowAndForgetOlderMinutes() {
    for (int i = 1; i <= 100; i++) {
      stats.success(now, i * 10, i);
    }
    assertThat(stats.ttftMs(now, 5).get("p50")).isCloseTo(500, within(10.0));
    assertThat(stats.ttftMs(now, 5).get("p90")).isCloseTo(900, within(10.0));
    assertThat(stats.throughput(now, 5).get("p50")).isCloseTo(50, within(1.0));
    now += 6 * EndpointStats.MINUTE;
    assertThat(stats.ttftMs(now, 5)).isEmpty();
    assertThat(stats.ttftMs(now, 30)).isNotEmpty();
  }

  @Test
  void uptimeLeavesRateLimitsOut() {
    stats.success(now, 10, 0);
    stats.success(now, 10, 0);
    stats.failure(now);
    stats.rateLimited(now);
    assertThat(stats.uptime(now, 5)).isCloseTo(66.67, within(0.01));
    assertThat(stats.uptime(now + 10 * EndpointStats.MINUTE, 5)).isNull();
    assertThat(stats.uptime(now + 10 * EndpointStats.MINUTE, 30)).isCloseTo(66.67, within(0.01));
  }

  @Test
  void outageNeedsFailuresAtLeastAsManyAsSuccessesInTheWindow() {
    stats.success(now, 10, 0);
    stats.success(now, 10, 0);
    stats.failure(now);
    assertThat(stats.recentOutage(now, 30_000)).isFalse();
    stats.failure(now + 1);
    assertThat(stats.recentOutage(now + 1, 30_000)).isTrue();
    assertThat(stats.recentOutage(now + 31_000, 30_000)).isFalse();
  }

  @Test
  void breakerOpensAfterConsecutiveFailuresThenProbesThenCloses() {
    for (int i = 0; i < 3; i++) {
      assertThat(stats.tryAcquire(now)).isTrue();
      stats.failure(now);
    }
    assertThat(stats.breakerState(now)).isEqualTo(CircuitBreaker.State.OPEN);
    assertThat(stats.tryAcquire(now + 500)).isFalse();
    assertThat(stats.breakerState(now + 1_000)).isEqualTo(CircuitBreaker.State.HALF_OPEN);
    assertThat(stats.tryAcquire(now + 1_000)).isTrue();
    assertThat(stats.tryAcquire(now + 1_001)).as("one probe at a time").isFalse();
    stats.failure(now + 1_002);
    assertThat(stats.breakerState(now + 2_500))
        .as("reopened for twice as long")
        .isEqualTo(CircuitBreaker.State.OPEN);
    assertThat(stats.tryAcquire(now + 3_100)).isTrue();
    stats.success(now + 3_100, 10, 0);
    assertThat(stats.breakerState(now + 3_100)).isEqualTo(CircuitBreaker.State.CLOSED);
  }

  @Test
  void aCancelledProbeFreesTheSlot() {
    for (int i = 0; i < 3; i++) {
      stats.failure(now);
    }
    assertThat(stats.tryAcquire(now + 1_000)).isTrue();
    stats.release();
    assertThat(stats.tryAcquire(now + 1_000)).isTrue();
  }

  @Test
  void whatAnotherNodeSawCountsInUptimeAndItsOpenBreakerIsOpenHere() {
    EndpointStats there = new EndpointStats(CircuitBreaker.Settings.DEFAULT);
    EndpointStats here = new EndpointStats(CircuitBreaker.Settings.DEFAULT);
    long now = 10 * EndpointStats.MINUTE + 500;
    for (int i = 0; i < 5; i++) {
      there.failure(now);
    }
    here.success(now, 100, 50);
    EndpointStats.Peer sent = there.snapshot(now, 5);
    EndpointStats.Peer received = EndpointStats.Peer.decode(sent.encode());
    assertThat(received.openUntilMs()).isGreaterThan(now);

    assertThat(here.uptime(now, 5)).isEqualTo(100.0);
    assertThat(here.tryAcquire(now)).isTrue();
    here.merge("node-a", received);
    assertThat(here.uptime(now, 5)).isCloseTo(100.0 / 6, org.assertj.core.data.Offset.offset(0.01));
    assertThat(here.breakerState(now)).isEqualTo(CircuitBreaker.State.OPEN);
    assertThat(here.tryAcquire(now)).isFalse();
    assertThat(here.recentOutage(now, 30_000)).isTrue();
    // Its own snapshot carries only what it saw itself: nothing echoes back.
    assertThat(here.snapshot(now, 5).failed()[0]).isZero();
    here.forget("node-a");
    assertThat(here.uptime(now, 5)).isEqualTo(100.0);
    assertThat(here.breakerState(now)).isEqualTo(CircuitBreaker.State.CLOSED);
    assertThat(EndpointStats.Peer.decode("garbage")).isNull();
  }

  @Test
  void toolCallErrorRateCountsAnswersPerMinuteOverTheWindow() {
    EndpointStats s = new EndpointStats(new CircuitBreaker.Settings(3, 1_000, 8_000));
    long t = 10 * 60_000L;
    assertThat(s.toolCallErrorRate(t, 60)).isNull();
    s.toolCalls(t, true);
    s.toolCalls(t, false);
    s.toolCalls(t + 60_000, false);
    s.toolCalls(t + 60_000, false);
    assertThat(s.toolCallCounts(t + 60_000, 60)).containsExactly(4, 3);
    assertThat(s.toolCallErrorRate(t + 60_000, 60)).isEqualTo(0.75);
    // The first minute falls out of a one-minute window.
    assertThat(s.toolCallErrorRate(t + 60_000, 1)).isEqualTo(1.0);
    // Tool-call answers are not uptime.
    assertThat(s.uptime(t + 60_000, 60)).isNull();
  }
}
