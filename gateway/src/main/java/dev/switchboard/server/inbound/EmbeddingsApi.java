package dev.switchboard.server.inbound;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.api.json.ApiJson;
import dev.switchboard.core.error.GatewayError;
import dev.switchboard.core.error.GatewayException;
import dev.switchboard.core.model.ContentPart;
import dev.switchboard.core.model.Directives;
import dev.switchboard.core.model.Embedding;
import dev.switchboard.core.model.EmbeddingRequest;
import dev.switchboard.core.model.EmbeddingResponse;
import dev.switchboard.core.model.LlmRequest;
import dev.switchboard.core.model.LlmResponse;
import dev.switchboard.core.model.Message;
import dev.switchboard.core.model.ProviderPreferences;
import dev.switchboard.core.model.Usage;
import dev.switchboard.server.auth.Authenticator;
import dev.switchboard.server.metering.Cost;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * OpenRouter's {@code POST /embeddings} (checklist 141): {@code input} as a string, an array of
 * strings, an array of token ids or an array of such arrays; {@code dimensions}, {@code
 * encoding_format} ({@code float} or {@code base64}: little-endian float32, as OpenAI encodes it,
 * done here whatever the upstream), {@code input_type}, {@code models}, {@code provider} and {@code
 * user}. The canonical request carries the inputs as its {@link EmbeddingRequest}, and its text
 * inputs as user messages too, so that admission and estimates count them as they count a prompt.
 * The answer is {@code {object:"list", data:[{object:"embedding", index, embedding}], model,
 * usage}} with the cost, written while the upstream's body arrives ({@link #newVectorEncoder}); the
 * client cannot ask for a stream. Multimodal inputs are refused.
 */
public final class EmbeddingsApi implements InboundDialect {

  public static final EmbeddingsApi INSTANCE = new EmbeddingsApi();

  /** OpenAI's own limit on inputs per request. */
  static final int MAX_INPUTS = 2048;

  private EmbeddingsApi() {}

  @Override
  public String name() {
    return "openai-embeddings";
  }

  @Override
  public String apiType() {
    return "embeddings";
  }

  @Override
  public String credential(Function<String, String> headers) {
    return Authenticator.bearer(headers.apply("authorization"));
  }

  @Override
  public LlmRequest decode(byte[] body) {
    JsonNode root;
    try {
      root = ApiJson.tree(body);
    } catch (IOException | RuntimeException e) {
      throw invalid("Request body is not valid JSON");
    }
    if (root == null || !root.isObject()) {
      throw invalid("Request body must be a JSON object");
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
      String name = it.next().getKey();
      switch (name) {
        case "model",
            "models",
            "input",
            "dimensions",
            "encoding_format",
            "input_type",
            "provider",
            "user" -> {}
        case "stream" -> {
          if (root.get(name).asBoolean(false)) {
            throw invalid("\"stream\": embeddings are not streamed");
          }
        }
        default ->
            throw invalid("\"" + name + "\" is not supported on /embeddings by this gateway");
      }
    }
    List<String> models = models(root.get("models"));
    String model = text(root, "model");
    if (model == null || model.isBlank()) {
      if (models.isEmpty()) {
        throw invalid("\"model\" is required");
      }
      model = models.getFirst();
    }
    List<EmbeddingRequest.Input> inputs = inputs(root.get("input"));
    List<Message> messages = new ArrayList<>(inputs.size());
    for (EmbeddingRequest.Input i : inputs) {
      if (i instanceof EmbeddingRequest.Input.Text t) {
        messages.add(new Message.User(List.of(ContentPart.Text.of(t.text())), null));
      }
    }
    Integer dimensions = null;
    JsonNode d = root.get("dimensions");
    if (d != null && !d.isNull()) {
      if (!d.isIntegralNumber() || !d.canConvertToInt() || d.asInt() < 1) {
        throw invalid("\"dimensions\" must be a whole number of at least 1");
      }
      dimensions = d.asInt();
    }
    String format = text(root, "encoding_format");
    if (format != null && !format.equals("float") && !format.equals("base64")) {
      throw invalid("\"encoding_format\" must be \"float\" or \"base64\", was \"" + format + "\"");
    }
    String inputType = text(root, "input_type");
    String user = text(root, "user");
    JsonNode provider = root.get("provider");
    return new LlmRequest(
        model,
        models,
        messages,
        null,
        null,
        null,
        null,
        null,
        null,
        false,
        user,
        null,
        null,
        provider == null || provider.isNull()
            ? ProviderPreferences.NONE
            : ProviderPreferences.parse(provider),
        null,
        null,
        Directives.NONE,
        new EmbeddingRequest(inputs, dimensions, "base64".equals(format), inputType));
  }

