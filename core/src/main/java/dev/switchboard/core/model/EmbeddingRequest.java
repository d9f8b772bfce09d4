package dev.switchboard.core.model;

import java.util.List;

/**
 * What an embeddings request asks for besides routing: the inputs, in order, each text or token
 * ids; the vector length wanted ({@code dimensions}, null for the model's own); whether the client
 * wants the vectors as base64 (the gateway always asks upstreams for floats and encodes them
 * itself); and the {@code input_type} hint (e.g. {@code search_query}), which only upstreams that
 * can express it accept.
 */
public record EmbeddingRequest(
    List<Input> inputs, Integer dimensions, boolean base64, String inputType) {

  public EmbeddingRequest {
    inputs = List.copyOf(inputs);
  }

  /** One input to embed. */
  public sealed interface Input {

    /** Text. */
    record Text(String text) implements Input {}

    /** Token ids of the model's tokenizer. */
    record Tokens(List<Integer> ids) implements Input {
      public Tokens {
        ids = List.copyOf(ids);
      }
    }
  }

  /** The number of token ids given as such (they need no tokenizer to count). */
  public long tokenIds() {
    long n = 0;
    for (Input i : inputs) {
      if (i instanceof Input.Tokens t) {
        n += t.ids().size();
      }
    }
    return n;
  }

  /** Whether every input is text. */
  public boolean allText() {
    return inputs.stream().allMatch(Input.Text.class::isInstance);
  }
}
