package dev.switchboard.server.pipeline;

import dev.switchboard.core.media.MediaRef;
import dev.switchboard.core.model.LlmRequest;
import dev.switchboard.core.provider.HttpCall;
import dev.switchboard.core.provider.NeedsMediaBytes;
import dev.switchboard.server.routing.Candidate;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.List;

/**
 * Before an attempt: when the candidate's adapter needs the bytes of media the caller gave by URL
 * ({@link NeedsMediaBytes}), fetch them on a worker thread (size limit, time-out, content-type and
 * address checks in {@link dev.switchboard.core.media.MediaFetcher}) and hand the adapter the
 * request with {@code data:} URLs instead. Other adapters get the request unchanged, at no cost.
 */
final class MediaPrep {

  private MediaPrep() {}

  /**
   * The upstream call for {@code c}: media fetched first when its adapter needs bytes, then {@code
   * encode}. Fails with the {@code GatewayException} of a refused fetch or of an unrepresentable
   * request.
   */
  static Future<HttpCall> encode(Vertx vertx, Services services, LlmRequest request, Candidate c) {
    return forCandidate(vertx, services, request, c)
        .compose(
            prepared -> {
              try {
                return Future.succeededFuture(c.adapter().encode(prepared, c.target()));
              } catch (RuntimeException e) {
                return Future.failedFuture(e);
              }
            });
  }

  private static Future<LlmRequest> forCandidate(
      Vertx vertx, Services services, LlmRequest request, Candidate c) {
    if (c.adapter() instanceof NeedsMediaBytes needs) {
      List<MediaRef> refs = needs.mediaToInline(request, c.target());
      if (!refs.isEmpty()) {
        return vertx.executeBlocking(() -> services.mediaFetcher().inline(request, refs), false);
      }
    }
    return Future.succeededFuture(request);
  }
}