  private static List<String> models(JsonNode models) {
    if (models == null || models.isNull()) {
      return List.of();
    }
    if (!models.isArray() || models.size() > 3) {
      throw invalid("\"models\" must be an array of 3 model ids or fewer");
    }
    List<String> out = new ArrayList<>(models.size());
    for (int i = 0; i < models.size(); i++) {
      if (!models.get(i).isTextual() || models.get(i).asText().isBlank()) {
        throw invalid("\"models[" + i + "]\" must be a non-empty string");
      }
      out.add(models.get(i).asText());
    }
    return out;
  }

  private static List<EmbeddingRequest.Input> inputs(JsonNode input) {
    if (input == null || input.isNull()) {
      throw invalid("\"input\" is required");
    }
    if (input.isTextual()) {
      return List.of(textInput(input, "input"));
    }
    if (!input.isArray() || input.isEmpty()) {
      throw invalid("\"input\" must be a string or a non-empty array");
    }
    if (input.size() > MAX_INPUTS) {
      throw invalid("\"input\" holds " + input.size() + " items; at most " + MAX_INPUTS);
    }
    if (input.get(0).isNumber()) {
      return List.of(tokens(input, "input"));
    }
    List<EmbeddingRequest.Input> out = new ArrayList<>(input.size());
    for (int i = 0; i < input.size(); i++) {
      JsonNode item = input.get(i);
      String at = "input[" + i + "]";
      if (item.isTextual()) {
        out.add(textInput(item, at));
      } else if (item.isArray()) {
        out.add(tokens(item, at));
      } else if (item.isObject()) {
        throw invalid("\"" + at + "\": multimodal inputs are not supported; send text");
      } else {
        throw invalid("\"" + at + "\" must be a string or an array of token ids");
      }
    }
    return out;
  }

  private static EmbeddingRequest.Input textInput(JsonNode text, String at) {
    if (text.asText().isEmpty()) {
      throw invalid("\"" + at + "\" must not be empty");
    }
    return new EmbeddingRequest.Input.Text(text.asText());
  }

  private static EmbeddingRequest.Input tokens(JsonNode ids, String at) {
    if (ids.isEmpty()) {
      throw invalid("\"" + at + "\" must not be empty");
    }
    List<Integer> out = new ArrayList<>(ids.size());
    for (int k = 0; k < ids.size(); k++) {
      JsonNode id = ids.get(k);
      if (!id.isIntegralNumber() || !id.canConvertToInt() || id.asInt() < 0) {
        throw invalid("\"" + at + "[" + k + "]\" must be a token id (a whole number ≥ 0)");
      }
      out.add(id.asInt());
    }
    return new EmbeddingRequest.Input.Tokens(out);
  }

  /**
   * The answer, written as the upstream's vectors arrive: {@code {"id", "object":"list", "model",
   * "provider", "data":[...], "usage":{...}}} (OpenAI's field order but for {@code usage}, which
   * comes after {@code data} as in OpenAI's own answer). A float vector held as the upstream's JSON
   * text is copied byte for byte; one held as values is written number by number in float32's
   * shortest form; base64 is encoded from the values.
   */
  @Override
  public VectorEncoder newVectorEncoder(Stamp stamp) {
    boolean base64 = stamp.request() != null && stamp.request().embedding().base64();
    return new Vectors(stamp, base64);
  }

