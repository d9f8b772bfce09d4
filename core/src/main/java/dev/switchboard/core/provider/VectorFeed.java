package dev.switchboard.core.provider;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.async.ByteArrayFeeder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.util.TokenBuffer;
import dev.switchboard.api.json.ApiJson;
import dev.switchboard.core.model.Embedding;
import java.io.IOException;
import java.util.Arrays;
import java.util.TreeMap;

/**
 * Reads an upstream's embeddings answer as its body arrives, chunk by chunk, with Jackson's
 * non-blocking parser, and hands each vector on as soon as it is complete, in the order of the
 * inputs: the pipeline copies it into the client's answer while the rest of the body is still on
 * its way. What it holds is bounded by one vector and one chunk, not by the body: the bytes of a
 * chunk are dropped once parsed, except those of a vector (and of its list item) not yet handed on.
 *
 * <p>Two shapes: OpenAI's {@code {"data":[{"index":i,"embedding":[...]}], "model", "usage"}} (items
 * in any order: one that comes early is copied and waits for its turn; each index once) and
 * Gemini's {@code {"embeddings":[{"values":[...]}]}} or {@code {"embedding":{"values":[...]}}} (in
 * order). For floats a vector is its JSON text, the upstream's bytes (each element checked to be a
 * number, counted); for base64 it is read into a {@code float[]}. The top-level fields {@code
 * model}, {@code usage}/{@code usageMetadata} and {@code error} are kept for the end.
 *
 * <p>The parser sees the answer's structure only: a vector held as JSON text is checked and counted
 * by a scan of its bytes ({@link NumberScan}: JSON's number grammar, element by element), and the
 * parser is fed the closing bracket alone. Tokenizing each of a batch's 150,000 to 300,000 numbers
 * was most of the gateway's CPU time on an embeddings answer (issue 14).
 *
 * <p>A body that is not such an answer throws {@link IllegalArgumentException} from {@link #feed}
 * or {@link #end}; the adapter turns it into its bad-response error.
 */
public final class VectorFeed {

  /** Where the vectors go, one call per vector in index order. */
  @FunctionalInterface
  public interface Sink {
    /**
     * Vector {@code index}. A vector held as JSON text is a view into the feed's buffer, valid
     * during this call only: write it or copy it.
     */
    void vector(int index, Embedding vector);
  }

  /** The answer's shapes. */
  public enum Shape {
    /** OpenAI-compatible: {@code data[].embedding} with {@code index}. */
    OPENAI("data", "embedding"),
    /** Gemini: {@code embeddings[].values} (batch) or {@code embedding.values} (one). */
    GEMINI("embeddings", "values");

    final String list;
    final String vector;

    Shape(String list, String vector) {
      this.list = list;
      this.vector = vector;
    }
  }

  private enum State {
    START,
    TOP,
    TOP_VALUE,
    LIST,
    ITEM,
    ITEM_VALUE,
    VECTOR,
    SKIP,
    CAPTURE,
    DONE
  }

  private final Shape shape;
  private final int expected;
  private final boolean values;
  private final Sink sink;
  private final JsonParser parser;
  private final ByteArrayFeeder feeder;

  /** The window's size once it grows: room for a vector of 3,072 floats and a few chunks. */
  static final int MIN_WINDOW = 64 * 1024;

  // The bytes not yet dropped: body offsets [windowStart, windowStart + windowLen).
  private byte[] window = new byte[16 * 1024];
  private long windowStart;
  private int windowLen;

  private State state = State.START;
  private State afterSkip;
  private int skipDepth;
  private String field;
  private boolean single; // Gemini's one-input "embedding": {...}
  private boolean sawList;

  // The list item being read.
  private int itemIndex;
  private long vectorFrom = -1;
  private long vectorTo;
  private int vectorCount;
  private float[] floats;
  private boolean vectorDone;

  // The vector being scanned without the parser (JSON text), and the body's bytes the parser
  // was not fed: a body offset is the parser's plus skipped.
  private boolean scanning;
  private final NumberScan scan = new NumberScan();
  private long skipped;

  private int position; // items seen, in body order
  private int next; // the next index to hand on
  private final TreeMap<Integer, Embedding> early = new TreeMap<>();

