package dev.switchboard.provider.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.api.json.ApiJson;
import dev.switchboard.core.error.FailureClass;
import dev.switchboard.core.error.GatewayError;
import dev.switchboard.core.error.GatewayException;
import dev.switchboard.core.error.UpstreamBodies;
import dev.switchboard.core.model.EmbeddingRequest;
import dev.switchboard.core.model.EmbeddingResponse;
import dev.switchboard.core.model.LlmRequest;
import dev.switchboard.core.model.Usage;
import dev.switchboard.core.provider.HttpCall;
import dev.switchboard.core.provider.Target;
import dev.switchboard.core.provider.UpstreamResponse;
import java.io.IOException;
import java.util.ArrayList;
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

  static EmbeddingResponse decode(LlmRequest request, UpstreamResponse response, Target target) {
    JsonNode root;
    try {
      root = ApiJson.tree(response.body());
    } catch (IOException e) {
      throw new GatewayException(
          UpstreamBodies.badResponse(target.providerName(), response.bodyText()), e);
    }
    if (root == null || !root.isObject() || !root.path("data").isArray()) {
      if (root != null && root.hasNonNull("error")) {
        throw OpenAiErrors.classify(response, target).toException();
      }
      throw UpstreamBodies.badResponse(target.providerName(), response.bodyText()).toException();
    }
    int n = request.embedding().inputs().size();
    float[][] vectors = new float[n][];
    for (JsonNode d : root.path("data")) {
      int index = d.path("index").asInt(-1);
      JsonNode values = d.path("embedding");
      if (index < 0 || index >= n || !values.isArray()) {
        throw UpstreamBodies.badResponse(target.providerName(), response.bodyText()).toException();
      }
      float[] v = new float[values.size()];
      for (int k = 0; k < v.length; k++) {
        v[k] = (float) values.get(k).asDouble();
      }
      vectors[index] = v;
    }
    List<float[]> list = new ArrayList<>(n);
    for (float[] v : vectors) {
      if (v == null) {
        throw UpstreamBodies.badResponse(
                target.providerName(), "missing vectors: " + response.bodyText())
            .toException();
      }
      list.add(v);
    }
    Usage usage = OpenAiUsage.parse(root.get("usage"));
    return new EmbeddingResponse(UpstreamBodies.text(root, "model"), list, usage);
  }
}
