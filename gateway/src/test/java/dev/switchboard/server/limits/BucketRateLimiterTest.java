package dev.switchboard.server.limits;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class BucketRateLimiterTest {

  final LimitsFixture.TestClock clock =
      new LimitsFixture.TestClock(Instant.parse("2026-03-04T23:59:00Z"));
  final BucketRateLimiter limiter = new BucketRateLimiter(clock);

  @Test
  void aPerMinuteBucketRefillsOverTheMinute() {
    RateLimiter.Rate rate = RateLimiter.Rate.perMinute(2);
    assertThat(limiter.take("b", rate, 1).remaining()).isEqualTo(1);
    assertThat(limiter.take("b", rate, 1).allowed()).isTrue();
    RateLimiter.Verdict no = limiter.take("b", rate, 1);
    assertThat(no.allowed()).isFalse();
    assertThat(no.retryAfterSeconds()).isEqualTo(30);
    assertThat(no.resetAtMs()).isEqualTo(clock.millis() + 60_000);
    clock.advance(Duration.ofSeconds(30));
    assertThat(limiter.take("b", rate, 1).allowed()).isTrue();
  }

  @Test
  void aDailyBucketRefillsAtMidnightUtcAtOnce() {
    RateLimiter.Rate rate = RateLimiter.Rate.perUtcDay(1);
    assertThat(limiter.take("d", rate, 1).allowed()).isTrue();
    RateLimiter.Verdict no = limiter.take("d", rate, 1);
    assertThat(no.allowed()).isFalse();
    assertThat(no.resetAtMs()).isEqualTo(Instant.parse("2026-03-05T00:00:00Z").toEpochMilli());
    assertThat(no.retryAfterSeconds()).isEqualTo(60);
    clock.set("2026-03-04T23:59:59.999Z");
    assertThat(limiter.take("d", rate, 1).allowed()).isFalse();
    clock.set("2026-03-05T00:00:00Z");
    assertThat(limiter.take("d", rate, 1).allowed()).isTrue();
  }

  @Test
  void adjustingTakesMoreOrGivesBack() {
    RateLimiter.Rate rate = RateLimiter.Rate.perMinute(10);
    limiter.take("t", rate, 5);
    limiter.adjust("t", rate, 5);
    assertThat(limiter.take("t", rate, 1).allowed()).isFalse();
    limiter.adjust("t", rate, -3);
    assertThat(limiter.take("t", rate, 3).allowed()).isTrue();
  }
}
