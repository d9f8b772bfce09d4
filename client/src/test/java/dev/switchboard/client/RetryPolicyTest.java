package dev.switchboard.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Backoff arithmetic and which failures are retried. */
class RetryPolicyTest {

  static SwitchboardException status(int status) {
    return Errors.typed(ErrorInfo.of(status, "x"), null);
  }

  @Test
  void backoffDoublesUpToItsCap() {
    RetryPolicy p = RetryPolicy.defaults().withJitter(0);
    assertThat(p.delay(1, null, () -> 0.5)).isEqualTo(Duration.ofMillis(500));
    assertThat(p.delay(2, null, () -> 0.5)).isEqualTo(Duration.ofMillis(1000));
    assertThat(p.delay(3, null, () -> 0.5)).isEqualTo(Duration.ofMillis(2000));
    assertThat(p.delay(10, null, () -> 0.5)).isEqualTo(Duration.ofSeconds(8));
  }

  @Test
  void jitterKeepsTheWaitBetweenHalfAndAllOfTheBackoff() {
    RetryPolicy p = RetryPolicy.defaults();
    assertThat(p.delay(2, null, () -> 0.0)).isEqualTo(Duration.ofMillis(500));
    assertThat(p.delay(2, null, () -> 0.999999))
        .isBetween(Duration.ofMillis(999), Duration.ofMillis(1000));
    RetryPolicy full = p.withJitter(1.0);
    assertThat(full.delay(1, null, () -> 0.0)).isEqualTo(Duration.ZERO);
  }

  @Test
  void retryAfterReplacesTheBackoff() {
    assertThat(RetryPolicy.defaults().delay(1, Duration.ofSeconds(7), () -> 0.3))
        .isEqualTo(Duration.ofSeconds(7));
  }

  @Test
  void retriesTheTransientStatusesAndConnectionErrorsOnly() {
    RetryPolicy p = RetryPolicy.defaults();
    for (int s : new int[] {408, 429, 502, 503}) {
      assertThat(p.retries(status(s))).as("status %s", s).isTrue();
    }
    for (int s : new int[] {400, 401, 402, 403, 404, 500}) {
      assertThat(p.retries(status(s))).as("status %s", s).isFalse();
    }
    assertThat(p.retries(new ConnectionException(ErrorInfo.of(0, "refused")))).isTrue();
    assertThat(p.retries(new InvalidResponseException(ErrorInfo.of(0, "garbage")))).isFalse();
    assertThat(p.retries(Errors.typed(ErrorInfo.of(502, "x").withMidStream(true), null))).isFalse();
  }

  @Test
  void aRetryAfterLongerThanTheCapIsNotWaitedFor() {
    SwitchboardException longWait =
        Errors.typed(
            new ErrorInfo(
                429, "x", null, null, null, null, Duration.ofMinutes(5), null, null, false),
            null);
    assertThat(RetryPolicy.defaults().retries(longWait)).isFalse();
    assertThat(RetryPolicy.defaults().withMaxRetryAfter(Duration.ofMinutes(10)).retries(longWait))
        .isTrue();
  }

  @Test
  void clientErrorsCanNeverBeConfiguredAsRetryable() {
    assertThatThrownBy(() -> RetryPolicy.defaults().withRetryOnStatus(Set.of(429, 401)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("401 is never retried");
    assertThat(RetryPolicy.defaults().withRetryOnStatus(Set.of(500, 504)).retries(status(500)))
        .isTrue();
    assertThatThrownBy(() -> RetryPolicy.defaults().withJitter(2)).hasMessageContaining("jitter");
  }

  @Test
  void retryAfterHeaderIsReadAsSecondsOrAnHttpDate() {
    assertThat(Errors.retryAfter("2")).isEqualTo(Duration.ofSeconds(2));
    assertThat(Errors.retryAfter("1.5")).isEqualTo(Duration.ofMillis(1500));
    assertThat(Errors.retryAfter("Wed, 21 Oct 2015 07:28:00 GMT")).isEqualTo(Duration.ZERO);
    assertThat(Errors.retryAfter("soon")).isNull();
    assertThat(Errors.retryAfter(null)).isNull();
  }
}