  private TokenBuffer capture;
  private String captureField;
  private String model;
  private JsonNode usage;
  private JsonNode error;

  public VectorFeed(Shape shape, int expected, boolean values, Sink sink) {
    this.shape = shape;
    this.expected = expected;
    this.values = values;
    this.sink = sink;
    try {
      this.parser = ApiJson.mapper().getFactory().createNonBlockingByteArrayParser();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    if (values) {
      // FastDoubleParser (bundled with Jackson): several times faster than Float.parseFloat.
      parser.enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER.mappedFeature());
    }
    this.feeder = (ByteArrayFeeder) parser.getNonBlockingInputFeeder();
  }

  /** The vectors handed on so far. */
  public int count() {
    return next;
  }

  /** The model the answer named (OpenAI's {@code model}); null when none. */
  public String model() {
    return model;
  }

  /** The answer's {@code usage} ({@code usageMetadata} for Gemini); null when none. */
  public JsonNode usage() {
    return usage;
  }

  /** The answer's {@code error} object when it held one (a 200 that is an error); else null. */
  public JsonNode error() {
    return error;
  }

  /** Whether the body held the list of vectors (or Gemini's one {@code embedding}). */
  public boolean sawVectors() {
    return sawList;
  }

  /**
   * The bytes held now (for tests: bounded by a vector and a chunk): those of the window not yet
   * dropped. The window's array is at most twice that, or {@link #MIN_WINDOW}.
   */
  public int held() {
    return (int) (windowStart + windowLen - keepFrom()) + (floats == null ? 0 : floats.length * 4);
  }

  /**
   * The next bytes of the body, {@code bytes[from, to)}; they must not change until this returns.
   * Vectors complete in them go to the sink before it returns.
   */
  public void feed(byte[] bytes, int from, int to) {
    if (to <= from) {
      return;
    }
    append(bytes, from, to);
    if (values) {
      parse(bytes, from, to);
    } else {
      // Up to each opening bracket at a time, so that the parser stops where a vector begins and
      // its numbers can be scanned without it.
      for (int at = from; at < to; ) {
        if (scanning) {
          int end = scan.scan(bytes, at, to);
          if (end < 0) {
            skipped += to - at;
            break;
          }
          skipped += end - at;
          scanning = false;
          vectorCount = scan.count();
          parse(bytes, end, end + 1); // the closing bracket
          at = end + 1;
        } else {
          int bracket = indexOf(bytes, (byte) '[', at, to);
          int upTo = bracket < 0 ? to : bracket + 1;
          parse(bytes, at, upTo);
          at = upTo;
        }
      }
    }
  }

  private void parse(byte[] bytes, int from, int to) {
    try {
      feeder.feedInput(bytes, from, to);
    } catch (IOException e) {
      throw invalidJson(e);
    }
    drain();
  }

  private static int indexOf(byte[] bytes, byte b, int from, int to) {
    for (int i = from; i < to; i++) {
      if (bytes[i] == b) {
        return i;
      }
    }
    return -1;
  }

  /** Where the parser is in the body. */
  private long offset() {
    return parser.currentLocation().getByteOffset() + skipped;
  }

  /** Takes every token the parser can give from what it has been fed so far. */
  private void drain() {
    try {
      for (JsonToken t = parser.nextToken();
          t != null && t != JsonToken.NOT_AVAILABLE;
          t = parser.nextToken()) {
        token(t);
      }
    } catch (IOException e) {
      throw invalidJson(e);
    }
  }

  /** All of {@code bytes}. */
  public void feed(byte[] bytes) {
    feed(bytes, 0, bytes.length);
  }

  /**
   * The body ended. Throws {@link IllegalArgumentException} when it was cut or is not an answer
   * with one vector per input; a body that is an {@code error} object and holds no vectors returns
   * normally with {@link #error()} set and {@link #sawVectors()} false.
   */
  public void end() {
    if (scanning) {
      throw new IllegalArgumentException("the body ended inside a vector");
    }
    feeder.endOfInput();
    drain();
    if (state != State.DONE) {
      throw new IllegalArgumentException("the body ended before its end");
    }
    if (!sawList) {
      if (error != null) {
        return;
      }
      throw new IllegalArgumentException("the body holds no vectors");
    }
    if (next != expected || !early.isEmpty()) {
      throw new IllegalArgumentException(
          "missing vectors: " + next + " in order of " + expected + " inputs");
    }
  }

