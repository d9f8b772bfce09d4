package dev.switchboard.provider.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.api.json.ApiJson;
import dev.switchboard.core.model.ReasoningConfig;
import dev.switchboard.provider.gemini.GeminiWire.ThinkingConfig;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reasoning both ways. Out: {@code reasoning} to {@code thinkingConfig} (reference 3.7). Back:
 * thought summaries and thought signatures as {@code reasoning_details} in the {@code
 * google-gemini-v1} format, and signatures recovered from the details a client sends back.
 *
 * <p>Details: a thought summary is {@code {type:"reasoning.text", text, format, index}}; a
 * signature is {@code {type:"reasoning.encrypted", data, format, index}} plus {@code id}, the tool
 * call id, when it rode on a function call. Each signature gets its own {@code index}, so a client
 * that merges streamed details by index keeps them apart.
 */
final class GeminiReasoning {

  static final String FORMAT = "google-gemini-v1";

  /**
   * What Google documents for a replayed Gemini 3 function call whose signature was lost (a client
   * that drops {@code reasoning_details}); without one Gemini 3 refuses the request with 400.
   */
  static final String SKIP_VALIDATOR = "skip_thought_signature_validator";

  private static final Map<String, Double> RATIOS =
      Map.of("max", 0.95, "xhigh", 0.95, "high", 0.8, "medium", 0.5, "low", 0.2, "minimal", 0.1);

  /** Gemini 2.5's default output limit, the base of effort budgets when the caller set none. */
  private static final int DEFAULT_OUTPUT_LIMIT = 65536;

  private GeminiReasoning() {}

  /**
   * The thinking configuration, or null to leave the model's default. No {@code reasoning} object:
   * nothing (the model thinks as it does by default and returns no summaries). Otherwise thought
   * summaries are asked for unless reasoning is off or excluded, and:
   *
   * <ul>
   *   <li>{@code max_tokens} becomes {@code thinkingBudget} as given (Gemini 3 accepts it too);
   *   <li>on Gemini 3, {@code effort} becomes {@code thinkingLevel} (max and xhigh to high; levels
   *       a model lacks snap to the nearest: Pro has no minimal, 3.0 Pro no medium); off ({@code
   *       effort:"none"}, {@code enabled:false}) becomes the lowest level, since Gemini 3 cannot
   *       stop thinking;
   *   <li>on Gemini 2.5, {@code effort} becomes a budget of the output limit times the effort's
   *       ratio (0.95, 0.8, 0.5, 0.2, 0.1), within the model's range; off becomes 0 (2.5 Pro: its
   *       minimum, 128);
   *   <li>Gemini 1.x and 2.0 do not think: nothing is sent.
   * </ul>
   */
  static ThinkingConfig config(
      ReasoningConfig reasoning, GeminiModels model, Integer outputLimit, Integer defaultLimit) {
    if (reasoning == null || model.legacy()) {
      return null;
    }
    boolean off = "none".equals(reasoning.effort()) || Boolean.FALSE.equals(reasoning.enabled());
    Boolean include = off || reasoning.exclude() ? null : Boolean.TRUE;
    Integer budget = null;
    String level = null;
    if (reasoning.maxTokens() != null && !off) {
      budget = reasoning.maxTokens();
    } else if (model.thinksByLevel()) {
      level = model.level(reasoning.effort(), off);
    } else if (off) {
      budget = model.minBudget();
    } else if (reasoning.effort() != null && RATIOS.containsKey(reasoning.effort())) {
      int base =
          outputLimit != null
              ? outputLimit
              : defaultLimit != null ? defaultLimit : DEFAULT_OUTPUT_LIMIT;
      int wanted = (int) Math.floor(base * RATIOS.get(reasoning.effort()));
      budget = Math.max(Math.max(model.minBudget(), 1024), Math.min(wanted, model.maxBudget()));
    }
    if (include == null && budget == null && level == null) {
      return null;
    }
    return new ThinkingConfig(include, budget, level);
  }

  /** A thought summary as a detail. */
  static ObjectNode textDetail(String text, int index) {
    ObjectNode detail = ApiJson.object();
    detail.put("type", "reasoning.text");
    detail.put("text", text);
    detail.put("format", FORMAT);
    detail.put("index", index);
    return detail;
  }

  /** A thought signature as a detail; {@code callId} when it rode on a function call. */
  static ObjectNode signatureDetail(String signature, String callId, int index) {
    ObjectNode detail = ApiJson.object();
    detail.put("type", "reasoning.encrypted");
    detail.put("data", signature);
    if (callId != null) {
      detail.put("id", callId);
    }
    detail.put("format", FORMAT);
    detail.put("index", index);
    return detail;
  }

  /**
   * The Gemini signatures in an assistant message's {@code reasoning_details}: by tool call id, and
   * under the key {@code null} the one that rode on a text part. Details of other formats (another
   * provider's signatures) are ignored, since Gemini would refuse them.
   */
  static Map<String, String> signatures(JsonNode details) {
    Map<String, String> out = new LinkedHashMap<>();
    if (details == null || !details.isArray()) {
      return out;
    }
    for (JsonNode detail : details) {
      if (!"reasoning.encrypted".equals(detail.path("type").asText())
          || !FORMAT.equals(detail.path("format").asText())
          || !detail.path("data").isTextual()
          || detail.path("data").textValue().isEmpty()) {
        continue;
      }
      JsonNode id = detail.get("id");
      String key = id != null && id.isTextual() ? id.textValue() : null;
      out.putIfAbsent(key, detail.get("data").textValue());
    }
    return out;
  }
}
