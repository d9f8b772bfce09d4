package dev.switchboard.core.provider;

import dev.switchboard.core.error.GatewayError;
import dev.switchboard.core.model.LlmRequest;
import dev.switchboard.core.model.LlmResponse;

/**
 * Translates between the canonical model and one upstream format. Pure: no sockets, no clocks, no
 * shared mutable state; one shared {@code UpstreamClient} does the transport. Testable with no HTTP
 * at all.
 */
public interface ProviderAdapter {

  /** The dialect this adapter speaks, e.g. {@code openai}. Profiles name it. */
  String dialect();

  /**
   * Builds the upstream call for {@code request} on {@code target}. Throws {@link
   * dev.switchboard.core.error.GatewayException} with {@code INVALID_REQUEST} when the request uses
   * something this dialect cannot express.
   */
  HttpCall encode(LlmRequest request, Target target);

  /** Reads a successful (2xx) non-streaming response. */
  LlmResponse decode(UpstreamResponse response, Target target);

  /** A new decoder for one streamed response. */
  StreamDecoder newStreamDecoder(Target target);

  /** Classifies a non-2xx response (or a 2xx body that is an error) into a {@link GatewayError}. */
  GatewayError classify(UpstreamResponse response, Target target);
}
