package dev.switchboard.server.routing;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.core.model.LlmRequest;

/**
 * Whether a request may be sent twice at once (hedging). A plain completion has no effect outside
 * its answer, so racing two providers only costs the loser's tokens. Requests whose effects are not
 * idempotent are never hedged: stored completions ({@code store: true}), plugins and server tools
 * (web search, fetches are billed and may act on the world), and predicted outputs.
 */
final class Idempotence {

  private Idempotence() {}

  static boolean safeToHedge(LlmRequest r) {
    JsonNode store = r.vendorFields().get("store");
    if (store != null && store.asBoolean(false)) {
      return false;
    }
    if (r.plugins() != null && r.plugins().isArray() && !r.plugins().isEmpty()) {
      return false;
    }
    return !r.vendorFields().containsKey("prediction");
  }
}
