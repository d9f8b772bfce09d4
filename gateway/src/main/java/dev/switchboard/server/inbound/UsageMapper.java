package dev.switchboard.server.inbound;

import dev.switchboard.api.chat.Usage;
import dev.switchboard.core.openai.OpenAiChatCodec;
import dev.switchboard.server.metering.Cost;

/** Canonical usage and its cost to the wire {@code usage} object of the 2026 shape. */
final class UsageMapper {

  private UsageMapper() {}

  /** The wire usage with its cost and, since we are not BYOK, a null upstream inference cost. */
  static Usage toApi(dev.switchboard.core.model.Usage u, Cost cost) {
    return OpenAiChatCodec.toApiUsage(u, cost.total(), false)
        .withCostDetails(new Usage.CostDetails(null, cost.prompt(), cost.completion()));
  }
}
