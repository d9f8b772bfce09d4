package dev.switchboard.core.model;

import java.util.List;

/**
 * The vectors one upstream returned, one per input in the order of the request, with the usage it
 * reported (or an estimate, flagged, when it reports none) and the model it named.
 */
public record EmbeddingResponse(String upstreamModel, List<Embedding> vectors, Usage usage) {

  public EmbeddingResponse {
    vectors = List.copyOf(vectors);
    usage = usage == null ? Usage.ZERO : usage;
  }
}
