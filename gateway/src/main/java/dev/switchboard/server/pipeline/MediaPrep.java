package dev.switchboard.server.pipeline;

import dev.switchboard.core.error.FailureClass;
import dev.switchboard.core.error.GatewayError;
import dev.switchboard.core.error.GatewayException;
import dev.switchboard.core.media.FetchedMedia;
import dev.switchboard.core.media.MediaInliner;
import dev.switchboard.core.media.MediaQuota;
import dev.switchboard.core.media.MediaRef;
import dev.switchboard.core.media.SplicedBody;
import dev.switchboard.core.model.LlmRequest;
import dev.switchboard.core.provider.Embeddings;
import dev.switchboard.core.provider.HttpCall;
import dev.switchboard.core.provider.NeedsMediaBytes;
import dev.switchboard.server.routing.Candidate;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;

/**
 * The media of one request, for the attempts that need their bytes. When a candidate's adapter
 * needs the bytes of media the caller gave by URL ({@link NeedsMediaBytes}), each URL is fetched
 * once per request, on the media pool ({@link dev.switchboard.core.media.MediaLoader}: its own
 * threads, size limit, time-out, content-type and address checks) and within the request's {@link
 * MediaQuota}, and every attempt (retries, fallbacks, a hedge) reuses the bytes. The adapter
 * encodes the request with a placeholder as each medium's base64 payload, so the body it builds
 * stays small and is built on the event loop like any other; the upstream client splices the bytes
 * in as base64 while it writes the body ({@link SplicedBody}). The bytes go back to the budget when
 * the request ends ({@link #release}, which the pipeline calls once its answer is written or its
 * client gone). Adapters that need no bytes get the request unchanged, at no cost.
 *
 * <p>Confined to the request's event loop, like the {@link Exchange}.
 */
final class MediaPrep {

  /** A fetched medium and the placeholder that stands for it in upstream bodies. */
  private record Fetched(String placeholder, FetchedMedia media) {}

  private final Services services;
  private final LlmRequest request;
  private final java.util.function.BiFunction<Candidate, LlmRequest, LlmRequest> forCandidate;
  private final Context context;
  private final Map<String, Future<Fetched>> byUrl = new HashMap<>();
  private MediaQuota quota;

  MediaPrep(
      Vertx vertx,
      Services services,
      LlmRequest request,
      java.util.function.BiFunction<Candidate, LlmRequest, LlmRequest> forCandidate) {
    this.services = services;
    this.request = request;
    this.forCandidate = forCandidate;
    this.context = vertx.getOrCreateContext();
  }

  /**
   * The upstream call for {@code c}: media fetched first when its adapter needs bytes, then {@code
   * encode}. Fails with the {@code GatewayException} of a refused fetch (400, 413 over the
   * request's media cap, 503 over the process's budget or with the media pool full) or of an
   * unrepresentable request.
   */
  Future<HttpCall> encode(Candidate c) {
    LlmRequest request;
    try {
      request = forCandidate.apply(c, this.request);
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
    List<MediaRef> refs =
        c.adapter() instanceof NeedsMediaBytes needs
            ? needs.mediaToInline(request, c.target())
            : List.of();
    if (refs.isEmpty()) {
      return encode(c, request, Map.of());
    }
    List<Future<Fetched>> fetches = new ArrayList<>(refs.size());
    for (MediaRef ref : refs) {
      fetches.add(fetch(ref));
    }
    return Future.all(fetches)
        .compose(
            all -> {
              Map<String, String> dataUrls = new HashMap<>();
              Map<String, byte[]> media = new HashMap<>();
              for (int i = 0; i < refs.size(); i++) {
                Fetched f = fetches.get(i).result();
                dataUrls.put(
                    refs.get(i).url(),
                    "data:" + f.media().contentType() + ";base64," + f.placeholder());
                media.put(f.placeholder(), f.media().bytes());
              }
              return encode(c, MediaInliner.inline(request, dataUrls), media);
            });
  }

  private static Future<HttpCall> encode(
      Candidate c, LlmRequest prepared, Map<String, byte[]> media) {
    try {
      HttpCall call;
      if (prepared.embedding() == null) {
        call = c.adapter().encode(prepared, c.target());
      } else if (c.adapter() instanceof Embeddings embeddings) {
        call = embeddings.encodeEmbeddings(prepared, c.target());
      } else {
        throw new GatewayException(
            GatewayError.of(
                FailureClass.INVALID_REQUEST,
                400,
                c.providerName() + " has no embeddings API in this build"));
      }
      return Future.succeededFuture(media.isEmpty() ? call : call.withMedia(media));
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
  }

  /** The URL's fetch: the one already started for this request, else a new one. */
  private Future<Fetched> fetch(MediaRef ref) {
    Future<Fetched> known = byUrl.get(ref.url());
    if (known != null) {
      return known;
    }
    if (quota == null) {
      quota = services.media().newQuota();
    }
    Promise<Fetched> promise = Promise.promise();
    services
        .media()
        .fetch(ref, quota)
        .whenComplete(
            (media, err) ->
                context.runOnContext(
                    v -> {
                      if (err == null) {
                        promise.complete(new Fetched(SplicedBody.newPlaceholder(), media));
                      } else {
                        promise.fail(err instanceof CompletionException ce ? ce.getCause() : err);
                      }
                    }));
    Future<Fetched> future = promise.future();
    byUrl.put(ref.url(), future);
    return future;
  }

  /**
   * The request is over: its media bytes go back to the process's budget, and a fetch still running
   * is refused when it next takes bytes. Idempotent.
   */
  void release() {
    if (quota != null) {
      quota.close();
    }
    byUrl.clear();
  }
}
