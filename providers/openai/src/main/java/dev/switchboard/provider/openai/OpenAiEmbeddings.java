package dev.switchboard.provider.openai;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.api.json.ApiJson;
import dev.switchboard.core.error.FailureClass;
import dev.switchboard.core.error.GatewayError;
import dev.switchboard.core.error.GatewayException;
import dev.switchboard.core.error.UpstreamBodies;
import dev.switchboard.core.model.Embedding;
import dev.switchboard.core.model.EmbeddingRequest;
import dev.switchboard.core.model.EmbeddingResponse;
import dev.switchboard.core.model.LlmRequest;
import dev.switchboard.core.provider.HttpCall;
import dev.switchboard.core.provider.Target;
import dev.switchboard.core.provider.UpstreamResponse;
import dev.switchboard.core.provider.VectorReader;
import java.io.IOException;
import java.util.List;

/**
 * OpenAI's {@code POST /embeddings} (and the compatible servers of the profiles: Mistral, vLLM,
 * Ollama, ...), below the same base URL as chat. Vectors are always asked for as floats (the
 * gateway encodes base64 itself when its client wants it); the input goes as an array of strings or
 * of token-id arrays. {@code dimensions} is sent as is, except to Mistral, which calls it {@code
 * output_dimension}. {@code input_type} has no field in this API and is refused, so that routing
 * can move on to an upstream that takes it.
 */
final class OpenAiEmbeddings {

  static final String PATH = "/embeddings";

  private OpenAiEmbeddings() {}

  static HttpCall encode(LlmRequest request, Target target) {
    EmbeddingRequest e = request.embedding();
    if (e.inputType() != null) {
      throw new GatewayException(
          GatewayError.of(
              FailureClass.INVALID_REQUEST,
              400,
              "input_type is not supported by "
                  + target.providerName()
                  + "'s OpenAI-compatible embeddings API"));
    }
    ObjectNode body = ApiJson.object();
    body.put("model", target.upstreamModel());
    ArrayNode input = body.putArray("input");
    for (EmbeddingRequest.Input i : e.inputs()) {
      switch (i) {
        case EmbeddingRequest.Input.Text t -> input.add(t.text());
        case EmbeddingRequest.Input.Tokens t -> {
          ArrayNode ids = input.addArray();
          t.ids().forEach(ids::add);
        }
      }
    }
    if (e.dimensions() != null) {
      boolean mistral = "mistral".equals(target.profile().id());
      body.put(mistral ? "output_dimension" : "dimensions", e.dimensions());
    }
    if (request.user() != null && !target.profile().drops("user")) {
      body.put("user", request.user());
    }
    return HttpCall.jsonPost(target.baseUrlOrDefault() + PATH, target, false, ApiJson.bytes(body));
  }

  /**
   * Reads the answer with a streaming parser: each vector stays a slice of the body (or becomes a
   * {@code float[]} when the client wants base64), so no number is held as an object. {@code data}
   * items may come in any order; each index must be there once.
   */
  static EmbeddingResponse decode(LlmRequest request, UpstreamResponse response, Target target) {
    byte[] body = response.body();
    int n = request.embedding().inputs().size();
    boolean values = request.embedding().base64();
    Embedding[] vectors = null;
    String model = null;
    JsonNode usage = null;
    boolean error = false;
    try (JsonParser p = ApiJson.mapper().createParser(body)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw bad(response, target);
      }
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        JsonToken t = p.nextToken();
        switch (field) {
          case "data" -> {
            if (t != JsonToken.START_ARRAY) {
              throw bad(response, target);
            }
            vectors = new Embedding[n];
            while (p.nextToken() == JsonToken.START_OBJECT) {
              item(p, body, values, vectors, response, target);
            }
          }
          case "model" -> model = t == JsonToken.VALUE_STRING ? p.getText() : null;
          case "usage" -> usage = ApiJson.mapper().readTree(p);
          case "error" -> {
            error = t != JsonToken.VALUE_NULL;
            p.skipChildren();
          }
          default -> p.skipChildren();
        }
      }
    } catch (IOException | IllegalArgumentException e) {
      throw new GatewayException(
          UpstreamBodies.badResponse(target.providerName(), response.bodyText()), e);
    }
    if (vectors == null) {
      if (error) {
        throw OpenAiErrors.classify(response, target).toException();
      }
      throw bad(response, target);
    }
    for (Embedding v : vectors) {
      if (v == null) {
        throw UpstreamBodies.badResponse(
                target.providerName(), "missing vectors: " + response.bodyText())
            .toException();
      }
    }
    return new EmbeddingResponse(model, List.of(vectors), OpenAiUsage.parse(usage));
  }

  /** One item of {@code data}, the parser on its {@code {}: its vector goes to its index. */
  private static void item(
      JsonParser p,
      byte[] body,
      boolean values,
      Embedding[] vectors,
      UpstreamResponse response,
      Target target)
      throws IOException {
    int index = -1;
    Embedding vector = null;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      JsonToken t = p.nextToken();
      if (field.equals("index") && t == JsonToken.VALUE_NUMBER_INT) {
        index = p.getIntValue();
      } else if (field.equals("embedding")) {
        vector = VectorReader.read(p, body, values);
      } else {
        p.skipChildren();
      }
    }
    if (index < 0 || index >= vectors.length || vector == null) {
      throw bad(response, target);
    }
    vectors[index] = vector;
  }

  private static GatewayException bad(UpstreamResponse response, Target target) {
    return UpstreamBodies.badResponse(target.providerName(), response.bodyText()).toException();
  }
}
