package dev.switchboard.server.pipeline;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.api.json.ApiJson;
import dev.switchboard.server.routing.Attempt;
import dev.switchboard.server.routing.Candidate;
import dev.switchboard.server.routing.RoutePlan;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * {@code openrouter_metadata} (reference §14.8, checklist 148), sent only when the request carries
 * {@code X-OpenRouter-Metadata: enabled}: what was asked, the strategy, the endpoints considered
 * and the one selected, every attempt, and Switchboard's routing trace (why each endpoint was
 * excluded or where it ranked, with its load-balancing weight). The same document is every
 * generation record's routing trace, so it is written straight to JSON text ({@link #json}, no
 * tree, no generator), and parsed into a tree only for the response that asked for it.
 */
final class RoutingMetadata {

  private RoutingMetadata() {}

  /** The document as a tree, for a response's {@code openrouter_metadata}. */
  static JsonNode of(Exchange ex, Candidate served) {
    try {
      return ApiJson.tree(json(ex, served));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The document as JSON text, for the generation record. Written with a {@link StringBuilder}:
   * through Jackson's generator the few hundred bytes cost about 5 % of a request's CPU time (field
   * by field), the largest single item of the record.
   */
  static String json(Exchange ex, Candidate served) {
    RoutePlan plan = ex.plan();
    StringBuilder b = new StringBuilder(512);
    b.append("{\"requested\":");
    string(b, ex.request().model());
    b.append(",\"strategy\":");
    string(b, plan.strategy());
    b.append(",\"region\":null,\"summary\":");
    string(
        b,
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
    b.append(",\"attempt\":").append(ex.attempts().size());
    b.append(",\"is_byok\":false,\"endpoints\":{\"total\":").append(plan.decisions().size());
    b.append(",\"available\":[");
    boolean first = true;
    for (Candidate c : ex.candidates()) {
      b.append(first ? "{\"provider\":" : ",{\"provider\":");
      first = false;
      string(b, c.providerName());
      b.append(",\"model\":");
      string(b, c.model().id());
      b.append(",\"selected\":").append(c == served).append('}');
    }
    b.append("]},\"attempts\":[");
    first = true;
    for (Attempt a : ex.attempts()) {
      b.append(first ? "{\"provider\":" : ",{\"provider\":");
      first = false;
      string(b, a.providerName());
      b.append(",\"model\":");
      string(b, a.model());
      b.append(",\"status\":").append(a.status() == null ? "null" : a.status().toString());
      if (a.failure() != null) {
        b.append(",\"failure_class\":");
        string(b, a.failure().name());
      }
      b.append(",\"latency_ms\":").append(a.latencyMs());
      if (a.note() != null) {
        b.append(",\"note\":");
        string(b, a.note());
      }
      b.append('}');
    }
    b.append("],\"trace\":[");
    first = true;
    for (RoutePlan.Decision d : plan.decisions()) {
      b.append(first ? "{\"model\":" : ",{\"model\":");
      first = false;
      string(b, d.model());
      b.append(",\"provider\":");
      string(b, d.provider());
      b.append(",\"selected\":").append(d.selected());
      if (d.selected()) {
        b.append(",\"rank\":").append(d.rank());
      }
      if (d.reason() != null && !d.reason().isEmpty()) {
        b.append(d.selected() ? ",\"note\":" : ",\"excluded\":");
        string(b, d.reason());
      }
      if (d.weight() != null) {
        double w = Math.round(d.weight() * 10_000) / 10_000.0;
        b.append(",\"weight\":").append(Double.isFinite(w) ? Double.toString(w) : "null");
      }
      b.append('}');
    }
    b.append(']');
    if (plan.hedge()) {
      b.append(",\"hedged\":true");
    }
    return b.append('}').toString();
  }

  /** {@code text} as a JSON string (null as null), escaped by Jackson's string encoder. */
  static void string(StringBuilder b, String text) {
    if (text == null) {
      b.append("null");
      return;
    }
    b.append('"');
    JsonStringEncoder.getInstance().quoteAsString(text, b);
    b.append('"');
  }
}
