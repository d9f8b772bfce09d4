package dev.switchboard.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class StreamsOptionsTest {

  @Test
  void parsesEveryOption() {
    StreamsOptions o =
        StreamsOptions.parse(
            "-u", "http://127.0.0.1:18700/api/v1/chat/completions",
            "-b", "body.json",
            "-n", "10000",
            "-r", "800",
            "--read-ms", "250",
            "--rcvbuf", "4096",
            "--stall", "15",
            "-T", "120",
            "-H", "Authorization: Bearer sk-1",
            "-p", "12,34",
            "-l", "s10k");
    assertThat(o.streams()).isEqualTo(10_000);
    assertThat(o.openPerSecond()).isEqualTo(800);
    assertThat(o.readIntervalMs()).isEqualTo(250);
    assertThat(o.receiveBufferBytes()).isEqualTo(4096);
    assertThat(o.stallSeconds()).isEqualTo(15);
    assertThat(o.timeoutSeconds()).isEqualTo(120);
    assertThat(o.headers().get(0)).containsExactly("Authorization", "Bearer sk-1");
    assertThat(o.pids()).containsExactly(12L, 34L);
    assertThat(o.label()).isEqualTo("s10k");
    assertThat(o.port()).isEqualTo(18700);
    assertThat(o.pathAndQuery()).isEqualTo("/api/v1/chat/completions");
  }

  @Test
  void defaults() {
    StreamsOptions o = StreamsOptions.parse("-u", "http://localhost/x", "-b", "b.json", "-n", "5");
    assertThat(o.openPerSecond()).isEqualTo(500);
    assertThat(o.readIntervalMs()).isEqualTo(1000);
    assertThat(o.receiveBufferBytes()).isZero();
    assertThat(o.stallSeconds()).isEqualTo(10);
    assertThat(o.timeoutSeconds()).isEqualTo(600);
  }

  @Test
  void refusesWhatItCannotRun() {
    assertThatThrownBy(() -> StreamsOptions.parse("-u", "http://localhost/x", "-b", "b.json"))
        .hasMessageContaining("-n");
    assertThatThrownBy(
            () -> StreamsOptions.parse("-u", "http://10.0.0.1/x", "-b", "b.json", "-n", "1"))
        .hasMessageContaining("non-loopback");
    assertThatThrownBy(
            () -> StreamsOptions.parse("-u", "http://localhost/x", "-b", "b", "-n", "100001"))
        .hasMessageContaining("-n must be");
    assertThatThrownBy(
            () ->
                StreamsOptions.parse(
                    "-u", "http://localhost/x", "-b", "b", "-n", "1", "--stall", "0"))
        .hasMessageContaining("--stall");
    assertThatThrownBy(
            () -> StreamsOptions.parse("-u", "http://localhost/x", "-b", "b", "-n", "1", "-x", "1"))
        .hasMessageContaining("unknown option -x");
  }
}
