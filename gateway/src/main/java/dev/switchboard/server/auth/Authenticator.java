package dev.switchboard.server.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.switchboard.core.error.FailureClass;
import dev.switchboard.core.error.GatewayError;
import dev.switchboard.server.storage.ApiKey;
import dev.switchboard.server.storage.KeyKind;
import dev.switchboard.server.storage.KeyStore;
import dev.switchboard.server.storage.Keys;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/**
 * Decides whether a bearer key may call an endpoint. Keys are looked up by their SHA-256 hash; the
 * plaintext is never stored or logged. Lookups are cached (hits and misses) so the hot path does no
 * I/O; the key management API invalidates entries it changes, so a disabled key fails at once (in a
 * cluster on every node: the invalidation is published through Redis).
 */
public final class Authenticator {

  /** The outcome of a check: the key, or the error to render. */
  public record Result(ApiKey key, GatewayError error) {
    public boolean ok() {
      return error == null;
    }
  }

  private final KeyStore store;
  private final Clock clock;
  private volatile java.util.function.Consumer<String> peers = hash -> {};
  private final Cache<String, Optional<ApiKey>> cache =
      Caffeine.newBuilder()
          .maximumSize(100_000)
          .expireAfterWrite(Duration.ofSeconds(30))
          .executor(Runnable::run) // upkeep on the reading thread: see Admission.perKey
          .build();

  private final Sessions sessions;

  public Authenticator(KeyStore store, Clock clock) {
    this(store, clock, Duration.ofHours(8));
  }

  /** With dashboard sessions lasting {@code sessionTtl}. */
  public Authenticator(KeyStore store, Clock clock, Duration sessionTtl) {
    this.store = store;
    this.clock = clock;
    this.sessions = new Sessions(clock, sessionTtl);
  }

  /** The dashboard's login sessions. */
  public Sessions sessions() {
    return sessions;
  }

  /** The key part of an {@code Authorization: Bearer ...} header, or null. */
  public static String bearer(String header) {
    if (header == null) {
      return null;
    }
    String h = header.trim();
    if (h.length() > 7 && h.regionMatches(true, 0, "Bearer ", 0, 7)) {
      String key = h.substring(7).trim();
      return key.isEmpty() ? null : key;
    }
    return null;
  }

  public static String hash(String plaintext) {
    return Keys.hash(plaintext);
  }

  /** The cached lookup for a hash: null when not cached (then call {@link #load(String)}). */
  public Optional<ApiKey> cached(String hash) {
    return cache.getIfPresent(hash);
  }

  /** Looks a hash up in storage and caches the answer. Blocking: call it off the event loop. */
  public Optional<ApiKey> load(String hash) {
    Optional<ApiKey> key = store.findByHash(hash);
    cache.put(hash, key);
    return key;
  }

  /** Drops the cached answer for {@code hash} here and, in a cluster, on every other node. */
  public void invalidate(String hash) {
    cache.invalidate(hash);
    peers.accept(hash);
  }

  /** Drops the cached answer for {@code hash} on this node only (another node changed the key). */
  public void invalidateHere(String hash) {
    cache.invalidate(hash);
  }

  /** Drops every cached answer on this node only. */
  public void invalidateAllHere() {
    cache.invalidateAll();
  }

  /** Where {@link #invalidate} also goes: the cluster's other nodes. */
  public void sharedWith(java.util.function.Consumer<String> peers) {
    this.peers = peers;
  }

  /** Checks a looked-up key against the kind the endpoint needs. */
  public Result check(Optional<ApiKey> found, KeyKind required) {
    if (found.isEmpty()) {
      return fail(FailureClass.UNAUTHENTICATED, 401, "User not found.");
    }
    ApiKey key = found.get();
    if (key.disabled()) {
      return fail(FailureClass.UNAUTHENTICATED, 401, "API key is disabled");
    }
    if (key.expiresAt() != null && !key.expiresAt().isAfter(clock.instant())) {
      return fail(FailureClass.UNAUTHENTICATED, 401, "API key has expired");
    }
    if (key.kind() != required) {
      return required == KeyKind.MANAGEMENT
          ? fail(FailureClass.FORBIDDEN, 403, "Only management keys can perform this operation")
          : fail(
              FailureClass.FORBIDDEN,
              403,
              "Management keys cannot be used for inference; use an inference key");
    }
    return new Result(key, null);
  }

  /** The error for a request without credentials (checklist 2 and 3). */
  public static GatewayError missing() {
    return GatewayError.of(FailureClass.UNAUTHENTICATED, 401, "No cookie auth credentials found");
  }

  private static Result fail(FailureClass kind, int status, String message) {
    return new Result(null, GatewayError.of(kind, status, message));
  }
}
