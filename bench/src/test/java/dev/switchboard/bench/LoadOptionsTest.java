package dev.switchboard.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class LoadOptionsTest {

  @Test
  void parsesTheOptionsLoadShTakes() {
    LoadOptions o =
        LoadOptions.parse(
            "-u",
            "http://127.0.0.1:8080/api/v1/chat/completions?x=1",
            "-b",
            "body.json",
            "-H",
            "Authorization: Bearer sk-1",
            "-H",
            "x-portkey-provider: openai",
            "-R",
            "1000",
            "-c",
            "64",
            "-d",
            "20",
            "-w",
            "30",
            "-p",
            "12,34",
            "-l",
            "gw",
            "--stream");
    assertThat(o.rate()).isEqualTo(1000);
    assertThat(o.connections()).isEqualTo(64);
    assertThat(o.durationSeconds()).isEqualTo(20);
    assertThat(o.warmupSeconds()).isEqualTo(30);
    assertThat(o.pids()).containsExactly(12L, 34L);
    assertThat(o.stream()).isTrue();
    assertThat(o.port()).isEqualTo(8080);
    assertThat(o.pathAndQuery()).isEqualTo("/api/v1/chat/completions?x=1");
    assertThat(o.headers()).hasSize(2);
    assertThat(o.headers().get(0)).containsExactly("Authorization", "Bearer sk-1");
    assertThat(o.schedule().total()).isEqualTo(50_000);
  }

  @Test
  void defaultsAreThoseOfLoadSh() {
    LoadOptions o = LoadOptions.parse("-u", "http://localhost/x", "-b", "b.json", "-R", "10");
    assertThat(o.connections()).isEqualTo(16);
    assertThat(o.durationSeconds()).isEqualTo(20);
    assertThat(o.warmupSeconds()).isEqualTo(5);
    assertThat(o.port()).isEqualTo(80);
    assertThat(o.pids()).isEqualTo(List.of());
    assertThat(o.stream()).isFalse();
  }

  @Test
  void refusesAnythingButLoopback() {
    for (String url :
        List.of("http://example.com/x", "https://127.0.0.1/x", "http://10.0.0.1:80/", "nope")) {
      assertThatThrownBy(() -> LoadOptions.parse("-u", url, "-b", "b.json", "-R", "10"))
          .as(url)
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void reportsMissingOrBadValues() {
    assertThatThrownBy(() -> LoadOptions.parse("-u", "http://127.0.0.1/x", "-b", "b.json"))
        .hasMessageContaining("-R");
    assertThatThrownBy(
            () -> LoadOptions.parse("-u", "http://127.0.0.1/x", "-b", "b.json", "-R", "fast"))
        .hasMessageContaining("-R");
    assertThatThrownBy(() -> LoadOptions.parse("-u", "http://127.0.0.1/x", "-b"))
        .hasMessageContaining("missing value");
    assertThatThrownBy(
            () -> LoadOptions.parse("-u", "http://127.0.0.1/x", "-b", "b", "-R", "1", "-H", "x"))
        .hasMessageContaining("Name: value");
  }
}
