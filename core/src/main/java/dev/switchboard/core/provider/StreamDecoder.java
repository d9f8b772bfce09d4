package dev.switchboard.core.provider;

import dev.switchboard.core.error.FailureClass;
import dev.switchboard.core.error.GatewayError;
import dev.switchboard.core.model.StreamEvent;
import dev.switchboard.sse.SseEvent;
import java.util.List;

/**
 * Turns one upstream's SSE events into canonical {@link StreamEvent}s. Created per request by
 * {@link ProviderAdapter#newStreamDecoder(Target)}; holds per-stream state (tool-call indices,
 * ids); not thread-safe.
 */
public interface StreamDecoder {

  /** Decodes one SSE event; may return no events (a ping, a keep-alive) or several. */
  List<StreamEvent> onEvent(SseEvent event);

  /** Called once when the upstream closed the stream; flushes anything pending. */
  List<StreamEvent> onEnd();

  /** Whether the upstream signalled the end of the stream (e.g. OpenAI's {@code [DONE]}). */
  boolean finished();

  /**
   * What {@link #onEnd()} reports when the upstream closed the stream before it finished: {@code
   * UPSTREAM_TRANSIENT}, provider code {@code stream_truncated}.
   */
  static StreamEvent.Failed truncated(Target target) {
    return new StreamEvent.Failed(
        GatewayError.upstream(
            FailureClass.UPSTREAM_TRANSIENT,
            FailureClass.UPSTREAM_TRANSIENT.httpStatus(),
            target.providerName(),
            "stream_truncated",
            "The upstream closed the stream before it finished",
            null));
  }
}
