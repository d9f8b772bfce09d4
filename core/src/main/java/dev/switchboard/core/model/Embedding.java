package dev.switchboard.core.model;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.switchboard.api.json.ApiJson;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;

/**
 * One embedding vector, held in the form its client wants it in. For the JSON float array (the
 * default {@code encoding_format}) it is the upstream's own array text, a slice of the upstream's
 * response body already checked to hold numbers only, which the gateway copies to its answer byte
 * for byte: no number is parsed or printed, and no object is made per number (a batch of 100
 * vectors of 3,072 values is 300,000 numbers). For base64 it is the float32 values, read once from
 * the body. Either form can give the other ({@link #values()} parses the slice); the pipeline does
 * not need to.
 */
public final class Embedding {

  private final byte[] json;
  private final int from;
  private final int to;
  private final float[] values;
  private final int dimensions;

  private Embedding(byte[] json, int from, int to, float[] values, int dimensions) {
    this.json = json;
    this.from = from;
    this.to = to;
    this.values = values;
    this.dimensions = dimensions;
  }

  /** A vector of these values (kept, not copied). */
  public static Embedding ofValues(float[] values) {
    return new Embedding(null, 0, 0, values, values.length);
  }

  /**
   * A vector that is the JSON array {@code body[from, to)} (from its {@code [} to its {@code ]}),
   * of {@code dimensions} numbers. The caller has checked that it holds numbers only; the body is
   * kept, not copied.
   */
  public static Embedding ofJson(byte[] body, int from, int to, int dimensions) {
    if (from < 0 || to > body.length || to - from < 2 || body[from] != '[' || body[to - 1] != ']') {
      throw new IllegalArgumentException("not a JSON array at [" + from + ", " + to + ")");
    }
    return new Embedding(body, from, to, null, dimensions);
  }

  /**
   * This vector on bytes of its own: a vector that is a view into a buffer that will be reused (a
   * {@code VectorFeed}'s) is copied; one held as values is returned as is.
   */
  public Embedding detached() {
    if (json == null || (from == 0 && to == json.length)) {
      return this;
    }
    return new Embedding(Arrays.copyOfRange(json, from, to), 0, to - from, null, dimensions);
  }

  /** The number of values. */
  public int dimensions() {
    return dimensions;
  }

  /** Whether the vector is held as JSON text ({@link #writeJson}) rather than as values. */
  public boolean hasJson() {
    return json != null;
  }

  /** The length of the JSON text in bytes; 0 when the vector is held as values. */
  public int jsonLength() {
    return to - from;
  }

  /** Writes the JSON array text as the upstream sent it; only when {@link #hasJson()}. */
  public void writeJson(OutputStream out) throws IOException {
    if (json == null) {
      throw new IllegalStateException("the vector is held as values, not as JSON");
    }
    out.write(json, from, to - from);
  }

  /** The values as float32; parsed from the JSON text (each call) when held as such. */
  public float[] values() {
    if (values != null) {
      return values;
    }
    float[] out = new float[dimensions];
    try (JsonParser p = ApiJson.mapper().createParser(json, from, to - from)) {
      p.nextToken();
      int k = 0;
      for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
        out[k++] = p.getFloatValue();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  @Override
  public String toString() {
    return "Embedding[" + dimensions + (json != null ? ", json]" : ", values]");
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Embedding e && Arrays.equals(values(), e.values());
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(values());
  }
}
