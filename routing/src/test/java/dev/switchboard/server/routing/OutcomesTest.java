package dev.switchboard.server.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class OutcomesTest {

  @Test
  void aStreamedAnswerCountsTheTokensAfterTheFirstOverTheTimeAfterTheFirst() {
    Outcomes.Sample s = Outcomes.Sample.streamed(200, 1_200, 101);
    assertThat(s.latencyMs()).isEqualTo(200);
    assertThat(s.tokensPerSecond()).isCloseTo(100.0, within(1e-9));
  }

  @Test
  void aWholeAnswerCountsEveryTokenOverTheWholeTime() {
    Outcomes.Sample s = Outcomes.Sample.whole(950, 1_000, 50);
    assertThat(s.latencyMs()).isEqualTo(950);
    assertThat(s.tokensPerSecond()).isCloseTo(50.0, within(1e-9));
  }

  @Test
  void noTokensOrNoTimeTellsNoRate() {
    assertThat(Outcomes.Sample.whole(10, 10, 0).tokensPerSecond()).isZero();
    assertThat(Outcomes.Sample.whole(0, 0, 10).tokensPerSecond()).isZero();
    assertThat(Outcomes.Sample.streamed(10, 10, 10).tokensPerSecond()).isZero();
  }

  @Test
  void aWholeAnswerFeedsTheEndpointsThroughputAndLatency() {
    RoutingFixture fx = new RoutingFixture(1);
    Candidate c = fx.planner.plan(RoutingFixture.simple("acme/small", "")).candidates().getFirst();
    Outcomes.success(fx.stats, c, Outcomes.Sample.whole(400, 500, 40));
    var stats = fx.stats.of(c.model().id(), c.endpoint().provider());
    assertThat(stats.throughput(fx.clock.get(), 5).get("p50")).isCloseTo(80.0, within(1.0));
    assertThat(stats.ttftMs(fx.clock.get(), 5).get("p50")).isCloseTo(400.0, within(5.0));
  }
}
