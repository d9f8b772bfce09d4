package dev.switchboard.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@link FixedRateLoad} against a small server: the interval lines of a soak and the summary. */
class FixedRateLoadTest {

  private static Vertx vertx;
  private static HttpServer server;

  @BeforeAll
  static void startServer() throws Exception {
    vertx = Vertx.vertx();
    server =
        vertx
            .createHttpServer()
            .requestHandler(req -> req.body().onSuccess(b -> req.response().end("{\"ok\":true}")))
            .listen(0, "127.0.0.1")
            .toCompletionStage()
            .toCompletableFuture()
            .get(10, TimeUnit.SECONDS);
  }

  @AfterAll
  static void stopServer() {
    vertx.close().toCompletionStage().toCompletableFuture().join();
  }

  @Test
  void printsOneLinePerIntervalBeforeTheSummary() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    LoadOptions opt =
        LoadOptions.parse(
            "-u", "http://127.0.0.1:" + server.actualPort() + "/v1/chat/completions",
            "-b", "ignored",
            "-R", "50",
            "-c", "2",
            "-w", "0",
            "-d", "3",
            "-i", "2",
            "-p", "" + ProcessHandle.current().pid(),
            "-l", "soak");
    int code =
        FixedRateLoad.run(
            opt,
            "{}".getBytes(StandardCharsets.UTF_8),
            new PrintStream(out, true, StandardCharsets.UTF_8));

    List<String> lines = out.toString(StandardCharsets.UTF_8).lines().toList();
    assertThat(code).isZero();
    assertThat(lines).hasSize(3);
    // two seconds, then the last second of the three-second window
    assertThat(lines.get(0)).startsWith("soak interval=1 t=2 rps=").contains(" err=0 non2xx=0 ");
    assertThat(lines.get(1)).startsWith("soak interval=2 t=3 rps=").contains(" err=0 non2xx=0 ");
    assertThat(lines.get(0)).containsPattern(" w_rss_MB=[1-9][0-9.]* w_rss_peak_MB=[1-9]");
    long n1 = field(lines.get(0), "n");
    long n2 = field(lines.get(1), "n");
    assertThat(n1).isBetween(90L, 110L);
    assertThat(n2).isBetween(40L, 60L);
    assertThat(lines.get(2))
        .startsWith("soak tool=hdrload c=2 t=1 R=50 d=3 ")
        .contains(" n=150 err=0 ");
  }

  private static long field(String line, String name) {
    return Long.parseLong(line.replaceAll(".* " + name + "=(\\d+) .*", "$1"));
  }
}
