package dev.switchboard.server.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.api.json.ApiJson;
import dev.switchboard.server.routing.Attempt;
import dev.switchboard.server.routing.Candidate;
import dev.switchboard.server.routing.RoutePlan;

/**
 * {@code openrouter_metadata} (reference §14.8, checklist 148), sent only when the request carries
 * {@code X-OpenRouter-Metadata: enabled}: what was asked, the strategy, the endpoints considered
 * and the one selected, every attempt, and Switchboard's routing trace (why each endpoint was
 * excluded or where it ranked, with its load-balancing weight).
 */
final class RoutingMetadata {

  private RoutingMetadata() {}

  static JsonNode of(Exchange ex, Candidate served) {
    ObjectNode root = ApiJson.object();
    root.put("requested", ex.request().model());
    root.put("strategy", ex.plan().strategy());
    root.putNull("region");
    root.put(
        "summary",
        served == null
            ? "no endpoint answered after " + ex.attempts().size() + " attempt(s)"
            : "served by "
                + served.providerName()
                + " ("
                + served.model().id()
                + ") on attempt "
                + ex.attempts().size()
                + " of "
                + ex.candidates().size()
                + " candidate(s)");
    root.put("attempt", ex.attempts().size());
    root.put("is_byok", false);
    ObjectNode endpoints = root.putObject("endpoints");
    endpoints.put("total", ex.plan().decisions().size());
    ArrayNode available = endpoints.putArray("available");
    for (Candidate c : ex.candidates()) {
      ObjectNode n = available.addObject();
      n.put("provider", c.providerName());
      n.put("model", c.model().id());
      n.put("selected", c == served);
    }
    ArrayNode attempts = root.putArray("attempts");
    for (Attempt a : ex.attempts()) {
      ObjectNode n = attempts.addObject();
      n.put("provider", a.providerName());
      n.put("model", a.model());
      if (a.status() == null) {
        n.putNull("status");
      } else {
        n.put("status", a.status());
      }
      if (a.failure() != null) {
        n.put("failure_class", a.failure().name());
      }
      n.put("latency_ms", a.latencyMs());
      if (a.note() != null) {
        n.put("note", a.note());
      }
    }
    ArrayNode trace = root.putArray("trace");
    for (RoutePlan.Decision d : ex.plan().decisions()) {
      ObjectNode n = trace.addObject();
      n.put("model", d.model());
      n.put("provider", d.provider());
      n.put("selected", d.selected());
      if (d.selected()) {
        n.put("rank", d.rank());
      }
      if (d.reason() != null && !d.reason().isEmpty()) {
        n.put(d.selected() ? "note" : "excluded", d.reason());
      }
      if (d.weight() != null) {
        n.put("weight", Math.round(d.weight() * 10_000) / 10_000.0);
      }
    }
    if (ex.plan().hedge()) {
      root.put("hedged", true);
    }
    return root;
  }
}
