package dev.switchboard.provider.openai;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.core.model.Usage;

/**
 * An OpenAI-dialect {@code usage} object to canonical {@link Usage}, normalising vendor drift so
 * that prompt tokens include cached tokens and completion tokens include reasoning tokens.
 */
final class OpenAiUsage {

  private OpenAiUsage() {}

  /** Null when {@code usage} is absent or not an object. */
  static Usage parse(JsonNode usage) {
    if (usage == null || !usage.isObject()) {
      return null;
    }
    long prompt = first(usage, "prompt_tokens", "input_tokens");
    long completion = first(usage, "completion_tokens", "output_tokens");
    long total = usage.path("total_tokens").asLong(0);
    long reasoning =
        first(usage.path("completion_tokens_details"), "reasoning_tokens", "reasoning_tokens");
    JsonNode promptDetails = usage.path("prompt_tokens_details");
    long cached = promptDetails.path("cached_tokens").asLong(0);
    if (cached == 0) {
      // DeepSeek reports cache hits at the top level.
      cached = usage.path("prompt_cache_hit_tokens").asLong(0);
    }
    long cacheWrite = promptDetails.path("cache_write_tokens").asLong(0);
    // xAI counts reasoning outside completion_tokens: total = prompt + completion + reasoning.
    if (reasoning > 0 && total != prompt + completion && total == prompt + completion + reasoning) {
      completion += reasoning;
    }
    return new Usage(prompt, completion, reasoning, cached, cacheWrite, false);
  }

  private static long first(JsonNode node, String name, String alias) {
    JsonNode value = node.get(name);
    if (value == null || !value.isNumber()) {
      value = node.get(alias);
    }
    return value != null && value.isNumber() ? value.asLong() : 0;
  }
}
