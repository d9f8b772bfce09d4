package dev.switchboard.server.pipeline;

import dev.switchboard.server.auth.Authenticator;
import dev.switchboard.server.storage.KeyKind;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

/**
 * Stage 1, authenticate: the key the inbound dialect finds in the headers must be a live inference
 * key (401 or 403 otherwise). A cached key is checked in place; a cache miss is looked up on a
 * worker thread, and the pipeline resumes on the event loop.
 */
final class Authenticate {

  private final Vertx vertx;
  private final Authenticator authenticator;

  Authenticate(Vertx vertx, Authenticator authenticator) {
    this.vertx = vertx;
    this.authenticator = authenticator;
  }

  Future<Void> run(Exchange ex) {
    String plaintext = ex.dialect().credential(ex::header);
    if (plaintext == null) {
      return AuthGate.authenticate(vertx, authenticator, (String) null, KeyKind.INFERENCE)
          .mapEmpty();
    }
    String hash = Authenticator.hash(plaintext);
    ex.credential(plaintext, hash); // hashed once per request: the access log reuses it
    return AuthGate.byHash(vertx, authenticator, hash, KeyKind.INFERENCE)
        .map(
            key -> {
              ex.key(key);
              return null;
            });
  }
}
