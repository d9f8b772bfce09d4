package dev.switchboard.server.storage;

import java.net.URI;
import java.util.Locale;

/**
 * Which app a request belongs to (reference §13, checklist 138 to 140): the {@code HTTP-Referer} is
 * the identity; a title alone makes no app; a {@code localhost} referer makes one only together
 * with a title. The referer is kept without query, fragment or trailing slash, its scheme and host
 * in lower case, so {@code https://App.example/?utm=x} and {@code https://app.example} are one app.
 */
public final class Apps {

  /** Longest referer kept. */
  static final int MAX_REFERER = 500;

  private Apps() {}

  /** The app identity of a request, or null when it has none. */
  public static String referer(String httpReferer, String title) {
    if (httpReferer == null || httpReferer.isBlank()) {
      return null;
    }
    String raw = httpReferer.trim();
    String normalized;
    try {
      URI uri = new URI(raw);
      if (uri.getScheme() == null || uri.getHost() == null) {
        normalized = raw;
      } else {
        String host = uri.getHost().toLowerCase(Locale.ROOT);
        if (isLocal(host) && (title == null || title.isBlank())) {
          return null;
        }
        normalized =
            uri.getScheme().toLowerCase(Locale.ROOT)
                + "://"
                + host
                + (uri.getPort() >= 0 ? ":" + uri.getPort() : "")
                + (uri.getRawPath() == null ? "" : uri.getRawPath());
      }
    } catch (java.net.URISyntaxException e) {
      normalized = raw;
    }
    while (normalized.endsWith("/")) {
      normalized = normalized.substring(0, normalized.length() - 1);
    }
    if (normalized.isEmpty()) {
      return null;
    }
    return normalized.length() > MAX_REFERER ? normalized.substring(0, MAX_REFERER) : normalized;
  }

  private static boolean isLocal(String host) {
    return host.equals("localhost") || host.startsWith("127.") || host.equals("[::1]");
  }
}
