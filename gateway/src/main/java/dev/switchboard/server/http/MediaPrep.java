package dev.switchboard.server.http;

import dev.switchboard.core.media.MediaRef;
import dev.switchboard.core.model.LlmRequest;
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

  static Future<LlmRequest> forCandidate(
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
