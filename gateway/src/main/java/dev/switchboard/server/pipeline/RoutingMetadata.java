package dev.switchboard.server.pipeline;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.api.json.ApiJson;
import dev.switchboard.server.routing.Attempt;
import dev.switchboard.server.routing.Candidate;
import dev.switchboard.server.routing.RoutePlan;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;

/**
 * {@code openrouter_metadata} (reference §14.8, checklist 148), sent only when the request carries
 * {@code X-OpenRouter-Metadata: enabled}: what was asked, the strategy, the endpoints considered
 * and the one selected, every attempt, and Switchboard's routing trace (why each endpoint was
 * excluded or where it ranked, with its load-balancing weight). The same document is every
 * generation record's routing trace, so it is written straight to JSON text ({@link #json}, no
 * tree), and parsed into a tree only for the response that asked for it.
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

  /** The document as JSON text, for the generation record. */
  static String json(Exchange ex, Candidate served) {
    StringWriter out = new StringWriter(1_024);
    try (JsonGenerator g = ApiJson.mapper().getFactory().createGenerator(out)) {
      write(g, ex, served);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }

  private static void write(JsonGenerator g, Exchange ex, Candidate served) throws IOException {
    RoutePlan plan = ex.plan();
    g.writeStartObject();
    g.writeStringField("requested", ex.request().model());
    g.writeStringField("strategy", plan.strategy());
    g.writeNullField("region");
    g.writeStringField(
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
    g.writeNumberField("attempt", ex.attempts().size());
    g.writeBooleanField("is_byok", false);
    g.writeObjectFieldStart("endpoints");
    g.writeNumberField("total", plan.decisions().size());
    g.writeArrayFieldStart("available");
    for (Candidate c : ex.candidates()) {
      g.writeStartObject();
      g.writeStringField("provider", c.providerName());
      g.writeStringField("model", c.model().id());
      g.writeBooleanField("selected", c == served);
      g.writeEndObject();
    }
    g.writeEndArray();
    g.writeEndObject();
    g.writeArrayFieldStart("attempts");
    for (Attempt a : ex.attempts()) {
      g.writeStartObject();
      g.writeStringField("provider", a.providerName());
      g.writeStringField("model", a.model());
      if (a.status() == null) {
        g.writeNullField("status");
      } else {
        g.writeNumberField("status", a.status());
      }
      if (a.failure() != null) {
        g.writeStringField("failure_class", a.failure().name());
      }
      g.writeNumberField("latency_ms", a.latencyMs());
      if (a.note() != null) {
        g.writeStringField("note", a.note());
      }
      g.writeEndObject();
    }
    g.writeEndArray();
    g.writeArrayFieldStart("trace");
    for (RoutePlan.Decision d : plan.decisions()) {
      g.writeStartObject();
      g.writeStringField("model", d.model());
      g.writeStringField("provider", d.provider());
      g.writeBooleanField("selected", d.selected());
      if (d.selected()) {
        g.writeNumberField("rank", d.rank());
      }
      if (d.reason() != null && !d.reason().isEmpty()) {
        g.writeStringField(d.selected() ? "note" : "excluded", d.reason());
      }
      if (d.weight() != null) {
        g.writeNumberField("weight", Math.round(d.weight() * 10_000) / 10_000.0);
      }
      g.writeEndObject();
    }
    g.writeEndArray();
    if (plan.hedge()) {
      g.writeBooleanField("hedged", true);
    }
    g.writeEndObject();
  }
}
