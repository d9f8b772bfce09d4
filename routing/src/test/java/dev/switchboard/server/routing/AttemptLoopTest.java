package dev.switchboard.server.routing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.core.error.FailureClass;
import dev.switchboard.core.error.GatewayError;
import dev.switchboard.server.stats.CircuitBreaker;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The attempt loop without a server: a hand-driven clock, a launcher that only records what it was
 * asked to start, and the test playing the upstreams. "Stream" tests claim on first output and
 * commit before they finish, as the streaming path does; "whole" tests succeed in one step, as the
 * non-streaming path does.
 */
class AttemptLoopTest {

  static final String BIG_BY_PRICE = "\"provider\":{\"sort\":\"price\"}"; // alpha, beta, gamma

  final RoutingFixture fx = new RoutingFixture(7);
  final ManualScheduler time = new ManualScheduler(fx.clock);
  final List<Attempt> launched = new ArrayList<>();
  final List<String> cancelled = new ArrayList<>();
  GatewayError gaveUp;
  AttemptLoop loop;

  AttemptLoop start(String model, String extra) {
    return start(model, extra, 60_000);
  }

  AttemptLoop start(String model, String extra, long deadlineMs) {
    RoutePlan plan = fx.planner.plan(RoutingFixture.simple(model, extra));
    loop =
        new AttemptLoop(
            plan, new AttemptPolicy(1, 100, 5_000), fx.stats, time, () -> 0.5, deadlineMs);
    loop.start(
        a -> {
          launched.add(a);
          a.onCancel(() -> cancelled.add(a.providerSlug()));
        },
        e -> gaveUp = e);
    return loop;
  }

  Attempt last() {
    return launched.getLast();
  }

  static GatewayError upstream(FailureClass kind, Long retryAfterSeconds) {
    return GatewayError.upstream(kind, kind.httpStatus(), "P", null, "{}", retryAfterSeconds);
  }

  static Outcomes.Sample sample() {
    return Outcomes.Sample.streamed(50, 500, 46);
  }

  List<String> launchedSlugs() {
    return launched.stream().map(Attempt::providerSlug).toList();
  }

