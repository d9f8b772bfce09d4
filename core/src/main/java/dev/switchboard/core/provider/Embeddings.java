package dev.switchboard.core.provider;

import dev.switchboard.core.model.EmbeddingResponse;
import dev.switchboard.core.model.LlmRequest;

/**
 * Optional capability of a {@link ProviderAdapter} whose upstream has an embeddings API. Pure like
 * the adapter: it builds the call and reads the answer; errors go through {@link
 * ProviderAdapter#classify}. An adapter without it cannot serve an embedding model.
 */
public interface Embeddings {

  /**
   * The upstream call for the embedding request {@code request} ({@link LlmRequest#embedding()} is
   * set) on {@code target}. Throws {@link dev.switchboard.core.error.GatewayException} with {@code
   * INVALID_REQUEST} when the request uses something this upstream cannot express (an {@code
   * input_type} it has no field for, say).
   */
  HttpCall encodeEmbeddings(LlmRequest request, Target target);

  /** Reads a successful (2xx) embeddings response to {@code request}. */
  EmbeddingResponse decodeEmbeddings(LlmRequest request, UpstreamResponse response, Target target);
}
