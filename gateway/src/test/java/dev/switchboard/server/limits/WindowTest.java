package dev.switchboard.server.limits;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class WindowTest {

  @Test
  void windowsStartAtMidnightUtcOnMondaysAndOnTheFirst() {
    Instant lastSecond = Instant.parse("2026-03-01T23:59:59.999Z"); // a Sunday, the 1st
    assertThat(Window.DAILY.resetsAt(lastSecond)).isEqualTo("2026-03-02T00:00:00Z");
    assertThat(Window.WEEKLY.firstDay(lastSecond)).hasToString("2026-02-23");
    assertThat(Window.WEEKLY.resetsAt(lastSecond)).isEqualTo("2026-03-02T00:00:00Z");
    assertThat(Window.MONTHLY.firstDay(lastSecond)).hasToString("2026-03-01");
    assertThat(Window.MONTHLY.resetsAt(Instant.parse("2026-02-28T23:59:59Z")))
        .isEqualTo("2026-03-01T00:00:00Z");
    Instant monday = Instant.parse("2026-03-02T00:00:00Z");
    assertThat(Window.WEEKLY.firstDay(monday)).hasToString("2026-03-02");
    assertThat(Window.LIFETIME.resetsAt(monday)).isNull();
  }

  @Test
  void wireNamesRoundTrip() {
    for (Window w : Window.values()) {
      assertThat(Window.of(w.wire())).isEqualTo(w);
    }
  }
}
