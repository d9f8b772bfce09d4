package dev.switchboard.server.pipeline;

import dev.switchboard.core.model.LlmResponse;
import dev.switchboard.core.model.StreamEvent;
import dev.switchboard.core.model.Usage;
import dev.switchboard.server.inbound.InboundDialect;
import dev.switchboard.server.inbound.Stamp;
import dev.switchboard.server.metering.Cost;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An answer served without a model call (a response-cache hit): the whole answer or a stream's
 * events as the client got them the first time, the model and provider that produced them, and the
 * headers to add. It goes out under the request's own new generation id, with zero usage and zero
 * cost, and nothing is admitted, planned, attempted or billed; a stream is replayed as a stream. It
 * gets a generation record of its own, with {@code sourceGenerationId} (the generation that
 * produced the answer) as its {@code response_cache_source_id}.
 */
public record Replay(
    LlmResponse whole,
    List<StreamEvent> events,
    String model,
    String providerName,
    String sourceGenerationId,
    Map<String, String> headers) {

  public Replay {
    events = events == null ? List.of() : List.copyOf(events);
    headers = Map.copyOf(headers);
  }

  /** Writes it to the client, whole or as a stream as the request asked. */
  void write(Exchange ex) {
    ClientChannel client = ex.client();
    if (client.closed()) {
      return;
    }
    Stamp stamp =
        new Stamp(
            ex.generationId(),
            model,
            providerName,
            ex.createdEpochSeconds(),
            ex.includeReasoning(),
            ex.request());
    InboundDialect dialect = ex.dialect();
    Map<String, String> head = new LinkedHashMap<>(headers);
    head.put("x-generation-id", ex.generationId());
    head.put("x-switchboard-overhead-ms", ex.overheadMs());
    if (ex.streamed()) {
      head.put("content-type", "text/event-stream");
      head.put("cache-control", "no-cache");
      head.put("x-accel-buffering", "no");
      client.startStream(head);
      InboundDialect.StreamEncoder encoder = dialect.newStreamEncoder(stamp);
      for (StreamEvent e : events) {
        encoder.event(e, client::append);
      }
      encoder.finish(Usage.ZERO, Cost.ZERO, null, client::append);
      client.end();
    } else {
      head.put("content-type", "application/json");
      client.respond(200, head, dialect.encodeBody(whole, stamp, Usage.ZERO, Cost.ZERO, null));
    }
  }
}
