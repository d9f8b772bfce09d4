package dev.switchboard.provider.gemini;

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
import dev.switchboard.core.provider.EmbeddingsReader;
import dev.switchboard.core.provider.HttpCall;
import dev.switchboard.core.provider.Target;
import dev.switchboard.core.provider.VectorFeed;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Gemini's embeddings: {@code models/{model}:embedContent} for one input, {@code
 * :batchEmbedContents} for several (one request per input, in order). {@code dimensions} is {@code
 * outputDimensionality}; {@code input_type} is the {@code taskType} (OpenRouter's names such as
 * {@code search_query} and {@code search_document}, or Gemini's own such as {@code
 * RETRIEVAL_QUERY}). Gemini takes text only, so token-id inputs are refused. The API reports no
 * token counts: usage is then estimated at four characters a token, and flagged as an estimate.
 */
final class GeminiEmbeddings {

  private static final Map<String, String> TASKS =
      Map.ofEntries(
          Map.entry("search_query", "RETRIEVAL_QUERY"),
          Map.entry("query", "RETRIEVAL_QUERY"),
          Map.entry("search_document", "RETRIEVAL_DOCUMENT"),
          Map.entry("document", "RETRIEVAL_DOCUMENT"),
          Map.entry("passage", "RETRIEVAL_DOCUMENT"),
          Map.entry("classification", "CLASSIFICATION"),
          Map.entry("clustering", "CLUSTERING"),
          Map.entry("semantic_similarity", "SEMANTIC_SIMILARITY"),
          Map.entry("similarity", "SEMANTIC_SIMILARITY"),
          Map.entry("question_answering", "QUESTION_ANSWERING"),
          Map.entry("fact_verification", "FACT_VERIFICATION"),
          Map.entry("code_retrieval_query", "CODE_RETRIEVAL_QUERY"));

  private GeminiEmbeddings() {}

  static HttpCall encode(LlmRequest request, Target target) {
    EmbeddingRequest e = request.embedding();
    if (!e.allText()) {
      throw invalid("token-id input is not supported by Gemini's embeddings API; send text");
    }
    String task = e.inputType() == null ? null : task(e.inputType());
    String base = target.baseUrlOrDefault() + "/models/" + target.upstreamModel();
    ObjectNode body = ApiJson.object();
    if (e.inputs().size() == 1) {
      one(body, (EmbeddingRequest.Input.Text) e.inputs().getFirst(), task, e.dimensions());
      return HttpCall.jsonPost(base + ":embedContent", target, false, ApiJson.bytes(body));
    }
    var requests = body.putArray("requests");
    for (EmbeddingRequest.Input i : e.inputs()) {
      ObjectNode r = requests.addObject();
      r.put("model", "models/" + target.upstreamModel());
      one(r, (EmbeddingRequest.Input.Text) i, task, e.dimensions());
    }
    return HttpCall.jsonPost(base + ":batchEmbedContents", target, false, ApiJson.bytes(body));
  }

  private static void one(
      ObjectNode r, EmbeddingRequest.Input.Text text, String task, Integer dimensions) {
    r.putObject("content").putArray("parts").addObject().put("text", text.text());
    if (task != null) {
      r.put("taskType", task);
    }
    if (dimensions != null) {
      r.put("outputDimensionality", dimensions);
    }
  }

  private static String task(String inputType) {
    String mapped = TASKS.get(inputType.toLowerCase(Locale.ROOT));
    if (mapped != null) {
      return mapped;
    }
    String upper = inputType.toUpperCase(Locale.ROOT);
    if (TASKS.containsValue(upper)) {
      return upper;
    }
    throw invalid(
        "input_type \"" + inputType + "\" has no Gemini task type; use one of " + TASKS.keySet());
  }

  /**
   * Reads the answer as it arrives ({@link VectorFeed}: {@code embedding} for one input, {@code
   * embeddings} for a batch, in order): each vector stays the upstream's JSON text, or becomes a
   * {@code float[]} when the client wants base64, so no number is held as an object.
   */
  static EmbeddingsReader reader(LlmRequest request, Target target, VectorFeed.Sink sink) {
    VectorFeed feed =
        new VectorFeed(
            VectorFeed.Shape.GEMINI,
            request.embedding().inputs().size(),
            request.embedding().base64(),
            sink);
    return new EmbeddingsReader(
        feed,
        target.providerName(),
        f -> {
          if (!f.sawVectors()) {
            throw UpstreamBodies.badResponse(
                    target.providerName(), "no embeddings in the answer: " + f.error())
                .toException();
          }
          long reported = f.usage() == null ? -1 : f.usage().path("promptTokenCount").asLong(-1);
          Usage usage;
          if (reported >= 0) {
            usage = new Usage(reported, 0, 0, 0, 0, false);
          } else {
            long chars = 0;
            for (EmbeddingRequest.Input i : request.embedding().inputs()) {
              chars += ((EmbeddingRequest.Input.Text) i).text().length();
            }
            usage = new Usage(Math.max(1, (chars + 3) / 4), 0, 0, 0, 0, true);
          }
          return new EmbeddingResponse(target.upstreamModel(), List.of(), usage);
        });
  }

  private static GatewayException invalid(String message) {
    return new GatewayException(GatewayError.of(FailureClass.INVALID_REQUEST, 400, message));
  }
}
