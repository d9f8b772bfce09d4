package dev.switchboard.server.pipeline;

import dev.switchboard.core.error.GatewayError;
import dev.switchboard.core.error.GatewayException;
import dev.switchboard.server.auth.Authenticator;
import dev.switchboard.server.auth.Sessions;
import dev.switchboard.server.storage.ApiKey;
import dev.switchboard.server.storage.KeyKind;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import java.util.Optional;

/**
 * Authenticates a request on the event loop: a cached key is checked in place; a cache miss is
 * looked up on a worker thread so the loop never waits on storage.
 */
public final class AuthGate {

  private AuthGate() {}

  /**
   * The bearer key of {@code request}, of {@code kind}. A management call without one may come from
   * the dashboard: its session cookie stands for the management key it logged in with (checked
   * again now), and a state-changing call must also pass the CSRF checks.
   */
  public static Future<ApiKey> authenticate(
      Vertx vertx, Authenticator auth, HttpServerRequest request, KeyKind kind) {
    String bearer = Authenticator.bearer(request.getHeader("authorization"));
    if (bearer == null && kind == KeyKind.MANAGEMENT) {
      io.vertx.core.http.Cookie cookie = request.getCookie(Sessions.COOKIE);
      if (cookie != null) {
        return session(vertx, auth, request, cookie.getValue());
      }
    }
    return authenticate(vertx, auth, bearer, kind);
  }

  private static Future<ApiKey> session(
      Vertx vertx, Authenticator auth, HttpServerRequest request, String token) {
    Optional<Sessions.Session> found = auth.sessions().find(token);
    if (found.isEmpty()) {
      return Future.failedFuture(new GatewayException(Sessions.expired()));
    }
    if (Sessions.changesState(request.method().name())) {
      GatewayError refused =
          Sessions.checkCsrf(
              found.get(),
              request.getHeader("origin"),
              request.getHeader("host"),
              request.getHeader(Sessions.CSRF_HEADER));
      if (refused != null) {
        return Future.failedFuture(new GatewayException(refused));
      }
    }
    return byHash(vertx, auth, found.get().keyHash(), KeyKind.MANAGEMENT);
  }

  /** The key whose hash is {@code hash}, of {@code kind}. */
  public static Future<ApiKey> byHash(Vertx vertx, Authenticator auth, String hash, KeyKind kind) {
    Optional<ApiKey> cached = auth.cached(hash);
    if (cached != null) {
      return verdict(auth, cached, kind);
    }
    return vertx
        .executeBlocking(() -> auth.load(hash), false)
        .compose(found -> verdict(auth, found, kind));
  }

  /** The key whose plaintext is {@code plaintext} (null: none was given), of {@code kind}. */
  public static Future<ApiKey> authenticate(
      Vertx vertx, Authenticator auth, String plaintext, KeyKind kind) {
    if (plaintext == null) {
      return Future.failedFuture(new GatewayException(Authenticator.missing()));
    }
    return byHash(vertx, auth, Authenticator.hash(plaintext), kind);
  }

  private static Future<ApiKey> verdict(Authenticator auth, Optional<ApiKey> key, KeyKind kind) {
    Authenticator.Result result = auth.check(key, kind);
    return result.ok()
        ? Future.succeededFuture(result.key())
        : Future.failedFuture(new GatewayException(result.error()));
  }
}
