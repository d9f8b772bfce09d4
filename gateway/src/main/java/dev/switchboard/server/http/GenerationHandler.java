package dev.switchboard.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.api.generation.GenerationData;
import dev.switchboard.api.json.ApiJson;
import dev.switchboard.core.error.FailureClass;
import dev.switchboard.core.error.GatewayError;
import dev.switchboard.core.error.GatewayException;
import dev.switchboard.server.auth.Authenticator;
import dev.switchboard.server.pipeline.Services;
import dev.switchboard.server.storage.ApiKey;
import dev.switchboard.server.storage.App;
import dev.switchboard.server.storage.Apps;
import dev.switchboard.server.storage.GenerationRecord;
import dev.switchboard.server.storage.KeyKind;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code GET /generation?id=}: the stored record of one generation (checklist 119, 120). A record
 * is visible on its own node as soon as its response ended, even before it reaches the database,
 * and on the other nodes of a cluster once committed (a lookup of a recent id waits for that: see
 * {@link #later}). Any valid key may read any generation of this single-account gateway.
 */
final class GenerationHandler {

  private final Vertx vertx;
  private final Services services;

  GenerationHandler(Vertx vertx, Services services) {
    this.vertx = vertx;
    this.services = services;
  }

  void get(RoutingContext ctx) {
    String id = ctx.request().getParam("id");
    String plaintext = Authenticator.bearer(ctx.request().getHeader("authorization"));
    if (id == null || id.isBlank()) {
      ErrorRenderer.render(
          ctx.response(), GatewayError.of(FailureClass.INVALID_REQUEST, "id is required"));
      return;
    }
    if (plaintext == null) {
      if (ctx.request().getCookie(dev.switchboard.server.auth.Sessions.COOKIE) == null) {
        ErrorRenderer.render(ctx.response(), Authenticator.missing());
        return;
      }
      // The dashboard: its session stands for a management key.
      dev.switchboard.server.pipeline.AuthGate.authenticate(
              vertx, services.authenticator(), ctx.request(), KeyKind.MANAGEMENT)
          .compose(key -> find(id, 0))
          .onSuccess(data -> Responses.data(ctx.response(), data))
          .onFailure(err -> ErrorRenderer.render(ctx.response(), ErrorRenderer.from(err)));
      return;
    }
    String hash = Authenticator.hash(plaintext);
    vertx
        .executeBlocking(
            () -> {
              var found = services.authenticator().load(hash);
              KeyKind kind = found.map(ApiKey::kind).orElse(KeyKind.INFERENCE);
              var result = services.authenticator().check(found, kind);
              if (!result.ok()) {
                throw new GatewayException(result.error());
              }
              return lookup(id);
            },
            false)
        .recover(err -> later(id, err, 0))
        .onSuccess(data -> Responses.data(ctx.response(), data))
        .onFailure(err -> ErrorRenderer.render(ctx.response(), ErrorRenderer.from(err)));
  }

  /** The record, looked up on a worker thread; a recent id not found yet is looked up again. */
  private Future<GenerationData> find(String id, int attempt) {
    return vertx.executeBlocking(() -> lookup(id), false).recover(err -> later(id, err, attempt));
  }

  /**
   * A record is written behind its reply (ADR 0026): on a shared database a generation another node
   * answered a moment ago may not be committed yet. A recent id (its own time within {@value
   * #RECENT_SECONDS} s of this node's clock) not found is looked up again after {@link #RETRY_MS},
   * about two seconds in all, so a client that reads it on another node right after its reply gets
   * it; an old or unknown id is answered 404 at once, a recent unknown one after the wait.
   */
  private Future<GenerationData> later(String id, Throwable err, int attempt) {
    if (!(err instanceof GatewayException g)
        || g.error().httpStatus() != 404
        || attempt >= RETRY_MS.length
        || !services.storage().shared()
        || !recent(id, System.currentTimeMillis() / 1000)) {
      return Future.failedFuture(err);
    }
    Promise<GenerationData> again = Promise.promise();
    vertx.setTimer(RETRY_MS[attempt], t -> find(id, attempt + 1).onComplete(again));
    return again.future();
  }

  /** Pauses between lookups of a recent id not found yet: 2 s in all. */
  static final long[] RETRY_MS = {10, 20, 40, 80, 160, 320, 640, 730};

  static final long RECENT_SECONDS = 10;

  /**
   * Whether {@code id} is a generation id ({@code gen-<unix seconds>-…}) from around {@code now}.
   */
  static boolean recent(String id, long nowSeconds) {
    if (!id.startsWith("gen-") || id.length() < 15 || id.charAt(14) != '-') {
      return false;
    }
    long seconds = 0;
    for (int i = 4; i < 14; i++) {
      char c = id.charAt(i);
      if (c < '0' || c > '9') {
        return false;
      }
      seconds = seconds * 10 + (c - '0');
    }
    return Math.abs(nowSeconds - seconds) <= RECENT_SECONDS;
  }

  private GenerationData lookup(String id) {
    return services
        .storage()
        .generations()
        .find(id)
        .map(r -> data(r, appId(r)))
        .orElseThrow(
            () ->
                new GatewayException(
                    GatewayError.of(
                        FailureClass.NOT_FOUND, 404, "Generation " + id + " not found")));
  }

  /** The record's {@code app_id}: the app of its referer, once the roll-up has seen it. */
  private Long appId(GenerationRecord r) {
    String referer = Apps.referer(r.httpReferer(), r.appTitle());
    return referer == null
        ? null
        : services.storage().activity().app(referer).map(App::id).orElse(null);
  }

  static GenerationData data(GenerationRecord r, Long appId) {
    JsonNode attempts;
    try {
      attempts = r.providerResponses() == null ? null : ApiJson.tree(r.providerResponses());
    } catch (java.io.IOException e) {
      attempts = null;
    }
    return new GenerationData(
        r.id(),
        r.upstreamId(),
        r.requestId(),
        r.totalCost(),
        r.totalCost(),
        r.upstreamInferenceCost(),
        r.cacheDiscount(),
        KeysHandlers.timestamp(r.createdAt()),
        r.model(),
        appId,
        r.origin(),
        r.httpReferer(),
        r.userAgent(),
        r.externalUser(),
        r.streamed(),
        r.cancelled(),
        r.providerName(),
        r.latencyMs(),
        r.moderationLatencyMs(),
        r.generationTimeMs(),
        r.finishReason(),
        r.nativeFinishReason(),
        r.tokensPrompt(),
        r.tokensCompletion(),
        r.nativeTokensPrompt(),
        r.nativeTokensCompletion(),
        r.nativeTokensCompletionImages(),
        r.nativeTokensReasoning(),
        r.nativeTokensCached(),
        toLong(r.numMediaPrompt()),
        toLong(r.numMediaCompletion()),
        toLong(r.numInputAudioPrompt()),
        toLong(r.numSearchResults()),
        r.isByok(),
        r.apiType(),
        r.sessionId(),
        attempts,
        r.presetId(),
        r.router(),
        r.webSearchEngine(),
        r.responseCacheSourceId());
  }

  private static Long toLong(Integer v) {
    return v == null ? null : v.longValue();
  }
}
