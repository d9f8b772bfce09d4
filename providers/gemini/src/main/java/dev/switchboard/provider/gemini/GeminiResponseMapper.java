package dev.switchboard.provider.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.api.json.ApiJson;
import dev.switchboard.core.error.GatewayException;
import dev.switchboard.core.error.UpstreamBodies;
import dev.switchboard.core.model.FinishReason;
import dev.switchboard.core.model.LlmResponse;
import dev.switchboard.core.model.StreamEvent;
import dev.switchboard.core.model.ToolCall;
import dev.switchboard.core.provider.Target;
import dev.switchboard.core.provider.UpstreamResponse;
import dev.switchboard.provider.gemini.GeminiWire.GenerateContentResponse;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@code generateContent} body to {@link LlmResponse}. The body is decoded by the same {@link
 * GeminiStreamDecoder} a stream goes through, then folded, so ids, finish reasons, reasoning
 * details and usage are the same whether or not the caller streamed: text parts are joined into
 * {@code content}, thought parts into {@code reasoning}, details kept in order (a thought summary
 * as one {@code reasoning.text} detail), function calls into {@code tool_calls}. A blocked prompt
 * (no candidates, {@code promptFeedback.blockReason}) is an empty answer with {@code
 * content_filter}; a body with neither candidates nor a block reason is a bad response.
 */
final class GeminiResponseMapper {

  private GeminiResponseMapper() {}

  static LlmResponse map(UpstreamResponse response, Target target) {
    GenerateContentResponse body;
    try {
      body = ApiJson.read(response.body(), GenerateContentResponse.class);
    } catch (IOException e) {
      throw new GatewayException(
          UpstreamBodies.badResponse(target.providerName(), response.bodyText()), e);
    }
    if (body == null) {
      throw UpstreamBodies.badResponse(target.providerName(), response.bodyText()).toException();
    }
    if (body.error() != null && !body.error().isNull()) {
      throw GeminiErrors.classify(response, target).toException();
    }
    boolean blocked = body.promptFeedback() != null && body.promptFeedback().blockReason() != null;
    if ((body.candidates() == null || body.candidates().isEmpty()) && !blocked) {
      throw UpstreamBodies.badResponse(target.providerName(), response.bodyText()).toException();
    }
    GeminiStreamDecoder decoder = new GeminiStreamDecoder(target);
    List<StreamEvent> events = decoder.decode(body);
    return fold(events, decoder);
  }

  private static LlmResponse fold(List<StreamEvent> events, GeminiStreamDecoder decoder) {
    String id = null;
    String model = null;
    StringBuilder text = null;
    StringBuilder reasoning = null;
    ArrayNode details = ApiJson.nodes().arrayNode();
    List<String[]> calls = new ArrayList<>();
    FinishReason finish = null;
    String nativeFinish = null;
    for (StreamEvent event : events) {
      switch (event) {
        case StreamEvent.Started s -> {
          id = s.upstreamId();
          model = s.upstreamModel();
        }
        case StreamEvent.TextDelta t -> text = append(text, t.text());
        case StreamEvent.ReasoningDelta r -> {
          if (r.text() != null) {
            reasoning = append(reasoning, r.text());
          }
          if (r.detail() != null) {
            addDetail(details, r.detail());
          }
        }
        case StreamEvent.ToolCallStarted c -> calls.add(new String[] {c.id(), c.name(), ""});
        case StreamEvent.ToolCallDelta d -> calls.get(d.index())[2] += d.argumentsFragment();
        case StreamEvent.Finished f -> {
          finish = f.reason();
          nativeFinish = f.nativeReason();
        }
        case StreamEvent.Failed f -> throw f.error().toException();
        case StreamEvent.RefusalDelta r -> {}
        case StreamEvent.Annotations a -> {}
        case StreamEvent.Logprobs l -> {}
        case StreamEvent.UsageReported u -> {}
        case StreamEvent.Unknown u -> {}
      }
    }
    List<ToolCall> toolCalls = new ArrayList<>(calls.size());
    for (String[] call : calls) {
      toolCalls.add(new ToolCall(call[0], call[1], call[2]));
    }
    return new LlmResponse(
        id,
        model,
        text == null ? null : text.toString(),
        null,
        reasoning == null ? null : reasoning.toString(),
        details.isEmpty() ? null : details,
        toolCalls,
        finish,
        nativeFinish,
        decoder.usage(),
        null,
        null,
        null,
        null);
  }

  /** Adds a detail; thought-summary fragments with the same index are joined into one. */
  private static void addDetail(ArrayNode details, JsonNode detail) {
    if ("reasoning.text".equals(detail.path("type").asText())) {
      for (JsonNode existing : details) {
        if ("reasoning.text".equals(existing.path("type").asText())
            && existing.path("index").asInt() == detail.path("index").asInt()) {
          ((ObjectNode) existing)
              .put("text", existing.path("text").asText() + detail.path("text").asText());
          return;
        }
      }
    }
    details.add(detail.deepCopy());
  }

  private static StringBuilder append(StringBuilder sb, String s) {
    return (sb == null ? new StringBuilder() : sb).append(s);
  }
}