  @Test
  void aTransientFailureMovesOnToTheNextCandidate() {
    start("acme/big", BIG_BY_PRICE);
    time.advance(40);
    loop.failed(last(), upstream(FailureClass.UPSTREAM_TRANSIENT, null), 502);
    assertThat(launchedSlugs()).containsExactly("alpha", "beta");
    time.advance(60);
    assertThat(loop.succeeded(last(), 200, sample())).isTrue();

    assertThat(loop.over()).isTrue();
    assertThat(gaveUp).isNull();
    assertThat(loop.attempts())
        .extracting(Attempt::providerSlug, Attempt::status, Attempt::failure, Attempt::latencyMs)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("alpha", 502, FailureClass.UPSTREAM_TRANSIENT, 40L),
            org.assertj.core.groups.Tuple.tuple("beta", 200, null, 60L));
    assertThat(loop.upstreamNanos()).isEqualTo(100_000_000L);
  }

  @Test
  void retryAfterIsHonouredOnTheLastCandidate() {
    start("acme/big", "\"provider\":{\"only\":[\"alpha\"]}");
    loop.failed(last(), upstream(FailureClass.UPSTREAM_RATE_LIMITED, 2L), 429);
    time.advance(1_999);
    assertThat(launched).hasSize(1);
    time.advance(1);
    assertThat(launched).hasSize(2);
    assertThat(last().providerSlug()).isEqualTo("alpha");
    assertThat(last().retries()).isEqualTo(1);
    assertThat(loop.succeeded(last(), 200, sample())).isTrue();
    assertThat(gaveUp).isNull();
  }

  @Test
  void retryWithoutRetryAfterBacksOffAndThenGivesUpWithTheLastError() {
    start("acme/big", "\"provider\":{\"only\":[\"alpha\"]}");
    loop.failed(last(), upstream(FailureClass.UPSTREAM_OVERLOADED, null), 503);
    time.advance(149); // 100 ms << 0 retries, plus 0.5 jitter
    assertThat(launched).hasSize(1);
    time.advance(1);
    assertThat(launched).hasSize(2);
    GatewayError second = upstream(FailureClass.UPSTREAM_OVERLOADED, null);
    loop.failed(last(), second, 503);
    assertThat(gaveUp).isSameAs(second); // max-retries 1: no third try
    time.advance(10_000);
    assertThat(launched).hasSize(2);
  }

  @Test
  void aRetryAfterLongerThanAllowedStops() {
    start("acme/big", "\"provider\":{\"only\":[\"alpha\"]}");
    GatewayError error = upstream(FailureClass.UPSTREAM_RATE_LIMITED, 60L);
    loop.failed(last(), error, 429);
    assertThat(gaveUp).isSameAs(error);
    assertThat(time.pending()).isZero();
  }

  @Test
  void contextTooLongSkipsTheModelsOtherEndpoints() {
    start("acme/big", BIG_BY_PRICE + ",\"models\":[\"acme/small\"]");
    loop.failed(last(), upstream(FailureClass.CONTEXT_TOO_LONG, null), 400);
    assertThat(last().model()).isEqualTo("acme/small");
    assertThat(launched).hasSize(2);
  }

  @Test
  void aCallerFaultStopsAtOnce() {
    start("acme/big", BIG_BY_PRICE);
    GatewayError error = upstream(FailureClass.UPSTREAM_INVALID_REQUEST, null);
    loop.failed(last(), error, 400);
    assertThat(gaveUp).isSameAs(error);
    assertThat(launched).hasSize(1);
  }

  @Test
  void everyCandidateFailingGivesUpWithTheLastError() {
    start("acme/big", BIG_BY_PRICE);
    loop.failed(last(), upstream(FailureClass.UPSTREAM_TRANSIENT, null), 502);
    loop.failed(last(), upstream(FailureClass.UPSTREAM_CREDENTIAL, null), 401);
    GatewayError third = upstream(FailureClass.TIMEOUT, null);
    loop.failed(last(), third, null);
    assertThat(launchedSlugs()).containsExactly("alpha", "beta", "gamma");
    assertThat(gaveUp).isSameAs(third);
  }

  @Test
  void breakerOpensAfterConsecutiveFailuresAndAHalfOpenProbeClosesIt() {
    // the fixture's breaker opens after 3 consecutive failures for 10 s
    for (int i = 0; i < 3; i++) {
      launched.clear();
      start("acme/big", BIG_BY_PRICE);
      loop.failed(last(), upstream(FailureClass.UPSTREAM_TRANSIENT, null), 502);
      loop.succeeded(last(), 200, sample());
    }
    assertThat(breaker("alpha")).isEqualTo(CircuitBreaker.State.OPEN);

    launched.clear();
    start("acme/big", BIG_BY_PRICE);
    assertThat(launchedSlugs()).containsExactly("beta"); // the open endpoint went to the end
    loop.succeeded(last(), 200, sample());

    time.advance(10_000);
    assertThat(breaker("alpha")).isEqualTo(CircuitBreaker.State.HALF_OPEN);
    launched.clear();
    start("acme/big", BIG_BY_PRICE);
    assertThat(launchedSlugs()).containsExactly("alpha"); // the one probe
    launched.clear();
    start("acme/big", "\"provider\":{\"order\":[\"alpha\",\"beta\"]}");
    assertThat(launchedSlugs()).containsExactly("beta"); // no second probe while one runs
  }

  @Test
  void aFailedProbeReopensTheBreakerAndASuccessfulOneClosesIt() {
    for (int i = 0; i < 3; i++) {
      fx.stats.of("acme/big", "alpha").failure(fx.clock.get());
    }
    time.advance(10_000);
    start("acme/big", BIG_BY_PRICE);
    loop.failed(last(), upstream(FailureClass.UPSTREAM_TRANSIENT, null), 502);
    assertThat(breaker("alpha")).isEqualTo(CircuitBreaker.State.OPEN);

    time.advance(20_000); // open twice as long after a failed probe
    launched.clear();
    start("acme/big", BIG_BY_PRICE);
    assertThat(launchedSlugs()).containsExactly("alpha");
    loop.succeeded(last(), 200, sample());
    assertThat(breaker("alpha")).isEqualTo(CircuitBreaker.State.CLOSED);
  }

  @Test
  void anEndpointWhoseBreakerOpenedAfterPlanningIsSkippedWhileOthersRemain() {
    start("acme/big", BIG_BY_PRICE);
    for (int i = 0; i < 3; i++) {
      fx.stats.of("acme/big", "beta").failure(fx.clock.get());
    }
    loop.failed(last(), upstream(FailureClass.UPSTREAM_TRANSIENT, null), 502);
    assertThat(launchedSlugs()).containsExactly("alpha", "gamma");
    assertThat(loop.attempts())
        .extracting(Attempt::providerSlug, Attempt::state, Attempt::note)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("alpha", Attempt.State.FAILED, null),
            org.assertj.core.groups.Tuple.tuple(
                "beta", Attempt.State.SKIPPED, "skipped: circuit breaker open"),
            org.assertj.core.groups.Tuple.tuple("gamma", Attempt.State.RUNNING, null));
  }

  @Test
  void anOpenBreakerIsStillTriedAsTheLastResort() {
    for (int i = 0; i < 3; i++) {
      fx.stats.of("acme/big", "alpha").failure(fx.clock.get());
    }
    start("acme/big", "\"provider\":{\"only\":[\"alpha\"]}");
    assertThat(launchedSlugs()).containsExactly("alpha");
  }

  @Test
  void hedgeStartsTheNextCandidateAfterTheDelay() {
    start("acme/big", hedged(300));
    time.advance(299);
    assertThat(launchedSlugs()).containsExactly("alpha");
    time.advance(1);
    assertThat(launchedSlugs()).containsExactly("alpha", "beta");
    assertThat(last().hedge()).isTrue();
    time.advance(5_000);
    assertThat(launched).hasSize(2); // at most one extra attempt
  }

  @Test
  void hedgeIsNotStartedWhenTheFirstAnswersInTime() {
    start("acme/big", hedged(300));
    time.advance(100);
    assertThat(loop.succeeded(last(), 200, sample())).isTrue();
    time.advance(1_000);
    assertThat(launchedSlugs()).containsExactly("alpha");
    assertThat(time.pending()).isZero();
  }

  @Test
  void wholeAnswerHedgeWinCancelsTheSlowFirstAttempt() {
    start("acme/big", hedged(300));
    Attempt first = last();
    time.advance(300);
    Attempt hedge = last();
    time.advance(200);
    assertThat(loop.succeeded(hedge, 200, sample())).isTrue();

    assertThat(cancelled).containsExactly("alpha");
    assertThat(first.note()).isEqualTo("cancelled: lost the hedge race");
    assertThat(first.live()).isFalse();
    assertThat(loop.succeeded(first, 200, sample())).isFalse(); // a late answer is dropped
    loop.failed(first, upstream(FailureClass.UPSTREAM_TRANSIENT, null), 502);
    assertThat(first.state()).isEqualTo(Attempt.State.CANCELLED);
    assertThat(loop.winner()).isSameAs(hedge);
  }

  @Test
  void wholeAnswerHedgeLossCancelsTheHedge() {
    start("acme/big", hedged(300));
    Attempt first = last();
    time.advance(350);
    Attempt hedge = last();
    assertThat(loop.succeeded(first, 200, sample())).isTrue();
    assertThat(cancelled).containsExactly("beta");
    assertThat(hedge.note()).isEqualTo("cancelled: lost the hedge race");
    assertThat(loop.attempts()).containsExactly(first, hedge);
  }

  @Test
  void streamHedgeWinClaimsOnFirstOutputAndCommitsNoFallbackAfter() {
    start("acme/big", hedged(300));
    Attempt first = last();
    time.advance(300);
    Attempt hedge = last();
    assertThat(loop.claim(hedge)).isTrue();
    loop.commit();
    assertThat(cancelled).containsExactly("alpha");
    assertThat(loop.claim(first)).isFalse();

    GatewayError cut = upstream(FailureClass.UPSTREAM_TRANSIENT, null);
    loop.failed(hedge, cut, 200);
    assertThat(gaveUp).isSameAs(cut); // after the commit point: no next candidate
    assertThat(launched).hasSize(2);
  }

  @Test
  void streamHedgeLossKeepsTheFirstAttempt() {
    start("acme/big", hedged(300));
    Attempt first = last();
    time.advance(300);
    Attempt hedge = last();
    assertThat(loop.claim(first)).isTrue();
    loop.commit();
    assertThat(cancelled).containsExactly("beta");
    assertThat(loop.claim(hedge)).isFalse();
    time.advance(500);
    assertThat(loop.succeeded(first, 200, sample())).isTrue();
    assertThat(first.state()).isEqualTo(Attempt.State.SUCCEEDED);
    assertThat(hedge.state()).isEqualTo(Attempt.State.CANCELLED);
  }

  @Test
  void aHedgedPairThatBothFailMovesOnFromTheSecondFailure() {
    start("acme/big", hedged(300));
    Attempt first = last();
    time.advance(300);
    Attempt hedge = last();
    loop.failed(first, upstream(FailureClass.UPSTREAM_TRANSIENT, null), 502);
    assertThat(launched).hasSize(2); // the partner is still going
    loop.failed(hedge, upstream(FailureClass.UPSTREAM_TRANSIENT, null), 502);
    assertThat(launchedSlugs()).containsExactly("alpha", "beta", "gamma");
  }

  @Test
  void aStreamThatFailsBeforeItsOutputReachedTheClientStillFallsBack() {
    start("acme/big", BIG_BY_PRICE);
    assertThat(loop.claim(last())).isTrue();
    loop.failed(last(), upstream(FailureClass.UPSTREAM_BAD_RESPONSE, null), 200);
    assertThat(launchedSlugs()).containsExactly("alpha", "beta");
    assertThat(loop.claim(last())).isTrue();
  }

  @Test
  void cancelAllStopsEverythingInFlightAndIgnoresLateReports() {
    start("acme/big", hedged(300));
    time.advance(300);
    loop.cancelAll("client closed the connection");
    assertThat(cancelled).containsExactly("alpha", "beta");
    assertThat(loop.attempts())
        .extracting(Attempt::note)
        .containsOnly("cancelled: client closed the connection");
    loop.failed(launched.getFirst(), upstream(FailureClass.UPSTREAM_TRANSIENT, null), 502);
    time.advance(10_000);
    assertThat(launched).hasSize(2);
    assertThat(gaveUp).isNull();
  }

  @Test
  void theDeadlineCutsAnUpstreamThatNeverAnswers() {
    start("acme/big", "\"provider\":{\"only\":[\"alpha\"]}", 1_000);
    time.advance(999);
    assertThat(gaveUp).isNull();
    time.advance(1);
    assertThat(gaveUp.kind()).isEqualTo(FailureClass.TIMEOUT);
    assertThat(gaveUp.httpStatus()).isEqualTo(408);
    assertThat(gaveUp.message()).contains("1000 ms");
    assertThat(cancelled).containsExactly("alpha");
    assertThat(last().note()).isEqualTo("cancelled: request deadline passed");
    assertThat(loop.over()).isTrue();
  }

  @Test
  void theDeadlineSpansEveryAttemptNotEachOne() {
    start("acme/big", BIG_BY_PRICE, 1_000);
    time.advance(600);
    loop.failed(last(), upstream(FailureClass.TIMEOUT, null), null);
    assertThat(launchedSlugs()).containsExactly("alpha", "beta");
    time.advance(400);
    assertThat(gaveUp.kind()).isEqualTo(FailureClass.TIMEOUT);
    assertThat(cancelled).containsExactly("beta");
    assertThat(launched).hasSize(2); // gamma is never started
  }

  @Test
  void aRetryThatCouldOnlyStartAfterTheDeadlineIsNotMade() {
    start("acme/big", "\"provider\":{\"only\":[\"alpha\"]}", 1_000);
    time.advance(500);
    GatewayError limited = upstream(FailureClass.UPSTREAM_RATE_LIMITED, 1L);
    loop.failed(last(), limited, 429);
    assertThat(gaveUp).isSameAs(limited); // at once, with the upstream's own error
    assertThat(time.pending()).isZero();
  }

  @Test
  void aStreamWhoseFirstOutputReachedTheClientIsNotCutByTheDeadline() {
    start("acme/big", BIG_BY_PRICE, 1_000);
    time.advance(500);
    assertThat(loop.claim(last())).isTrue();
    loop.commit();
    time.advance(5_000);
    assertThat(gaveUp).isNull();
    assertThat(loop.succeeded(last(), 200, sample())).isTrue();
  }

  @Test
  void theDeadlineCancelsBothHedgedAttempts() {
    start("acme/big", hedged(300), 1_000);
    time.advance(1_000);
    assertThat(cancelled).containsExactly("alpha", "beta");
    assertThat(gaveUp.kind()).isEqualTo(FailureClass.TIMEOUT);
  }

  CircuitBreaker.State breaker(String provider) {
    return fx.stats.of("acme/big", provider).breakerState(fx.clock.get());
  }

  static String hedged(long delayMs) {
    return "\"provider\":{\"sort\":\"price\",\"hedge\":{\"delay_ms\":" + delayMs + "}}";
  }
}
