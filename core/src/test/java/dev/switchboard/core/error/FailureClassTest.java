package dev.switchboard.core.error;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class FailureClassTest {

  @Test
  void upstreamStatusesMapToOneClassWhicheverDialectAnswered() {
    assertThat(FailureClass.ofUpstreamStatus(400)).isEqualTo(FailureClass.UPSTREAM_INVALID_REQUEST);
    assertThat(FailureClass.ofUpstreamStatus(422)).isEqualTo(FailureClass.UPSTREAM_INVALID_REQUEST);
    assertThat(FailureClass.ofUpstreamStatus(418)).isEqualTo(FailureClass.UPSTREAM_INVALID_REQUEST);
    assertThat(FailureClass.ofUpstreamStatus(401)).isEqualTo(FailureClass.UPSTREAM_CREDENTIAL);
    assertThat(FailureClass.ofUpstreamStatus(403)).isEqualTo(FailureClass.UPSTREAM_CREDENTIAL);
    assertThat(FailureClass.ofUpstreamStatus(402)).isEqualTo(FailureClass.UPSTREAM_QUOTA);
    assertThat(FailureClass.ofUpstreamStatus(404))
        .isEqualTo(FailureClass.UPSTREAM_MODEL_UNAVAILABLE);
    assertThat(FailureClass.ofUpstreamStatus(408)).isEqualTo(FailureClass.TIMEOUT);
    assertThat(FailureClass.ofUpstreamStatus(429)).isEqualTo(FailureClass.UPSTREAM_RATE_LIMITED);
    assertThat(FailureClass.ofUpstreamStatus(503)).isEqualTo(FailureClass.UPSTREAM_OVERLOADED);
    assertThat(FailureClass.ofUpstreamStatus(529)).isEqualTo(FailureClass.UPSTREAM_OVERLOADED);
    assertThat(FailureClass.ofUpstreamStatus(500)).isEqualTo(FailureClass.UPSTREAM_TRANSIENT);
    assertThat(FailureClass.ofUpstreamStatus(504)).isEqualTo(FailureClass.UPSTREAM_TRANSIENT);
    assertThat(FailureClass.ofUpstreamStatus(200)).isEqualTo(FailureClass.UPSTREAM_BAD_RESPONSE);
    assertThat(FailureClass.ofUpstreamStatus(302)).isEqualTo(FailureClass.UPSTREAM_BAD_RESPONSE);
  }
}
