package dev.switchboard.server.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class SessionsTest {

  static final String HASH = "c".repeat(64);

  static final class MovingClock extends Clock {
    final AtomicReference<Instant> now =
        new AtomicReference<>(Instant.parse("2026-01-01T00:00:00Z"));

    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now.get();
    }
  }

  @Test
  void aSessionLastsItsTimeThenIsForgotten() {
    MovingClock clock = new MovingClock();
    Sessions sessions = new Sessions(clock, Duration.ofMinutes(30));
    Sessions.Opened opened = sessions.open(HASH);
    assertThat(opened.token()).hasSize(43).isNotEqualTo(opened.session().csrfToken());
    assertThat(sessions.find(opened.token())).map(Sessions.Session::keyHash).hasValue(HASH);
    clock.now.set(clock.now.get().plus(Duration.ofMinutes(29)));
    assertThat(sessions.find(opened.token())).isPresent();
    clock.now.set(clock.now.get().plus(Duration.ofMinutes(1)));
    assertThat(sessions.find(opened.token())).isEmpty();
  }

  @Test
  void logoutEndsOnlyThatSessionAndTokensAreUnguessable() {
    Sessions sessions = new Sessions(Clock.systemUTC(), Duration.ofHours(1));
    Sessions.Opened a = sessions.open(HASH);
    Sessions.Opened b = sessions.open(HASH);
    assertThat(a.token()).isNotEqualTo(b.token());
    sessions.close(a.token());
    assertThat(sessions.find(a.token())).isEmpty();
    assertThat(sessions.find(b.token())).isPresent();
    assertThat(sessions.find("")).isEmpty();
    assertThat(sessions.find(null)).isEmpty();
    assertThat(sessions.find(b.token() + "x")).isEmpty();
  }

  @Test
  void stateChangesNeedTheSameOriginAndTheSessionsToken() {
    Sessions.Session s = new Sessions.Session(HASH, "tok", Instant.MAX);
    assertThat(Sessions.checkCsrf(s, null, "gw:8080", "tok")).isNull();
    assertThat(Sessions.checkCsrf(s, "http://gw:8080", "gw:8080", "tok")).isNull();
    assertThat(Sessions.checkCsrf(s, "http://gw:8080", "gw:8080", "tak").httpStatus())
        .isEqualTo(403);
    assertThat(Sessions.checkCsrf(s, "http://gw:8080", "gw:8080", null).httpStatus())
        .isEqualTo(403);
    assertThat(Sessions.checkCsrf(s, "http://evil:8080", "gw:8080", "tok").httpStatus())
        .isEqualTo(403);
    assertThat(Sessions.checkCsrf(s, "null", "gw:8080", "tok").httpStatus()).isEqualTo(403);
    assertThat(Sessions.changesState("GET")).isFalse();
    assertThat(Sessions.changesState("DELETE")).isTrue();
  }
}
