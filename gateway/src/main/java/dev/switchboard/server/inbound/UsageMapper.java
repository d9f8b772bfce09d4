package dev.switchboard.server.inbound;

import dev.switchboard.api.chat.Usage;
import dev.switchboard.core.openai.OpenAiChatCodec;
import dev.switchboard.server.metering.Cost;

/** Canonical usage and its cost to the wire {@code usage} object of the 2026 shape. */
final class UsageMapper {

  private UsageMapper() {}

  /**
   * The wire usage with its cost and, since we are not BYOK, a null upstream inference cost; {@code
   * cache_write_tokens} only where the serving endpoint prices cache writes (checklist 32).
   */
  static Usage toApi(dev.switchboard.core.model.Usage u, Cost cost) {
    Usage usage =
        OpenAiChatCodec.toApiUsage(u, cost.total(), false)
            .withCostDetails(new Usage.CostDetails(null, cost.prompt(), cost.completion()));
    if (!cost.cacheWritesPriced() && usage.promptTokensDetails() != null) {
      usage = usage.withPromptTokensDetails(usage.promptTokensDetails().withoutCacheWrites());
    }
    return usage;
  }
}
