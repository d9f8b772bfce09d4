package dev.switchboard.core.provider;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import dev.switchboard.core.model.Embedding;
import java.io.IOException;
import java.util.Arrays;

/**
 * Reads one embedding vector, a JSON array of numbers, from a streaming parser over an upstream's
 * response body, for the adapters' embeddings decoders. Nothing is built per number: for a client
 * that wants floats the vector is the array's slice of the body (the parser only checks that every
 * element is a number and counts them); for base64 the numbers are read into a {@code float[]}.
 */
public final class VectorReader {

  private VectorReader() {}

  /**
   * The vector whose {@code [} is the parser's current token; leaves the parser on its {@code ]}.
   * {@code body} is the whole document the parser reads (created over it from offset 0); {@code
   * values} asks for float32 values rather than the JSON text. Throws {@link
   * IllegalArgumentException} when the current token is not an array or an element is not a number.
   */
  public static Embedding read(JsonParser p, byte[] body, boolean values) throws IOException {
    if (p.currentToken() != JsonToken.START_ARRAY) {
      throw new IllegalArgumentException("an embedding is not an array of numbers");
    }
    long from = p.currentTokenLocation().getByteOffset();
    float[] out = null;
    if (values) {
      out = new float[1024];
      // FastDoubleParser (bundled with Jackson): several times faster than Float.parseFloat on
      // the 300,000 numbers of a large batch, with the same result.
      p.enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER.mappedFeature());
    }
    int n = 0;
    for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
      if (t != JsonToken.VALUE_NUMBER_FLOAT && t != JsonToken.VALUE_NUMBER_INT) {
        throw new IllegalArgumentException("an embedding holds " + t + " where a number belongs");
      }
      if (values) {
        if (n == out.length) {
          out = Arrays.copyOf(out, n * 2);
        }
        out[n] = p.getFloatValue();
      }
      n++;
    }
    if (values) {
      return Embedding.ofValues(n == out.length ? out : Arrays.copyOf(out, n));
    }
    long to = p.currentTokenLocation().getByteOffset() + 1;
    if (from < 0 || to > body.length) {
      throw new IllegalStateException("the parser does not report byte offsets into the body");
    }
    return Embedding.ofJson(body, (int) from, (int) to, n);
  }
}
