package dev.switchboard.provider.openai;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.api.json.ApiJson;
import dev.switchboard.core.error.FailureClass;
import dev.switchboard.core.error.GatewayError;
import dev.switchboard.core.error.GatewayException;
import dev.switchboard.core.model.EmbeddingRequest;
import dev.switchboard.core.model.EmbeddingResponse;
import dev.switchboard.core.model.LlmRequest;
import dev.switchboard.core.provider.EmbeddingsReader;
import dev.switchboard.core.provider.HttpCall;
import dev.switchboard.core.provider.Target;
import dev.switchboard.core.provider.UpstreamResponse;
import dev.switchboard.core.provider.VectorFeed;
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
   * Reads the answer as it arrives ({@link VectorFeed}): each vector stays the upstream's JSON text
   * (or becomes a {@code float[]} when the client wants base64), so no number is held as an object.
   * {@code data} items may come in any order; each index must be there once. A 200 whose body is an
   * {@code error} object (and no {@code data}) is classified as the error it is.
   */
  static EmbeddingsReader reader(LlmRequest request, Target target, VectorFeed.Sink sink) {
    VectorFeed feed =
        new VectorFeed(
            VectorFeed.Shape.OPENAI,
            request.embedding().inputs().size(),
            request.embedding().base64(),
            sink);
    return new EmbeddingsReader(
        feed,
        target.providerName(),
        f -> {
          if (!f.sawVectors()) {
            ObjectNode body = ApiJson.object();
            body.set("error", f.error());
            throw OpenAiErrors.classify(
                    new UpstreamResponse(200, java.util.Map.of(), ApiJson.bytes(body)), target)
                .toException();
          }
          return new EmbeddingResponse(f.model(), List.of(), OpenAiUsage.parse(f.usage()));
        });
  }
}
