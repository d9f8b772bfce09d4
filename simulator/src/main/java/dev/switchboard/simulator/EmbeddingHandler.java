package dev.switchboard.simulator;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.api.json.ApiJson;
import dev.switchboard.simulator.dialect.Dialect;
import dev.switchboard.simulator.dialect.DialectException;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The embeddings endpoints of two dialects: OpenAI's {@code POST /embeddings} (strings or token-id
 * arrays, {@code dimensions}; Mistral's {@code output_dimension} too) and Gemini's {@code
 * models/{model}:embedContent} and {@code :batchEmbedContents} ({@code outputDimensionality},
 * {@code taskType}). Vectors are deterministic: seeded by the SHA-256 of the model, the task type
 * and the input, Gaussian, normalised to length 1, so the same input always gives the same vector
 * and different inputs give (almost) orthogonal ones. Without a requested size a model gets its
 * real one (1,536; 3,072 for {@code large} and Gemini models; 1,024 for Mistral's). Usage is one
 * token per four characters (per id for token inputs); Gemini reports none, as Gemini does. Status
 * faults (scripted or by header) and the time to first token apply; a rate of tokens per second
 * sends the body in 16 KB pieces, one piece a "token" (an upstream whose body arrives slowly), and
 * a {@link Fault.Cut} closes the connection after its number of pieces, mid-body.
 */
final class EmbeddingHandler implements Handler<RoutingContext> {

  private final SimState state;
  private final Dialect errors;
  private final boolean gemini;
  private final String fixedProvider;

  private EmbeddingHandler(SimState state, Dialect errors, boolean gemini, String fixedProvider) {
    this.state = state;
    this.errors = errors;
    this.gemini = gemini;
    this.fixedProvider = fixedProvider;
  }

  /** OpenAI's {@code /embeddings}; {@code fixedProvider} null: the {@code :provider} parameter. */
  static EmbeddingHandler openAi(SimState state, String fixedProvider) {
    return new EmbeddingHandler(state, state.openAi, false, fixedProvider);
  }

  /** Gemini's {@code :embedContent} / {@code :batchEmbedContents}. */
  static EmbeddingHandler gemini(SimState state, String fixedProvider) {
    return new EmbeddingHandler(state, state.gemini, true, fixedProvider);
  }

  /** Whether a Gemini {@code modelAction} path parameter names an embeddings method. */
  static boolean isGeminiEmbedding(String modelAction) {
    return modelAction != null
        && (modelAction.endsWith(":embedContent") || modelAction.endsWith(":batchEmbedContents"));
  }

  @Override
  public void handle(RoutingContext ctx) {
    HttpServerResponse response = ctx.response();
    String name = fixedProvider != null ? fixedProvider : ctx.pathParam("provider");
    ProviderState provider = state.provider(name);
    provider.countRequest();
    Buffer buffer = ctx.body().buffer();
    byte[] body = buffer == null ? new byte[0] : buffer.getBytes();
    if (state.config.recordedRequests() > 0) {
      Map<String, String> headers = new LinkedHashMap<>();
      ctx.request()
          .headers()
          .forEach(
              h ->
                  headers.merge(
                      h.getKey().toLowerCase(Locale.ROOT), h.getValue(), (a, b) -> a + ", " + b));
      provider.record(
          new RecordedRequest(
              name,
              ctx.request().method().name(),
              ctx.request().uri(),
              headers,
              new String(body, StandardCharsets.UTF_8),
              Instant.now(),
              RecordedRequest.versionOf(ctx.request().version())));
    }
    byte[] answer;
    Fault fault;
    try {
      String header = ctx.request().getHeader(ChatHandler.FAULT_HEADER);
      fault = header != null ? FaultJson.parse(header) : provider.takeFault();
      answer = gemini ? gemini(body, ctx.pathParam("modelAction")) : openAi(body);
    } catch (DialectException e) {
      ChatHandler.send(response, e.status(), errors.badRequestBody(e));
      return;
    } catch (IllegalArgumentException e) {
      ChatHandler.send(
          response,
          400,
          errors.badRequestBody(new DialectException(400, e.getMessage(), null, null)));
      return;
    }
    if (fault != null) {
      provider.countFault();
    }
    if (fault instanceof Fault.Status s) {
      s.headers().forEach(response::putHeader);
      ChatHandler.send(
          response, s.status(), s.body() != null ? s.body() : errors.errorBody(s.status()));
      return;
    }
    Latency latency = state.latency(name);
    int cutAfter = fault instanceof Fault.Cut c ? c.afterChunks() : -1;
    StreamPlayback.after(
        ctx.vertx(),
        response,
        latency.ttftMs(),
        () -> {
          if (latency.tokensPerSecond() > 0 || cutAfter >= 0) {
            pace(ctx, answer, latency.tokensPerSecond(), cutAfter, 0);
          } else {
            send(response, answer);
          }
        });
  }

  private static byte[] openAi(byte[] body) throws DialectException {
    JsonNode root = json(body);
    String model = root.path("model").asText("");
    if (model.isEmpty()) {
      throw new DialectException(400, "you must provide a model parameter", "model", null);
    }
    JsonNode input = root.get("input");
    List<JsonNode> items = new ArrayList<>();
    if (input != null
        && (input.isTextual()
            || (input.isArray() && input.get(0) != null && input.get(0).isNumber()))) {
      items.add(input);
    } else if (input != null && input.isArray() && !input.isEmpty()) {
      input.forEach(items::add);
    } else {
      throw new DialectException(
          400, "'input' must be a string or a non-empty array", "input", "invalid_value");
    }
    List<String> inputs = new ArrayList<>();
    long tokens = 0;
    for (JsonNode i : items) {
      if (i.isTextual()) {
        inputs.add(i.asText());
        tokens += (long) Math.ceil(i.asText().length() / 4.0);
      } else if (i.isArray()) {
        inputs.add(i.toString()); // token ids: the same ids, the same vector
        tokens += i.size();
      } else {
        throw new DialectException(400, "'input' items must be strings or arrays", "input", null);
      }
    }
    int dims = root.path("dimensions").asInt(root.path("output_dimension").asInt(size(model)));
    ByteArrayOutputStream bytes =
        new ByteArrayOutputStream(Math.min(inputs.size() * dims * 12 + 256, 1 << 24));
    try (JsonGenerator g = ApiJson.mapper().getFactory().createGenerator(bytes)) {
      g.writeStartObject();
      g.writeStringField("object", "list");
      g.writeStringField("model", model);
      g.writeArrayFieldStart("data");
      for (int i = 0; i < inputs.size(); i++) {
        g.writeStartObject();
        g.writeStringField("object", "embedding");
        g.writeNumberField("index", i);
        g.writeFieldName("embedding");
        write(g, vector(model + "\n" + inputs.get(i), dims));
        g.writeEndObject();
      }
      g.writeEndArray();
      g.writeObjectFieldStart("usage");
      g.writeNumberField("prompt_tokens", tokens);
      g.writeNumberField("total_tokens", tokens);
      g.writeEndObject();
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  private static byte[] gemini(byte[] body, String modelAction) throws DialectException {
    JsonNode root = json(body);
    String model = modelAction.substring(0, modelAction.indexOf(':'));
    boolean one = modelAction.endsWith(":embedContent");
    JsonNode requests = root.get("requests");
    if (!one && (requests == null || !requests.isArray() || requests.isEmpty())) {
      throw new DialectException(400, "* requests: must not be empty", "requests", null);
    }
    List<float[]> vectors = new ArrayList<>();
    if (one) {
      vectors.add(geminiOne(root, model));
    } else {
      for (JsonNode r : requests) {
        vectors.add(geminiOne(r, model));
      }
    }
    ByteArrayOutputStream bytes =
        new ByteArrayOutputStream(Math.min(vectors.size() * 40_000 + 64, 1 << 24));
    try (JsonGenerator g = ApiJson.mapper().getFactory().createGenerator(bytes)) {
      g.writeStartObject();
      if (one) {
        g.writeObjectFieldStart("embedding");
        g.writeFieldName("values");
        write(g, vectors.getFirst());
        g.writeEndObject();
      } else {
        g.writeArrayFieldStart("embeddings");
        for (float[] v : vectors) {
          g.writeStartObject();
          g.writeFieldName("values");
          write(g, v);
          g.writeEndObject();
        }
        g.writeEndArray();
      }
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  private static float[] geminiOne(JsonNode request, String model) throws DialectException {
    StringBuilder text = new StringBuilder();
    for (JsonNode part : request.path("content").path("parts")) {
      text.append(part.path("text").asText(""));
    }
    if (text.isEmpty()) {
      throw new DialectException(400, "* content: must not be empty", "content", null);
    }
    int dims = request.path("outputDimensionality").asInt(size(model));
    String task = request.path("taskType").asText("");
    return vector(model + "\n" + task + "\n" + text, dims);
  }

  /** A vector as a JSON array of numbers, each float32 in its shortest form. */
  private static void write(JsonGenerator g, float[] v) throws IOException {
    g.writeStartArray();
    for (float f : v) {
      g.writeNumber(f);
    }
    g.writeEndArray();
  }

  /** The piece of the body one "token" of the latency stands for when the body is paced. */
  static final int PIECE = 16 * 1024;

  /**
   * The body in pieces of {@link #PIECE} bytes (chunked), one each {@code 1 / tokensPerSecond}
   * seconds (all at once when 0); with {@code cutAfter} ≥ 0 (a {@link Fault.Cut}) the connection is
   * closed after that many pieces, mid-body.
   */
  private static void pace(
      RoutingContext ctx, byte[] body, double tokensPerSecond, int cutAfter, int piece) {
    HttpServerResponse response = ctx.response();
    if (response.closed() || response.ended()) {
      return;
    }
    if (piece == 0) {
      response.setStatusCode(200).setChunked(true).putHeader("content-type", "application/json");
    }
    if (piece == cutAfter) {
      ctx.request().connection().close();
      return;
    }
    int from = piece * PIECE;
    int to = Math.min(body.length, from + PIECE);
    if (to >= body.length) {
      response.end(Buffer.buffer(java.util.Arrays.copyOfRange(body, from, to)));
      return;
    }
    response.write(Buffer.buffer(java.util.Arrays.copyOfRange(body, from, to)));
    long delay = tokensPerSecond > 0 ? Math.max(1, Math.round(1000 / tokensPerSecond)) : 0;
    if (delay == 0) {
      pace(ctx, body, tokensPerSecond, cutAfter, piece + 1);
    } else {
      ctx.vertx().setTimer(delay, t -> pace(ctx, body, tokensPerSecond, cutAfter, piece + 1));
    }
  }

  private static void send(HttpServerResponse response, byte[] body) {
    if (response.closed() || response.ended()) {
      return;
    }
    response.setStatusCode(200).putHeader("content-type", "application/json");
    response.end(Buffer.buffer(body));
  }

  private static JsonNode json(byte[] body) throws DialectException {
    try {
      JsonNode root = ApiJson.tree(body);
      if (root == null || !root.isObject()) {
        throw new DialectException(400, "request body must be a JSON object", null, null);
      }
      return root;
    } catch (IOException e) {
      throw new DialectException(400, "request body is not valid JSON", null, null);
    }
  }

  /** The model's own vector size. */
  static int size(String model) {
    String m = model.toLowerCase(Locale.ROOT);
    if (m.contains("large") || m.contains("gemini")) {
      return 3072;
    }
    if (m.contains("mistral")) {
      return 1024;
    }
    return 1536;
  }

  /** A unit vector of {@code dims} values determined by {@code seedText}. */
  static float[] vector(String seedText, int dims) {
    if (dims < 1 || dims > 65_536) {
      throw new IllegalArgumentException("dimensions must be between 1 and 65536, was " + dims);
    }
    byte[] hash;
    try {
      hash = MessageDigest.getInstance("SHA-256").digest(seedText.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    long seed = 0;
    for (int i = 0; i < 8; i++) {
      seed = (seed << 8) | (hash[i] & 0xff);
    }
    SplittableRandom random = new SplittableRandom(seed);
    double[] v = new double[dims];
    double norm = 0;
    for (int i = 0; i < dims; i++) {
      v[i] = random.nextGaussian();
      norm += v[i] * v[i];
    }
    norm = Math.sqrt(norm);
    float[] out = new float[dims];
    for (int i = 0; i < dims; i++) {
      out[i] = (float) (v[i] / norm);
    }
    return out;
  }
}