  private static IllegalArgumentException invalidJson(IOException e) {
    String why =
        e instanceof com.fasterxml.jackson.core.JsonProcessingException j
            ? j.getOriginalMessage()
            : e.getMessage();
    return new IllegalArgumentException("the body is not valid JSON: " + why);
  }

  private void token(JsonToken t) throws IOException {
    switch (state) {
      case START -> {
        if (t != JsonToken.START_OBJECT) {
          throw new IllegalArgumentException("the body is not a JSON object");
        }
        state = State.TOP;
      }
      case TOP -> {
        if (t == JsonToken.END_OBJECT) {
          state = State.DONE;
        } else {
          field = parser.currentName();
          state = State.TOP_VALUE;
        }
      }
      case TOP_VALUE -> topValue(t);
      case LIST -> {
        if (t == JsonToken.END_ARRAY) {
          state = State.TOP;
        } else if (t == JsonToken.START_OBJECT) {
          startItem();
        } else {
          throw new IllegalArgumentException("a vector list item is not an object");
        }
      }
      case ITEM -> {
        if (t == JsonToken.END_OBJECT) {
          endItem();
        } else {
          field = parser.currentName();
          state = State.ITEM_VALUE;
        }
      }
      case ITEM_VALUE -> itemValue(t);
      case VECTOR -> vectorElement(t);
      case SKIP -> {
        if (t.isStructStart()) {
          skipDepth++;
        } else if (t.isStructEnd() && --skipDepth == 0) {
          state = afterSkip;
        }
      }
      case CAPTURE -> {
        capture.copyCurrentEvent(parser);
        if (t.isStructStart()) {
          skipDepth++;
        } else if (t.isStructEnd() && --skipDepth == 0) {
          captured();
          state = State.TOP;
        }
      }
      case DONE -> throw new IllegalArgumentException("content after the end of the body");
    }
  }

  private void topValue(JsonToken t) throws IOException {
    if (field.equals(shape.list)) {
      if (t != JsonToken.START_ARRAY) {
        throw new IllegalArgumentException("\"" + field + "\" is not an array");
      }
      sawList = true;
      state = State.LIST;
      return;
    }
    if (shape == Shape.GEMINI && field.equals("embedding")) {
      if (t != JsonToken.START_OBJECT) {
        throw new IllegalArgumentException("\"embedding\" is not an object");
      }
      sawList = true;
      single = true;
      startItem();
      return;
    }
    if (field.equals("model") && shape == Shape.OPENAI) {
      model = t == JsonToken.VALUE_STRING ? parser.getText() : null;
      skipValue(t, State.TOP);
      return;
    }
    if (field.equals("usage") || field.equals("usageMetadata") || field.equals("error")) {
      captureField = field;
      if (t == JsonToken.VALUE_NULL) {
        state = State.TOP;
        return;
      }
      capture = new TokenBuffer(ApiJson.mapper(), false);
      capture.copyCurrentEvent(parser);
      if (t.isStructStart()) {
        skipDepth = 1;
        state = State.CAPTURE;
      } else {
        captured();
        state = State.TOP;
      }
      return;
    }
    skipValue(t, State.TOP);
  }

  private void captured() throws IOException {
    JsonNode node;
    try (JsonParser p = capture.asParser()) {
      node = ApiJson.mapper().readTree(p);
    }
    capture = null;
    if (captureField.equals("error")) {
      error = node;
    } else {
      usage = node;
    }
  }

  private void skipValue(JsonToken t, State then) {
    if (t.isStructStart()) {
      skipDepth = 1;
      afterSkip = then;
      state = State.SKIP;
    } else {
      state = then;
    }
  }

  private void startItem() {
    itemIndex = -1;
    vectorFrom = -1;
    vectorDone = false;
    floats = null;
    state = State.ITEM;
  }