  private static final byte[] ITEM_FIRST =
      "{\"object\":\"embedding\",\"index\":".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] ITEM_NEXT =
      ",{\"object\":\"embedding\",\"index\":".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] EMBEDDING = ",\"embedding\":".getBytes(StandardCharsets.US_ASCII);

  private static final class Vectors implements VectorEncoder {

    private final Stamp stamp;
    private final boolean base64;

    Vectors(Stamp stamp, boolean base64) {
      this.stamp = stamp;
      this.base64 = base64;
    }

    @Override
    public byte[] head() {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
      try (JsonGenerator g = ApiJson.mapper().getFactory().createGenerator(bytes)) {
        g.writeStartObject();
        g.writeStringField("id", stamp.generationId());
        g.writeStringField("object", "list");
        g.writeStringField("model", stamp.model());
        g.writeStringField("provider", stamp.providerName());
        g.writeFieldName("data");
        g.writeRaw(":[");
        // The object stays open: the vectors and the tail follow.
        g.disable(JsonGenerator.Feature.AUTO_CLOSE_JSON_CONTENT);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return bytes.toByteArray();
    }

    @Override
    public void vector(int index, Embedding v, ByteArrayOutputStream bytes) {
      bytes.writeBytes(index == 0 ? ITEM_FIRST : ITEM_NEXT);
      writeIndex(bytes, index);
      bytes.writeBytes(EMBEDDING);
      try {
        if (base64) {
          bytes.write('"');
          bytes.writeBytes(base64Bytes(v.values()));
          bytes.write('"');
        } else if (v.hasJson()) {
          v.writeJson(bytes);
        } else {
          try (JsonGenerator g = ApiJson.mapper().getFactory().createGenerator(bytes)) {
            g.writeStartArray();
            for (float f : v.values()) {
              g.writeNumber(f);
            }
            g.writeEndArray();
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      bytes.write('}');
    }

    /** The index's decimal digits (it is never negative). */
    private static void writeIndex(ByteArrayOutputStream bytes, int index) {
      if (index < 10) {
        bytes.write('0' + index);
        return;
      }
      bytes.writeBytes(Integer.toString(index).getBytes(StandardCharsets.US_ASCII));
    }

    @Override
    public byte[] tail(Usage usage, Cost cost, JsonNode routingMetadata) {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream(512);
      bytes.write(']');
      try (JsonGenerator g = ApiJson.mapper().getFactory().createGenerator(bytes)) {
        // The generator continues the object the head opened: its fields go after a comma.
        g.writeRaw(',');
        g.writeRaw("\"usage\":");
        g.writeStartObject();
        g.writeNumberField("prompt_tokens", usage.promptTokens());
        g.writeNumberField("total_tokens", usage.promptTokens());
        g.writeNumberField("cost", cost.total());
        g.writeBooleanField("is_byok", false);
        g.writeObjectFieldStart("cost_details");
        g.writeNullField("upstream_inference_cost");
        g.writeNumberField("upstream_inference_input_cost", cost.prompt());
        g.writeNumberField("upstream_inference_output_cost", cost.completion());
        g.writeEndObject();
        g.writeEndObject();
        if (routingMetadata != null) {
          g.writeRaw(",\"openrouter_metadata\":");
          g.writeTree(routingMetadata);
        }
        g.writeRaw('}');
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return bytes.toByteArray();
    }
  }

  /** The whole answer at once (tests): the encoder's head, vectors and tail. */
  public byte[] encodeVectors(
      EmbeddingResponse vectors, Stamp stamp, Usage usage, Cost cost, JsonNode routingMetadata) {
    VectorEncoder enc = newVectorEncoder(stamp);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(enc.head());
    for (int i = 0; i < vectors.vectors().size(); i++) {
      enc.vector(i, vectors.vectors().get(i), out);
    }
    out.writeBytes(enc.tail(usage, cost, routingMetadata));
    return out.toByteArray();
  }

  /** OpenAI's base64 as ASCII bytes. */
  static byte[] base64Bytes(float[] v) {
    ByteBuffer buf = ByteBuffer.allocate(v.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    buf.asFloatBuffer().put(v);
    return Base64.getEncoder().encode(buf.array());
  }

  /** OpenAI's base64: the vector's float32 values, little-endian, back to back. */
  static String base64(float[] v) {
    ByteBuffer buf = ByteBuffer.allocate(v.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    buf.asFloatBuffer().put(v);
    return Base64.getEncoder().encodeToString(buf.array());
  }

  @Override
  public byte[] encodeBody(
      LlmResponse answer, Stamp stamp, Usage usage, Cost cost, JsonNode routingMetadata) {
    throw new IllegalStateException("an embeddings request is answered with vectors");
  }

  @Override
  public byte[] encodeError(GatewayError error, JsonNode routingMetadata) {
    return ErrorEnvelope.bytes(error, routingMetadata);
  }

  @Override
  public StreamEncoder newStreamEncoder(Stamp stamp) {
    throw new IllegalStateException("embeddings are not streamed");
  }

  @Override
  public byte[] keepalive() {
    return new byte[0];
  }

  private static String text(JsonNode root, String field) {
    JsonNode v = root.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isTextual()) {
      throw invalid("\"" + field + "\" must be a string");
    }
    return v.asText();
  }

  private static GatewayException invalid(String message) {
    return GatewayException.invalid(message);
  }
}
