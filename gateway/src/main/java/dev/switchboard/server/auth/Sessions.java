package dev.switchboard.server.auth;

import dev.switchboard.core.error.FailureClass;
import dev.switchboard.core.error.GatewayError;
import dev.switchboard.server.storage.Keys;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The dashboard's login sessions, in memory (a restart logs everyone out). A session stands for the
 * management key it was opened with: every call made with it checks that key again, so disabling,
 * expiring or revoking the key ends its sessions at once. The token in the cookie is 256 random
 * bits; only its SHA-256 is kept, like the keys'. Each session has its own CSRF token, which
 * state-changing calls made with the cookie must send back in {@value #CSRF_HEADER}.
 */
public final class Sessions {

  /** The session cookie's name. */
  public static final String COOKIE = "sb_session";

  /** The header carrying the CSRF token on state-changing calls. */
  public static final String CSRF_HEADER = "X-CSRF-Token";

  /** One session: the management key's hash, the CSRF token and when it ends. */
  public record Session(String keyHash, String csrfToken, Instant expiresAt) {}

  /** A new session and the token for its cookie (the only place the token exists in clear). */
  public record Opened(String token, Session session) {}

  private static final int MAX_SESSIONS = 10_000;
  private static final SecureRandom RANDOM = new SecureRandom();

  private final Map<String, Session> byTokenHash = new ConcurrentHashMap<>();
  private final Clock clock;
  private final Duration ttl;

  public Sessions(Clock clock, Duration ttl) {
    this.clock = clock;
    this.ttl = ttl;
  }

  public Duration ttl() {
    return ttl;
  }

  /** Opens a session for the management key {@code keyHash}. */
  public Opened open(String keyHash) {
    Instant now = clock.instant();
    if (byTokenHash.size() >= MAX_SESSIONS) {
      byTokenHash.values().removeIf(s -> !s.expiresAt().isAfter(now));
      if (byTokenHash.size() >= MAX_SESSIONS) {
        // Full of live sessions: drop the one closest to its end rather than refuse a login.
        byTokenHash.entrySet().stream()
            .min(Map.Entry.comparingByValue(java.util.Comparator.comparing(Session::expiresAt)))
            .ifPresent(e -> byTokenHash.remove(e.getKey()));
      }
    }
    String token = random();
    Session session = new Session(keyHash, random(), now.plus(ttl));
    byTokenHash.put(Keys.hash(token), session);
    return new Opened(token, session);
  }

  /** The live session of a cookie's token; an expired one is forgotten. */
  public Optional<Session> find(String token) {
    if (token == null || token.isEmpty() || token.length() > 200) {
      return Optional.empty();
    }
    String hash = Keys.hash(token);
    Session s = byTokenHash.get(hash);
    if (s == null) {
      return Optional.empty();
    }
    if (!s.expiresAt().isAfter(clock.instant())) {
      byTokenHash.remove(hash);
      return Optional.empty();
    }
    return Optional.of(s);
  }

  /** Ends the session of {@code token} (logout); nothing when there is none. */
  public void close(String token) {
    if (token != null && !token.isEmpty()) {
      byTokenHash.remove(Keys.hash(token));
    }
  }

  /** The error for a cookie without a live session. */
  public static GatewayError expired() {
    return GatewayError.of(
        FailureClass.UNAUTHENTICATED, 401, "The dashboard session has expired or ended; log in");
  }

  /**
   * Whether a request's {@code Origin} is this server: absent (not a browser's cross-site call), or
   * the same host and port as its {@code Host} header. Null when it is; otherwise the error.
   */
  public static GatewayError checkOrigin(String origin, String host) {
    if (origin == null) {
      return null;
    }
    String originHost;
    try {
      URI u = URI.create(origin);
      originHost = u.getRawAuthority();
    } catch (IllegalArgumentException e) {
      originHost = null;
    }
    if (originHost == null
        || host == null
        || !originHost.toLowerCase(Locale.ROOT).equals(host.toLowerCase(Locale.ROOT))) {
      return GatewayError.of(
          FailureClass.FORBIDDEN, 403, "Cross-origin request refused (Origin " + origin + ")");
    }
    return null;
  }

  /**
   * The checks of a state-changing call made with a session cookie: the same origin, and the
   * session's CSRF token (compared in constant time). Null when it passes; otherwise the error.
   */
  public static GatewayError checkCsrf(Session s, String origin, String host, String token) {
    GatewayError cross = checkOrigin(origin, host);
    if (cross != null) {
      return cross;
    }
    if (token == null
        || !MessageDigest.isEqual(
            token.getBytes(StandardCharsets.UTF_8),
            s.csrfToken().getBytes(StandardCharsets.UTF_8))) {
      return GatewayError.of(
          FailureClass.FORBIDDEN,
          403,
          "Missing or wrong " + CSRF_HEADER + " header (the dashboard session's CSRF token)");
    }
    return null;
  }

  /** Whether a method changes state (needs the CSRF checks). */
  public static boolean changesState(String method) {
    return !(method.equals("GET") || method.equals("HEAD") || method.equals("OPTIONS"));
  }

  private static String random() {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }
}
