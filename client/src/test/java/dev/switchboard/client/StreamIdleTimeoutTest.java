package dev.switchboard.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.switchboard.api.chat.ChatRequest;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A stream that goes silent after its head ends with a {@link RequestTimeoutException} after the
 * stream idle time-out, instead of blocking the reader forever; keep-alive comments keep it open.
 */
@Timeout(30)
class StreamIdleTimeoutTest {

  private static final ChatRequest HI = Chat.request("m/x").user("hi").build();

  private HttpServer server;
  private final CountDownLatch release = new CountDownLatch(1);

  /** A step of a scripted stream: bytes to write, or a pause. */
  private sealed interface Step permits Write, Pause, Stall {}

  private record Write(String text) implements Step {}

  private record Pause(long millis) implements Step {}

  /** Waits until the test ends (or the client closes the connection). */
  private record Stall() implements Step {}

  private volatile List<Step> script = List.of();

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", this::handle);
    server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    server.start();
  }

  @AfterEach
  void stop() {
    release.countDown();
    server.stop(0);
  }

  private void handle(HttpExchange ex) throws IOException {
    try (InputStream in = ex.getRequestBody()) {
      in.readAllBytes();
    }
    ex.getResponseHeaders().add("Content-Type", "text/event-stream");
    ex.sendResponseHeaders(200, 0);
    try (OutputStream out = ex.getResponseBody()) {
      for (Step step : script) {
        switch (step) {
          case Write w -> {
            out.write(w.text().getBytes(StandardCharsets.UTF_8));
            out.flush();
          }
          case Pause p -> Thread.sleep(p.millis());
          case Stall s -> {
            // Probe the connection until the client drops it (or the test ends).
            while (!release.await(50, TimeUnit.MILLISECONDS)) {
              out.write(new byte[0]);
              out.flush();
            }
          }
        }
      }
    } catch (IOException e) {
      // the client went away: expected when it times out
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private SwitchboardClient client(Duration idle) {
    return SwitchboardClient.builder()
        .baseUrl("http://127.0.0.1:" + server.getAddress().getPort() + "/api/v1")
        .apiKey(ReplayServer.KEY)
        .retryPolicy(RetryPolicy.none())
        .streamIdleTimeout(idle)
        .build();
  }

  private static String chunk(String text) {
    return Replies.CHUNK.formatted(text);
  }

  @Test
  void aStreamThatGoesSilentAfterItsFirstChunkRaisesATimeoutFromNext() {
    script = List.of(new Write(chunk("Hel")), new Stall());
    try (SwitchboardClient c = client(Duration.ofMillis(400));
        ChatStream s = c.chat().stream(HI)) {
      assertThat(s.next().choices().getFirst().delta().content()).isEqualTo("Hel");
      RequestTimeoutException e = catchThrowableOfType(RequestTimeoutException.class, s::next);
      assertThat(e.midStream()).isTrue();
      assertThat(e.getMessage()).contains("stream stalled").contains("400 ms");
      assertThat(s.hasNext()).isFalse();
    }
  }

  @Test
  void aStreamSilentBeforeItsFirstChunkFailsTheCallAsATimeout() {
    script = List.of(new Write(": OPENROUTER PROCESSING\n\n"), new Stall());
    try (SwitchboardClient c = client(Duration.ofMillis(300))) {
      RequestTimeoutException e =
          catchThrowableOfType(RequestTimeoutException.class, () -> c.chat().stream(HI));
      assertThat(e.midStream()).isFalse();
      assertThat(e.status()).isZero();
    }
  }

  @Test
  void keepAliveCommentsKeepASlowStreamOpen() {
    script =
        List.of(
            new Write(chunk("a")),
            new Pause(200),
            new Write(": OPENROUTER PROCESSING\n\n"),
            new Pause(200),
            new Write(": OPENROUTER PROCESSING\n\n"),
            new Pause(200),
            new Write(chunk("b")),
            new Write("data: [DONE]\n\n"));
    try (SwitchboardClient c = client(Duration.ofMillis(350));
        ChatStream s = c.chat().stream(HI)) {
      assertThat(s.accumulate().text()).isEqualTo("ab");
      assertThat(s.completed()).isTrue();
    }
  }

  @Test
  void aConsumerSlowerThanTheIdleTimeOutIsNotAStall() throws Exception {
    script =
        List.of(new Write(chunk("a") + chunk("b")), new Pause(100), new Write("data: [DONE]\n\n"));
    try (SwitchboardClient c = client(Duration.ofMillis(200));
        ChatStream s = c.chat().stream(HI)) {
      assertThat(s.next().choices().getFirst().delta().content()).isEqualTo("a");
      Thread.sleep(700); // the caller is busy; the rest of the stream is already here
      assertThat(s.accumulate().text()).isEqualTo("ab");
      assertThat(s.completed()).isTrue();
    }
  }

  @Test
  void zeroTurnsTheIdleTimeOutOff() {
    script = List.of(new Write(chunk("a")), new Pause(500), new Write("data: [DONE]\n\n"));
    try (SwitchboardClient c = client(Duration.ZERO);
        ChatStream s = c.chat().stream(HI)) {
      assertThat(s.accumulate().text()).isEqualTo("a");
    }
  }
}
