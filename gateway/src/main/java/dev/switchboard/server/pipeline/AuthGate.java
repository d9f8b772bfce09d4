package dev.switchboard.server.pipeline;

import dev.switchboard.core.error.GatewayException;
import dev.switchboard.server.auth.Authenticator;
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

  /** The bearer key of {@code request}, of {@code kind}. */
  public static Future<ApiKey> authenticate(
      Vertx vertx, Authenticator auth, HttpServerRequest request, KeyKind kind) {
    return authenticate(
        vertx, auth, Authenticator.bearer(request.getHeader("authorization")), kind);
  }

  /** The key whose plaintext is {@code plaintext} (null: none was given), of {@code kind}. */
  public static Future<ApiKey> authenticate(
      Vertx vertx, Authenticator auth, String plaintext, KeyKind kind) {
    if (plaintext == null) {
      return Future.failedFuture(new GatewayException(Authenticator.missing()));
    }
    String hash = Authenticator.hash(plaintext);
    Optional<ApiKey> cached = auth.cached(hash);
    if (cached != null) {
      return verdict(auth, cached, kind);
    }
    return vertx
        .executeBlocking(() -> auth.load(hash), false)
        .compose(found -> verdict(auth, found, kind));
  }

  private static Future<ApiKey> verdict(Authenticator auth, Optional<ApiKey> key, KeyKind kind) {
    Authenticator.Result result = auth.check(key, kind);
    return result.ok()
        ? Future.succeededFuture(result.key())
        : Future.failedFuture(new GatewayException(result.error()));
  }
}
