package dev.switchboard.testkit.conformance;

import dev.switchboard.core.error.GatewayError;
import dev.switchboard.core.error.GatewayException;
import dev.switchboard.core.model.LlmResponse;
import dev.switchboard.core.model.StreamEvent;
import java.util.List;

/**
 * What one request through an adapter and the simulator gave. {@code upstreamBody} is the body the
 * adapter built, so a check can see what reached the upstream.
 */
public sealed interface Exchange {

  /** A 2xx non-streaming answer, decoded. */
  record Completed(LlmResponse response, String upstreamBody) implements Exchange {}

  /** A 2xx stream, decoded event by event (the decoder's {@code onEnd} included). */
  record Streamed(List<StreamEvent> events, String upstreamBody) implements Exchange {
    public Streamed {
      events = List.copyOf(events);
    }
  }

  /** A non-2xx answer (or a body that failed to decode), classified by the adapter. */
  record Failed(GatewayError error, String upstreamBody) implements Exchange {}

  /** The adapter refused to encode the request; nothing was sent. */
  record Rejected(GatewayException exception) implements Exchange {}
}
