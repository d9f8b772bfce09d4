package dev.switchboard.server.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.core.error.GatewayError;
import dev.switchboard.server.inbound.ErrorEnvelope;
import dev.switchboard.server.routing.Attempt;
import dev.switchboard.server.routing.Candidate;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Stage 9, inbound encode: the inbound dialect writes how the request ended. A whole answer is one
 * body; a stream gets its usage frame and closing frame; an embeddings answer whose vectors went
 * out as they arrived gets its tail (usage); an error is the dialect's error body with its status,
 * unless a stream's head already went out, in which case it is one in-band error frame (an
 * embeddings answer has no such frame: its connection is broken off). Every error is logged once
 * here. A client that left gets nothing.
 */
final class Respond {

  void run(Exchange ex) {
    StreamReply stream = ex.streamReply();
    switch (ex.ending()) {
      case Ending.Answered a -> {
        if (stream != null) {
          stream.finish(a.served(), ex.bill(), metadata(ex, a.served()));
        } else {
          whole(ex, a);
        }
      }
      case Ending.Failed f -> error(ex, f.error(), f.served());
      case Ending.Refused r -> error(ex, r.error(), null);
      case Ending.ClientGone g -> {
        if (stream != null) {
          stream.stop();
        }
      }
    }
  }

  private static void whole(Exchange ex, Ending.Answered a) {
    Candidate served = a.served().candidate();
    var vectors = a.production().vectorEncoder();
    if (vectors != null) {
      // An embeddings answer: its head and vectors went out as they arrived; the tail and, as a
      // trailer, the gateway's own time over the whole request (the upstream's excluded).
      ClientChannel client = ex.client();
      client.append(vectors.tail(ex.bill().usage(), ex.bill().cost(), metadata(ex, a.served())));
      client.end(Map.of("x-switchboard-overhead-ms", ex.overheadMs()));
      return;
    }
    byte[] body =
        ex.dialect()
            .encodeBody(
                a.production().whole(),
                StreamReply.stamp(ex, served),
                ex.bill().usage(),
                ex.bill().cost(),
                metadata(ex, a.served()));
    Map<String, String> headers = new LinkedHashMap<>(ex.responseHeaders());
    headers.put("content-type", "application/json");
    headers.put("x-generation-id", ex.generationId());
    headers.put("x-switchboard-overhead-ms", ex.overheadMs());
    ex.client().respond(200, headers, body);
  }

  private static void error(Exchange ex, GatewayError error, Attempt served) {
    ErrorEnvelope.logOnce(error);
    StreamReply stream = ex.streamReply();
    if (stream != null && stream.headWritten()) {
      stream.fail(error, served);
      return;
    }
    if (stream != null) {
      stream.stop();
    }
    ClientChannel client = ex.client();
    if (client.headWritten() && !client.closed()) {
      // An embeddings answer cut after its first vectors went out: break the connection off, so
      // that the client sees a cut body and never a complete-looking short list.
      client.abort();
      return;
    }
    if (client.closed() || client.headWritten()) {
      return;
    }
    Map<String, String> headers = new LinkedHashMap<>(ex.responseHeaders());
    headers.putAll(ErrorEnvelope.headers(error));
    headers.put("content-type", "application/json");
    if (ex.generationStarted()) {
      headers.put("x-generation-id", ex.generationId());
    }
    headers.put("x-switchboard-overhead-ms", ex.overheadMs());
    JsonNode metadata = ex.plan() == null ? null : metadata(ex, null);
    client.respond(error.httpStatus(), headers, ex.dialect().encodeError(error, metadata));
  }

  /** {@code openrouter_metadata} when the request asked for it, else null. */
  private static JsonNode metadata(Exchange ex, Attempt served) {
    return ex.metadataRequested()
        ? RoutingMetadata.of(ex, served == null ? null : served.candidate())
        : null;
  }
}
