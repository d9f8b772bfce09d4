package dev.switchboard.core.media;

import dev.switchboard.core.error.GatewayException;
import dev.switchboard.core.model.LlmRequest;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Fetches media given by http(s) URL for upstreams that need the bytes (Gemini inline data, for
 * one). Blocking: call it from a worker thread, never an event loop. Thread-safe; one instance (one
 * pooled JDK HTTP client) serves the process; {@link #close()} releases it.
 *
 * <p>Every hop is checked before it is made: the scheme is http or https; the host is resolved and
 * <em>every</em> address it resolves to must pass the {@link AddressPolicy} (by default public
 * addresses only: no loopback, private or link-local ones, so a caller cannot make the gateway read
 * its own network); redirects are followed by hand, at most {@code maxRedirects}, and each target
 * is checked the same way. The whole fetch, redirects included, must finish within {@code timeout};
 * a body larger than {@code maxBytes} is refused as soon as its {@code Content-Length} or its bytes
 * say so; the content type (or, when the server sends none or {@code application/octet-stream}, the
 * type the first bytes announce) must be one the {@link MediaKind} accepts. Every refusal is a
 * {@link GatewayException} with {@code INVALID_REQUEST} and a message naming the URL and the
 * reason.
 *
 * <p>The addresses are checked from the JVM's resolver; the HTTP client resolves the host again
 * when it connects, normally from the JVM's DNS cache (30 s by default), which is what keeps a
 * DNS-rebinding answer from slipping in between. Where that matters, also route egress through a
 * proxy or firewall that blocks private ranges.
 */
public final class MediaFetcher implements AutoCloseable {

  /**
   * Limits and address policy.
   *
   * @param maxBytes the largest body accepted, per URL
   * @param timeout the most one fetch may take, redirects included
   * @param maxRedirects redirects followed before giving up
   * @param addresses which resolved addresses may be contacted
   */
  public record Options(
      long maxBytes, Duration timeout, int maxRedirects, AddressPolicy addresses) {

    /** 20 MiB, 15 s, 3 redirects, public addresses only. */
    public static Options defaults() {
      return new Options(20L * 1024 * 1024, Duration.ofSeconds(15), 3, AddressPolicy.PUBLIC_ONLY);
    }

    public Options withAddresses(AddressPolicy policy) {
      return new Options(maxBytes, timeout, maxRedirects, policy);
    }

    public Options withMaxBytes(long limit) {
      return new Options(limit, timeout, maxRedirects, addresses);
    }

    public Options withTimeout(Duration limit) {
      return new Options(maxBytes, limit, maxRedirects, addresses);
    }
  }

  /** Host name to addresses; the JVM's resolver unless a test supplies another. */
  @FunctionalInterface
  interface Resolver {
    InetAddress[] resolve(String host) throws UnknownHostException;
  }

  private final Options options;
  private final Resolver resolver;
  private final HttpClient client;

  private MediaFetcher(Options options, Resolver resolver) {
    this.options = options;
    this.resolver = resolver;
    this.client =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(options.timeout())
            .build();
  }

  /** A fetcher with these options. */
  public static MediaFetcher create(Options options) {
    return new MediaFetcher(options, InetAddress::getAllByName);
  }

  static MediaFetcher create(Options options, Resolver resolver) {
    return new MediaFetcher(options, resolver);
  }

  public Options options() {
    return options;
  }

  /**
   * Fetches every distinct URL of {@code refs} and returns {@code request} with those URLs replaced
   * by {@code data:} URLs ({@link MediaInliner}). This is what the gateway calls, on a worker
   * thread, with what {@link dev.switchboard.core.provider.NeedsMediaBytes} reported, before {@code
   * encode}.
   */
  public LlmRequest inline(LlmRequest request, Collection<MediaRef> refs) {
    if (refs.isEmpty()) {
      return request;
    }
    Map<String, String> dataUrls = new LinkedHashMap<>();
    for (MediaRef ref : refs) {
      if (!dataUrls.containsKey(ref.url())) {
        dataUrls.put(ref.url(), fetch(ref).dataUrl());
      }
    }
    return MediaInliner.inline(request, dataUrls);
  }

  /**
   * Fetches one URL; throws {@link GatewayException} (INVALID_REQUEST) when it may not or fails.
   */
  public FetchedMedia fetch(MediaRef ref) {
    return fetch(ref, (MediaQuota) null);
  }

  /**
   * Fetches one URL, taking its bytes from {@code quota} (null: none) as they arrive: refused with
   * 413 past the request's cap, 503 past the process's budget, before the download when the server
   * declares the length. A failed fetch gives back what it took; a successful one holds its bytes
   * until the quota is closed. Other refusals as {@link #fetch(MediaRef)}.
   */
  public FetchedMedia fetch(MediaRef ref, MediaQuota quota) {
    MediaQuota.Tab tab = quota == null ? null : quota.tab();
    try {
      return fetchWithin(ref, tab);
    } catch (RuntimeException e) {
      if (tab != null) {
        tab.cancel();
      }
      throw e;
    }
  }

  private FetchedMedia fetchWithin(MediaRef ref, MediaQuota.Tab tab) {
    URI uri = parse(ref);
    long deadline = System.nanoTime() + options.timeout().toNanos();
    for (int hop = 0; ; hop++) {
      checkTarget(ref, uri);
      HttpResponse<byte[]> response = send(ref, uri, deadline, tab);
      int status = response.statusCode();
      if (status >= 300 && status < 400 && status != 304) {
        String location = response.headers().firstValue("location").orElse(null);
        if (location == null) {
          throw refuse(ref, "answered HTTP " + status + " without a Location");
        }
        if (hop >= options.maxRedirects()) {
          throw refuse(ref, "redirected more than " + options.maxRedirects() + " times");
        }
        uri = redirect(ref, uri, location);
        continue;
      }
      if (status < 200 || status >= 300) {
        throw refuse(ref, "answered HTTP " + status);
      }
      return checked(ref, response);
    }
  }

  private static URI parse(MediaRef ref) {
    URI uri;
    try {
      uri = new URI(ref.url());
    } catch (URISyntaxException e) {
      throw refuse(ref, "is not a valid URL");
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      throw refuse(ref, "must be an http(s) or data: URL");
    }
    if (uri.getHost() == null || uri.getHost().isEmpty()) {
      throw refuse(ref, "has no host");
    }
    if (uri.getRawUserInfo() != null) {
      throw refuse(ref, "must not carry credentials");
    }
    return uri;
  }

  private URI redirect(MediaRef ref, URI from, String location) {
    URI next;
    try {
      next = from.resolve(new URI(location.trim()));
    } catch (URISyntaxException | IllegalArgumentException e) {
      throw refuse(ref, "redirected to an invalid URL");
    }
    return parse(new MediaRef(next.toString(), ref.kind()));
  }

  /** Resolves the host and checks every address it has. */
  private void checkTarget(MediaRef ref, URI uri) {
    String host = uri.getHost();
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    InetAddress[] addresses;
    try {
      addresses = resolver.resolve(host);
    } catch (UnknownHostException e) {
      throw refuse(ref, "has a host that does not resolve (" + host + ")");
    }
    if (addresses == null || addresses.length == 0) {
      throw refuse(ref, "has a host that does not resolve (" + host + ")");
    }
    for (InetAddress address : addresses) {
      String refusal = options.addresses().refusal(address);
      if (refusal != null) {
        throw refuse(
            ref,
            "points at "
                + refusal
                + " ("
                + host
                + " is "
                + address.getHostAddress()
                + "); media is only fetched from public addresses");
      }
    }
  }

  private HttpResponse<byte[]> send(MediaRef ref, URI uri, long deadline, MediaQuota.Tab tab) {
    long left = deadline - System.nanoTime();
    if (left <= 0) {
      throw timedOut(ref);
    }
    HttpRequest request =
        HttpRequest.newBuilder(uri)
            .timeout(Duration.ofNanos(left))
            .header("Accept", String.join(", ", ref.kind().types()) + ", */*;q=0.1")
            .header("User-Agent", "Switchboard-MediaFetcher")
            .GET()
            .build();
    CompletableFuture<HttpResponse<byte[]>> future =
        client.sendAsync(request, LimitedBody.handler(options.maxBytes(), tab));
    try {
      return future.get(left, TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      future.cancel(true);
      throw timedOut(ref);
    } catch (InterruptedException e) {
      future.cancel(true);
      Thread.currentThread().interrupt();
      throw refuse(ref, "could not be fetched: interrupted");
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof LimitedBody.Refused refused) {
        throw refused.error;
      }
      if (cause instanceof LimitedBody.TooLarge) {
        throw refuse(ref, "is larger than the limit of " + options.maxBytes() + " bytes");
      }
      if (cause instanceof java.net.http.HttpTimeoutException) {
        throw timedOut(ref);
      }
      String detail = cause == null ? e.getMessage() : cause.getClass().getSimpleName();
      if (cause instanceof IOException && cause.getMessage() != null) {
        detail = cause.getMessage();
      }
      throw refuse(ref, "could not be fetched: " + detail);
    }
  }

  private static FetchedMedia checked(MediaRef ref, HttpResponse<byte[]> response) {
    byte[] bytes = response.body();
    String declared =
        MediaKind.normalize(response.headers().firstValue("content-type").orElse(null));
    String type = declared;
    if (declared == null
        || declared.isEmpty()
        || declared.equals("application/octet-stream")
        || declared.equals("binary/octet-stream")) {
      type = MediaKind.sniff(bytes);
    }
    if (!ref.kind().accepts(type)) {
      throw refuse(
          ref,
          "is not "
              + ref.kind().description()
              + " of an accepted type ("
              + String.join(", ", ref.kind().types().stream().sorted().toList())
              + "); it is "
              + (declared == null || declared.isEmpty() ? "of unknown type" : declared));
    }
    return new FetchedMedia(MediaKind.normalize(type), bytes);
  }

  private GatewayException timedOut(MediaRef ref) {
    return refuse(ref, "was not fetched within " + options.timeout().toMillis() + " ms");
  }

  private static GatewayException refuse(MediaRef ref, String reason) {
    return GatewayException.invalid(
        "Cannot use "
            + ref.kind().description()
            + " from "
            + shorten(ref.url())
            + ": the URL "
            + reason);
  }

  private static String shorten(String url) {
    return url.length() <= 200 ? url : url.substring(0, 200) + "…";
  }

  @Override
  public void close() {
    client.close();
  }
}
