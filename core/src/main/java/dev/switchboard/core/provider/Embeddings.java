package dev.switchboard.core.provider;

import dev.switchboard.core.model.Embedding;
import dev.switchboard.core.model.EmbeddingResponse;
import dev.switchboard.core.model.LlmRequest;
import java.util.ArrayList;
import java.util.List;

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

  /**
   * A reader of a successful (2xx) embeddings body to {@code request} as it arrives: each vector
   * goes to {@code sink} as soon as it is complete, in the order of the inputs.
   */
  EmbeddingsReader embeddingsReader(LlmRequest request, Target target, VectorFeed.Sink sink);

  /** Reads a whole successful (2xx) embeddings response to {@code request}. */
  default EmbeddingResponse decodeEmbeddings(
      LlmRequest request, UpstreamResponse response, Target target) {
    List<Embedding> vectors = new ArrayList<>(request.embedding().inputs().size());
    EmbeddingsReader reader =
        embeddingsReader(request, target, (i, v) -> vectors.add(v.detached()));
    reader.feed(response.body());
    EmbeddingResponse end = reader.end();
    return new EmbeddingResponse(end.upstreamModel(), vectors, end.usage());
  }
}
