package dev.switchboard.server.inbound;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.core.error.GatewayError;
import dev.switchboard.core.model.Embedding;
import dev.switchboard.core.model.LlmRequest;
import dev.switchboard.core.model.LlmResponse;
import dev.switchboard.core.model.StreamEvent;
import dev.switchboard.core.model.Usage;
import dev.switchboard.server.metering.Cost;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * A client-facing API the gateway speaks (OpenAI chat completions today; Anthropic Messages,
 * Responses, embeddings and legacy completions are further dialects): how its requests are read
 * into the canonical {@link LlmRequest} and how answers, streams and errors are written back. Only
 * the two ends of the pipeline know the dialect; authentication, admission, plugins, planning,
 * attempts and settlement are the same for all. Pure: bytes in, bytes out, no I/O.
 */
public interface InboundDialect {

  /** A name for logs and the access line, e.g. {@code openai-chat}. */
  String name();

  /**
   * The generation record's {@code api_type}: {@code completions} (OpenRouter's value for chat,
   * text completions and the other generating APIs) unless the dialect says otherwise.
   */
  default String apiType() {
    return "completions";
  }

  /** The caller's API key from the request headers (by lower-case name), or null when absent. */
  String credential(Function<String, String> headers);

  /**
   * The canonical request of a body. Throws {@link dev.switchboard.core.error.GatewayException}
   * (400, naming the field) when it is not a valid request of this dialect.
   */
  LlmRequest decode(byte[] body);

  /**
   * The canonical request of a body with the request's headers (by lower-case name), for dialects
   * whose requests carry meaning in headers ({@code anthropic-beta}), and {@code defaultModel} for
   * a request that names no model ({@code features.default-model}; null: such a request is a 400);
   * the same errors as {@link #decode(byte[])}.
   */
  default LlmRequest decode(byte[] body, Function<String, String> headers, String defaultModel) {
    return decode(body);
  }

  /**
   * A whole (non-streamed) answer, with its usage and cost; {@code routingMetadata} may be null.
   */
  byte[] encodeBody(
      LlmResponse answer, Stamp stamp, Usage usage, Cost cost, JsonNode routingMetadata);

  /**
   * A new encoder for the answer to one embeddings request, written as the upstream's vectors
   * arrive; only a dialect whose requests ask for vectors has one.
   */
  default VectorEncoder newVectorEncoder(Stamp stamp) {
    throw new UnsupportedOperationException(name() + " does not answer with vectors");
  }

  /**
   * The answer to an embeddings request in three parts, so that it goes out while the upstream's
   * body arrives: the head (up to the vector list), each vector in index order, the tail (the usage
   * with its cost, known at the end).
   */
  interface VectorEncoder {

    /** Everything before the first vector. */
    byte[] head();

    /**
     * Writes vector {@code index} (0, 1, ...), with its separator, to {@code out}; {@code vector}
     * may be a view.
     */
    void vector(int index, Embedding vector, java.io.ByteArrayOutputStream out);

    /** The end of the answer; {@code routingMetadata} may be null. */
    byte[] tail(Usage usage, Cost cost, JsonNode routingMetadata);
  }

  /** The body of an error answer; {@code routingMetadata} may be null. */
  byte[] encodeError(GatewayError error, JsonNode routingMetadata);

  /** A new encoder for one streamed answer. */
  StreamEncoder newStreamEncoder(Stamp stamp);

  /** What is sent while a stream waits for its first output, so proxies keep the connection. */
  byte[] keepalive();

  /**
   * One stream's encoder: canonical events to this dialect's frames, appended to {@code out} as
   * bytes ready for the socket. Created per stream; stateful; not thread-safe.
   */
  interface StreamEncoder {

    /** The frames of one event; none for events the dialect does not show. */
    void event(StreamEvent event, Consumer<byte[]> out);

    /** The end of a successful stream: usage with its cost, then the closing frame. */
    void finish(Usage usage, Cost cost, JsonNode routingMetadata, Consumer<byte[]> out);

    /**
     * The debug frame showing the body sent upstream ({@code debug.echo_upstream_body}); none for a
     * dialect that has no such frame.
     */
    default void debug(JsonNode upstreamBody, Consumer<byte[]> out) {}

    /** The in-band error that ends a stream that fails after its first output. */
    void error(GatewayError error, Consumer<byte[]> out);
  }
}
