package dev.switchboard.server.plugins;

import dev.switchboard.core.media.FetchedMedia;
import dev.switchboard.core.media.MediaFetcher;
import dev.switchboard.core.media.MediaKind;
import dev.switchboard.core.media.MediaRef;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The page reader of {@code openrouter:web_fetch}: the media fetcher's checks (http(s) only, every
 * resolved address public unless {@code media.allow-loopback} / {@code allow-private} say
 * otherwise, redirects checked hop by hop, a size and a time limit of its own) on the plugins'
 * worker pool, then the page as plain text (scripts, styles and tags dropped, entities decoded, at
 * most {@code maxChars} characters).
 */
final class PageFetcher {

  /** A page as text. */
  record Page(String url, String title, String text, boolean truncated) {}

  private static final Pattern TITLE = Pattern.compile("(?is)<title[^>]*>(.*?)</title>");
  private static final Pattern HIDDEN =
      Pattern.compile("(?is)<(script|style|noscript|template|head)[^>]*>.*?</\\1\\s*>");
  private static final Pattern BREAK =
      Pattern.compile("(?i)<(br|/p|/div|/h[1-6]|/li|/tr|/section|/article)[^>]*>");
  private static final Pattern TAG = Pattern.compile("(?s)<[^>]*>");

  private final MediaFetcher fetcher;
  private final ExecutorService pool;
  private final int maxChars;

  PageFetcher(MediaFetcher fetcher, ExecutorService pool, int maxChars) {
    this.fetcher = fetcher;
    this.pool = pool;
    this.maxChars = maxChars;
  }

  CompletableFuture<Page> fetch(String url) {
    try {
      return CompletableFuture.supplyAsync(
          () -> toPage(url, fetcher.fetch(new MediaRef(url, MediaKind.PAGE))), pool);
    } catch (RejectedExecutionException e) {
      return CompletableFuture.failedFuture(
          new IllegalStateException("the gateway's tool pool is full; retry shortly"));
    }
  }

  Page toPage(String url, FetchedMedia media) {
    String raw = new String(media.bytes(), StandardCharsets.UTF_8);
    boolean html =
        media.contentType().equals("text/html")
            || media.contentType().equals("application/xhtml+xml");
    String title = null;
    String text = raw;
    if (html) {
      Matcher m = TITLE.matcher(raw);
      if (m.find()) {
        title = decode(m.group(1)).strip();
      }
      text = HIDDEN.matcher(raw).replaceAll(" ");
      text = BREAK.matcher(text).replaceAll("\n");
      text = decode(TAG.matcher(text).replaceAll(" "));
      text = text.replaceAll("[ \\t\\x0B\\f\\r]+", " ").replaceAll(" ?\\n[ \\n]*", "\n").strip();
    }
    boolean truncated = text.length() > maxChars;
    return new Page(url, title, truncated ? text.substring(0, maxChars) : text, truncated);
  }

  private static String decode(String s) {
    return s.replace("&nbsp;", " ")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&apos;", "'")
        .replace("&amp;", "&");
  }
}
