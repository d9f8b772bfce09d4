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
import io.vertx.core.Vertx;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code GET /generation?id=}: the stored record of one generation (checklist 119, 120). A record
 * is visible as soon as its response ended, even before it reaches the database. Any valid key may
 * read any generation of this single-account gateway.
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
          .compose(key -> vertx.executeBlocking(() -> lookup(id), false))
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
        .onSuccess(data -> Responses.data(ctx.response(), data))
        .onFailure(err -> ErrorRenderer.render(ctx.response(), ErrorRenderer.from(err)));
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
