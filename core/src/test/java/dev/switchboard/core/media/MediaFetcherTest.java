package dev.switchboard.core.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.switchboard.core.error.FailureClass;
import dev.switchboard.core.error.GatewayException;
import dev.switchboard.core.model.ContentPart;
import dev.switchboard.core.model.LlmRequest;
import dev.switchboard.core.model.Message;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Against a local server on 127.0.0.1, reachable only because these tests opt in to loopback. No
 * other address is ever contacted: every refusal happens before a connection is made.
 */
class MediaFetcherTest {

  private static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10, 0, 0, 0, 13};
  private static final byte[] PDF =
      "%PDF-1.4\n%...".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

  private static HttpServer server;
  private static String base;
  private static final CountDownLatch NEVER = new CountDownLatch(1);

  private static final MediaFetcher.Options LOOPBACK =
      MediaFetcher.Options.defaults()
          .withAddresses(new AddressPolicy(true, false))
          .withTimeout(Duration.ofSeconds(5));

  @BeforeAll
  static void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setExecutor(Executors.newCachedThreadPool());
    server.createContext("/cat.png", ex -> reply(ex, 200, "image/png", PNG));
    server.createContext("/doc", ex -> reply(ex, 200, "application/octet-stream", PDF));
    server.createContext(
        "/page", ex -> reply(ex, 200, "text/html; charset=utf-8", "<html>".getBytes()));
    server.createContext("/untyped", ex -> reply(ex, 200, null, PNG));
    server.createContext("/missing", ex -> reply(ex, 404, "text/plain", "no".getBytes()));
    server.createContext("/big", ex -> reply(ex, 200, "image/png", new byte[4096]));
    server.createContext(
        "/big-png", ex -> reply(ex, 200, "image/png", java.util.Arrays.copyOf(PNG, 4096)));
    server.createContext(
        "/chunked-big",
        ex -> {
          ex.getResponseHeaders().add("Content-Type", "image/png");
          ex.sendResponseHeaders(200, 0); // chunked: the size shows only while reading
          try (OutputStream out = ex.getResponseBody()) {
            for (int i = 0; i < 64; i++) {
              out.write(new byte[512]);
            }
          }
        });
    server.createContext(
        "/slow",
        ex -> {
          try {
            NEVER.await(10, TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          reply(ex, 200, "image/png", PNG);
        });
    server.createContext("/hop", ex -> redirect(ex, "/cat.png"));
    server.createContext("/loop", ex -> redirect(ex, "/loop"));
    server.createContext(
        "/to-metadata", ex -> redirect(ex, "http://169.254.169.254/latest/meta-data/"));
    server.createContext("/to-private-v6", ex -> redirect(ex, "http://[fd00::1]/x.png"));
    server.createContext("/to-file", ex -> redirect(ex, "file:///etc/passwd"));
    server.start();
    base = "http://127.0.0.1:" + server.getAddress().getPort();
  }

  @AfterAll
  static void stop() {
    NEVER.countDown();
    server.stop(0);
  }

  private static void reply(
      com.sun.net.httpserver.HttpExchange ex, int status, String type, byte[] body)
      throws IOException {
    if (type != null) {
      ex.getResponseHeaders().add("Content-Type", type);
    }
    ex.sendResponseHeaders(status, body.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(body);
    }
  }

  private static void redirect(com.sun.net.httpserver.HttpExchange ex, String location)
      throws IOException {
    ex.getResponseHeaders().add("Location", location);
    ex.sendResponseHeaders(302, -1);
    ex.close();
  }

  private static FetchedMedia fetch(MediaFetcher.Options options, String path, MediaKind kind) {
    try (MediaFetcher fetcher = MediaFetcher.create(options)) {
      return fetcher.fetch(new MediaRef(path.startsWith("/") ? base + path : path, kind));
    }
  }

  private static void assertRefused(ThrowingCallable call, String... fragments) {
    assertThatThrownBy(call)
        .isInstanceOf(GatewayException.class)
        .satisfies(
            e -> {
              GatewayException ge = (GatewayException) e;
              assertThat(ge.error().kind()).isEqualTo(FailureClass.INVALID_REQUEST);
              assertThat(ge.getMessage()).contains(fragments);
            });
  }

  @Test
  void fetchesAnImageWhenLoopbackIsExplicitlyAllowed() {
    FetchedMedia media = fetch(LOOPBACK, "/cat.png", MediaKind.IMAGE);
    assertThat(media.contentType()).isEqualTo("image/png");
    assertThat(media.bytes()).isEqualTo(PNG);
    assertThat(media.dataUrl())
        .isEqualTo("data:image/png;base64," + Base64.getEncoder().encodeToString(PNG));
  }

  @Test
  void refusesLoopbackByDefault() {
    assertRefused(
        () -> fetch(MediaFetcher.Options.defaults(), "/cat.png", MediaKind.IMAGE),
        "Cannot use an image from http://127.0.0.1:",
        "a loopback address",
        "only fetched from public addresses");
  }

  @Test
  void refusesAHostWhenAnyOfItsAddressesIsPrivate() {
    MediaFetcher fetcher =
        MediaFetcher.create(
            MediaFetcher.Options.defaults(),
            host ->
                new InetAddress[] {
                  InetAddress.getByName("93.184.216.34"), InetAddress.getByName("10.0.0.7")
                });
    assertRefused(
        () -> fetcher.fetch(new MediaRef("https://mixed.example/a.png", MediaKind.IMAGE)),
        "a private address",
        "mixed.example is 10.0.0.7");
    fetcher.close();
  }

  @Test
  void followsARedirectAndChecksWhereItLeads() {
    assertThat(fetch(LOOPBACK, "/hop", MediaKind.IMAGE).bytes()).isEqualTo(PNG);
    assertRefused(
        () -> fetch(LOOPBACK, "/to-metadata", MediaKind.IMAGE),
        "a link-local address",
        "169.254.169.254");
    assertRefused(
        () -> fetch(LOOPBACK, "/to-private-v6", MediaKind.IMAGE), "a private (unique local)");
    assertRefused(() -> fetch(LOOPBACK, "/to-file", MediaKind.IMAGE), "must be an http(s)");
    assertRefused(() -> fetch(LOOPBACK, "/loop", MediaKind.IMAGE), "redirected more than 3 times");
  }

  @Test
  void checksTheContentTypeAndSniffsWhenTheServerDoesNotSay() {
    assertThat(fetch(LOOPBACK, "/doc", MediaKind.PDF).contentType()).isEqualTo("application/pdf");
    assertThat(fetch(LOOPBACK, "/untyped", MediaKind.IMAGE).contentType()).isEqualTo("image/png");
    assertRefused(
        () -> fetch(LOOPBACK, "/page", MediaKind.IMAGE),
        "is not an image of an accepted type (image/gif, image/jpeg, image/png, image/webp)",
        "it is text/html");
    assertRefused(() -> fetch(LOOPBACK, "/cat.png", MediaKind.PDF), "is not a PDF");
  }

  @Test
  void refusesBodiesOverTheLimitWhetherAnnouncedOrNot() {
    MediaFetcher.Options small = LOOPBACK.withMaxBytes(1024);
    assertRefused(() -> fetch(small, "/big", MediaKind.IMAGE), "larger than the limit of 1024");
    assertRefused(
        () -> fetch(small, "/chunked-big", MediaKind.IMAGE), "larger than the limit of 1024");
  }

  @Test
  void takesTheBytesFromTheRequestsQuotaAndTheProcesssBudget() {
    MediaBudget budget = new MediaBudget(8_000);
    try (MediaFetcher fetcher = MediaFetcher.create(LOOPBACK)) {
      MediaQuota quota = new MediaQuota(budget, 6_000);
      assertThat(fetcher.fetch(new MediaRef(base + "/big-png", MediaKind.IMAGE), quota).bytes())
          .hasSize(4096);
      assertThat(quota.held()).isEqualTo(4096);
      assertThat(budget.used()).isEqualTo(4096);

      // Over the request's cap, announced (Content-Length) or not (chunked): 413, nothing kept.
      assertThatThrownBy(
              () -> fetcher.fetch(new MediaRef(base + "/big-png", MediaKind.IMAGE), quota))
          .isInstanceOfSatisfying(
              GatewayException.class,
              e -> {
                assertThat(e.error().httpStatus()).isEqualTo(413);
                assertThat(e.getMessage()).contains("6000 bytes per request");
              });
      assertThatThrownBy(
              () -> fetcher.fetch(new MediaRef(base + "/chunked-big", MediaKind.IMAGE), quota))
          .isInstanceOfSatisfying(
              GatewayException.class, e -> assertThat(e.error().httpStatus()).isEqualTo(413));
      assertThat(quota.held()).isEqualTo(4096);
      assertThat(budget.used()).isEqualTo(4096);

      // Over the process's budget (another request holds most of it): 503 with Retry-After.
      MediaQuota other = new MediaQuota(budget, 100_000);
      assertThatThrownBy(
              () -> fetcher.fetch(new MediaRef(base + "/big-png", MediaKind.IMAGE), other))
          .isInstanceOfSatisfying(
              GatewayException.class,
              e -> {
                assertThat(e.error().httpStatus()).isEqualTo(503);
                assertThat(e.error().retryAfterSeconds()).isEqualTo(1L);
                assertThat(e.getMessage()).contains("media.max-total-bytes");
              });
      assertThat(other.held()).isZero();

      // A fetch refused after its bytes were counted gives them back.
      assertRefused(
          () -> fetcher.fetch(new MediaRef(base + "/page", MediaKind.IMAGE), other),
          "is not an image");
      assertThat(other.held()).isZero();

      quota.close();
      assertThat(budget.used()).isZero();
      assertThat(fetcher.fetch(new MediaRef(base + "/big-png", MediaKind.IMAGE), other).bytes())
          .hasSize(4096);
      other.close();
      assertThat(budget.used()).isZero();
    }
  }

  @Test
  void givesUpAfterTheTimeOut() {
    long start = System.nanoTime();
    assertRefused(
        () -> fetch(LOOPBACK.withTimeout(Duration.ofMillis(300)), "/slow", MediaKind.IMAGE),
        "was not fetched within 300 ms");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
  }

  @Test
  void reportsErrorStatusesAndRefusesOtherSchemesAndCredentials() {
    assertRefused(() -> fetch(LOOPBACK, "/missing", MediaKind.IMAGE), "answered HTTP 404");
    assertRefused(
        () -> fetch(LOOPBACK, "ftp://127.0.0.1/a.png", MediaKind.IMAGE), "must be an http(s)");
    assertRefused(
        () -> fetch(LOOPBACK, "http://user:pw@127.0.0.1/a.png", MediaKind.IMAGE),
        "must not carry credentials");
    assertRefused(
        () -> fetch(LOOPBACK, "http://exa mple.com/", MediaKind.IMAGE), "not a valid URL");
  }

  @Test
  void inlinesEveryDistinctUrlOnceAndLeavesTheRestAlone() {
    String url = base + "/cat.png";
    String pdf = base + "/doc";
    LlmRequest request =
        new LlmRequest(
            "google/gemini",
            null,
            List.of(
                new Message.System(List.of(ContentPart.Text.of("sys")), null, false),
                new Message.User(
                    List.of(
                        ContentPart.Text.of("look"),
                        new ContentPart.Image(url, "high"),
                        new ContentPart.Image(url, null),
                        new ContentPart.File("a.pdf", pdf, null),
                        new ContentPart.Image("data:image/gif;base64,R0lG", null)),
                    null)),
            null,
            null,
            null,
            null,
            null,
            null,
            false,
            null,
            null,
            null,
            null,
            null,
            null);
    LlmRequest inlined;
    try (MediaFetcher fetcher = MediaFetcher.create(LOOPBACK)) {
      inlined =
          fetcher.inline(
              request,
              List.of(
                  new MediaRef(url, MediaKind.IMAGE),
                  new MediaRef(url, MediaKind.IMAGE),
                  new MediaRef(pdf, MediaKind.PDF)));
    }
    String png = "data:image/png;base64," + Base64.getEncoder().encodeToString(PNG);
    assertThat(inlined.messages().get(0)).isSameAs(request.messages().get(0));
    assertThat(inlined.messages().get(1).content())
        .containsExactly(
            ContentPart.Text.of("look"),
            new ContentPart.Image(png, "high"),
            new ContentPart.Image(png, null),
            new ContentPart.File(
                "a.pdf",
                "data:application/pdf;base64," + Base64.getEncoder().encodeToString(PDF),
                null),
            new ContentPart.Image("data:image/gif;base64,R0lG", null));
  }
}
