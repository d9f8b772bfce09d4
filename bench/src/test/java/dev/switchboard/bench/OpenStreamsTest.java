package dev.switchboard.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerResponse;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@link OpenStreams} against a small SSE server: streams that complete, a stream that stalls, and
 * streams that are refused, each reported as such in the summary line and the exit status.
 */
class OpenStreamsTest {

  private static Vertx vertx;
  private static HttpServer server;

  @BeforeAll
  static void startServer() throws Exception {
    vertx = Vertx.vertx();
    server =
        vertx
            .createHttpServer()
            .requestHandler(
                req ->
                    req.body()
                        .onSuccess(
                            b -> {
                              HttpServerResponse resp = req.response();
                              switch (req.path()) {
                                case "/refused" -> resp.setStatusCode(503).end("{\"error\":{}}");
                                // forty events 10 ms apart, then [DONE]
                                case "/ok" -> stream(resp, 40, 10, 0);
                                // one event, then nothing for 1.2 s, then one more and [DONE]
                                case "/stall" -> stream(resp, 2, 1_200, 0);
                                // two events, then the connection ends without [DONE]
                                case "/cut" -> stream(resp, 2, 20, -1);
                                default -> resp.setStatusCode(404).end();
                              }
                            }))
            .listen(0, "127.0.0.1")
            .toCompletionStage()
            .toCompletableFuture()
            .get(10, TimeUnit.SECONDS);
  }

  /** {@code events} events {@code gapMs} apart; {@code cut} -1 closes instead of ending. */
  private static void stream(HttpServerResponse resp, int events, long gapMs, int cut) {
    resp.setChunked(true).putHeader("content-type", "text/event-stream");
    resp.write("data: {\"n\":0}\n\n");
    int[] sent = {1};
    vertx.setPeriodic(
        gapMs,
        id -> {
          if (sent[0] < events) {
            resp.write("data: {\"n\":" + sent[0]++ + "}\n\n");
            return;
          }
          vertx.cancelTimer(id);
          if (cut < 0) {
            resp.reset();
          } else {
            resp.end("data: [DONE]\n\n");
          }
        });
  }

  @AfterAll
  static void stopServer() {
    vertx.close().toCompletionStage().toCompletableFuture().join();
  }

  private static String[] args(String path, int n, String... more) {
    String[] base = {
      "-u", "http://127.0.0.1:" + server.actualPort() + path, "-b", "ignored", "-n", "" + n
    };
    String[] all = new String[base.length + more.length];
    System.arraycopy(base, 0, all, 0, base.length);
    System.arraycopy(more, 0, all, base.length, more.length);
    return all;
  }

  private record Run(int code, String line, String progress) {}

  private static Run run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream progress = new ByteArrayOutputStream();
    int code =
        OpenStreams.run(
            StreamsOptions.parse(args),
            "{\"stream\":true}".getBytes(StandardCharsets.UTF_8),
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(progress, true, StandardCharsets.UTF_8));
    return new Run(
        code,
        out.toString(StandardCharsets.UTF_8).strip(),
        progress.toString(StandardCharsets.UTF_8));
  }

  @Test
  void slowReadersFollowEveryStreamToItsEnd() {
    // The reader (one chunk per 40 ms) is slower than the stream (one event per 10 ms), so the
    // stream's end arrives while chunks still wait to be read: they must all be read all the same.
    Run r = run(args("/ok", 40, "-r", "2000", "--read-ms", "40", "--stall", "5", "-T", "20"));
    assertThat(r.line())
        .startsWith("streams tool=openstreams n=40 opened=40 peak_open=40 ")
        .contains(" completed=40 errors=0 stalls=0 unfinished=0 ")
        .contains("errors_by_kind={}");
    assertThat(r.code()).isZero();
    assertThat(r.progress()).contains("streams all-open t=");
  }

  @Test
  void aStreamThatReceivesNothingForTooLongIsAStall() {
    Run r = run(args("/stall", 2, "--read-ms", "0", "--stall", "1", "-T", "20"));
    assertThat(r.line()).contains(" completed=2 errors=0 stalls=2 unfinished=0 ");
    assertThat(r.code()).isEqualTo(1);
    assertThat(maxGapMs(r.line())).isGreaterThanOrEqualTo(1_100);
  }

  @Test
  void refusedAndCutStreamsAreErrorsByKind() {
    Run refused = run(args("/refused", 3, "-T", "20"));
    assertThat(refused.line())
        .contains(" peak_open=0 ")
        .contains(" completed=0 errors=3 ")
        .contains("errors_by_kind={status-503=3}");
    assertThat(refused.code()).isEqualTo(1);

    Run cut = run(args("/cut", 2, "--read-ms", "0", "-T", "20"));
    assertThat(cut.line()).contains(" completed=0 errors=2 ");
    assertThat(cut.line()).containsPattern("errors_by_kind=\\{(no-done|reset)=2\\}");
    assertThat(cut.code()).isEqualTo(1);
  }

  @Test
  void streamsStillOpenAtTheTimeLimitAreUnfinished() {
    Run r = run(args("/stall", 2, "--read-ms", "0", "--stall", "30", "-T", "1"));
    assertThat(r.line()).contains(" completed=0 errors=0 stalls=0 unfinished=2 ");
    assertThat(r.code()).isEqualTo(1);
  }

  private static long maxGapMs(String line) {
    return Long.parseLong(line.replaceAll(".* max_gap_ms=(\\d+) .*", "$1"));
  }
}
