package dev.switchboard.server.routing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.core.error.FailureClass;
import dev.switchboard.core.error.GatewayError;
import org.junit.jupiter.api.Test;

class AttemptPolicyTest {

  private final AttemptPolicy policy = new AttemptPolicy(2, 100, 5_000);

  private static GatewayError error(FailureClass kind) {
    return GatewayError.of(kind, "x");
  }

  @Test
  void callerFaultsStopAtOnce() {
    assertThat(policy.decide(error(FailureClass.UPSTREAM_INVALID_REQUEST), 0, true, 0))
        .isInstanceOf(AttemptPolicy.Decision.Stop.class);
    assertThat(policy.decide(error(FailureClass.CONTENT_FILTERED), 0, true, 0))
        .isInstanceOf(AttemptPolicy.Decision.Stop.class);
  }

  @Test
  void contextTooLongSkipsToTheNextModel() {
    assertThat(policy.decide(error(FailureClass.CONTEXT_TOO_LONG), 0, true, 0))
        .isInstanceOf(AttemptPolicy.Decision.NextModel.class);
  }

  @Test
  void transientFailuresMoveOnWhileCandidatesRemain() {
    for (FailureClass k :
        new FailureClass[] {
          FailureClass.UPSTREAM_TRANSIENT,
          FailureClass.UPSTREAM_OVERLOADED,
          FailureClass.UPSTREAM_RATE_LIMITED,
          FailureClass.TIMEOUT,
          FailureClass.UPSTREAM_CREDENTIAL,
          FailureClass.UPSTREAM_BAD_RESPONSE
        }) {
      assertThat(policy.decide(error(k), 0, true, 0))
          .isInstanceOf(AttemptPolicy.Decision.Next.class);
    }
  }

  @Test
  void theLastCandidateIsRetriedWithExponentialBackoffAndJitter() {
    GatewayError e = error(FailureClass.UPSTREAM_TRANSIENT);
    assertThat(policy.decide(e, 0, false, 0)).isEqualTo(new AttemptPolicy.Decision.Retry(100));
    assertThat(policy.decide(e, 1, false, 0.5)).isEqualTo(new AttemptPolicy.Decision.Retry(300));
    assertThat(policy.decide(e, 2, false, 0)).isInstanceOf(AttemptPolicy.Decision.Stop.class);
    assertThat(policy.decide(error(FailureClass.TIMEOUT), 0, false, 0))
        .isInstanceOf(AttemptPolicy.Decision.Stop.class);
  }

  @Test
  void retryAfterIsHonouredUpToTheCap() {
    GatewayError soon =
        GatewayError.upstream(FailureClass.UPSTREAM_RATE_LIMITED, 429, "P", null, "{}", 2L);
    assertThat(policy.decide(soon, 0, false, 0)).isEqualTo(new AttemptPolicy.Decision.Retry(2_000));
    GatewayError late =
        GatewayError.upstream(FailureClass.UPSTREAM_RATE_LIMITED, 429, "P", null, "{}", 60L);
    assertThat(policy.decide(late, 0, false, 0)).isInstanceOf(AttemptPolicy.Decision.Stop.class);
  }
}
