package dev.switchboard.server.http;

import dev.switchboard.api.chat.Usage;
import dev.switchboard.server.metering.Cost;
import java.math.BigDecimal;

/** Canonical usage and its cost to the wire {@code usage} object of the 2026 shape. */
final class UsageMapper {

  private UsageMapper() {}

  static Usage toApi(dev.switchboard.core.model.Usage u, Cost cost) {
    return new Usage(
        u.promptTokens(),
        u.completionTokens(),
        u.totalTokens(),
        cost.total(),
        false,
        new Usage.PromptTokensDetails(u.cachedTokens(), u.cacheWriteTokens(), 0, 0),
        new Usage.CostDetails(null, cost.prompt(), cost.completion()),
        new Usage.CompletionTokensDetails(u.reasoningTokens(), 0, 0));
  }

  static BigDecimal zeroIfNull(BigDecimal v) {
    return v == null ? BigDecimal.ZERO : v;
  }
}