  private void itemValue(JsonToken t) throws IOException {
    if (field.equals(shape.vector)) {
      if (t != JsonToken.START_ARRAY || vectorDone) {
        throw new IllegalArgumentException("an embedding is not an array of numbers");
      }
      // The non-blocking parser's current location is just past the bracket it returned (its
      // token locations are not exact); Embedding.ofJson checks the brackets.
      vectorFrom = offset() - 1;
      vectorCount = 0;
      if (values) {
        floats = new float[1024];
      } else {
        scanning = true;
        scan.reset();
      }
      state = State.VECTOR;
      return;
    }
    if (shape == Shape.OPENAI && field.equals("index") && t == JsonToken.VALUE_NUMBER_INT) {
      itemIndex = parser.getIntValue();
      state = State.ITEM;
      return;
    }
    skipValue(t, State.ITEM);
  }

  private void vectorElement(JsonToken t) throws IOException {
    if (t == JsonToken.END_ARRAY) {
      vectorTo = offset();
      vectorDone = true;
      state = State.ITEM;
      return;
    }
    if (t != JsonToken.VALUE_NUMBER_FLOAT && t != JsonToken.VALUE_NUMBER_INT) {
      throw new IllegalArgumentException("an embedding holds " + t + " where a number belongs");
    }
    if (values) {
      if (vectorCount == floats.length) {
        floats = Arrays.copyOf(floats, vectorCount * 2);
      }
      floats[vectorCount] = parser.getFloatValue();
    }
    vectorCount++;
  }

  private void endItem() {
    if (!vectorDone) {
      throw new IllegalArgumentException("a list item holds no vector");
    }
    int index = shape == Shape.OPENAI ? itemIndex : position;
    position++;
    if (index < 0) {
      throw new IllegalArgumentException("a vector has no index");
    }
    if (index >= expected) {
      throw new IllegalArgumentException(
          "vector index " + index + " beyond the " + expected + " inputs");
    }
    if (index < next || early.containsKey(index)) {
      throw new IllegalArgumentException("vector index " + index + " came twice");
    }
    if (index == next) {
      sink.vector(index, vector(false));
      next++;
      for (Embedding e = early.remove(next); e != null; e = early.remove(next)) {
        sink.vector(next, e);
        next++;
      }
    } else {
      early.put(index, vector(true));
    }
    vectorFrom = -1;
    floats = null;
    vectorDone = false;
    state = single ? State.TOP : State.LIST;
  }

  private Embedding vector(boolean copy) {
    if (values) {
      return Embedding.ofValues(
          vectorCount == floats.length ? floats : Arrays.copyOf(floats, vectorCount));
    }
    long from = vectorFrom - windowStart;
    long to = vectorTo - windowStart;
    if (from < 0 || to > windowLen) {
      throw new IllegalStateException("the parser's byte offsets are outside the kept bytes");
    }
    if (copy) {
      return Embedding.ofJson(
          Arrays.copyOfRange(window, (int) from, (int) to), 0, (int) (to - from), vectorCount);
    }
    return Embedding.ofJson(window, (int) from, (int) to, vectorCount);
  }

  /**
   * Appends to the window. The bytes before the vector being read (all of them when none is) are
   * dropped only when the window is full, so that the vector's bytes move at most once or twice
   * instead of at every chunk (a 19 KB vector in 8 KB chunks moved about a body's worth of bytes).
   */
  private void append(byte[] bytes, int from, int to) {
    int n = to - from;
    if (windowLen + n > window.length) {
      compact();
      if (windowLen + n > window.length) {
        window =
            Arrays.copyOf(window, Math.max(MIN_WINDOW, Math.max(window.length * 2, windowLen + n)));
      }
    }
    System.arraycopy(bytes, from, window, windowLen, n);
    windowLen += n;
  }

  /** The body offset before which nothing is needed: the vector being read, or what was fed. */
  private long keepFrom() {
    return values || vectorFrom < 0 ? windowStart + windowLen : vectorFrom;
  }

  /** Drops the bytes before {@link #keepFrom()}. */
  private void compact() {
    long keepFrom = keepFrom();
    int drop = (int) (keepFrom - windowStart);
    if (drop <= 0) {
      return;
    }
    System.arraycopy(window, drop, window, 0, windowLen - drop);
    windowLen -= drop;
    windowStart = keepFrom;
  }
}
