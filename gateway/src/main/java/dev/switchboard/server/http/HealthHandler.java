package dev.switchboard.server.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.api.json.ApiJson;
import dev.switchboard.server.catalog.EndpointEntry;
import dev.switchboard.server.catalog.ModelEntry;
import dev.switchboard.server.pipeline.AuthGate;
import dev.switchboard.server.pipeline.Services;
import dev.switchboard.server.storage.KeyKind;
import io.vertx.core.Vertx;
import io.vertx.ext.web.RoutingContext;
import java.util.Map;

/**
 * {@code GET /api/v1/routing/endpoints} (management keys): the live health the router sees for
 * every endpoint, so an operator can tell why traffic moved: circuit-breaker state, whether the
 * endpoint counts as in an outage, uptime and p50 latency and throughput over the last 5 minutes.
 */
final class HealthHandler {

  private final Vertx vertx;
  private final Services services;

  HealthHandler(Vertx vertx, Services services) {
    this.vertx = vertx;
    this.services = services;
  }

  void endpoints(RoutingContext ctx) {
    AuthGate.authenticate(vertx, services.authenticator(), ctx.request(), KeyKind.MANAGEMENT)
        .onSuccess(key -> Responses.json(ctx.response(), 200, report()))
        .onFailure(err -> ErrorRenderer.render(ctx.response(), ErrorRenderer.from(err)));
  }

  private ObjectNode report() {
    long now = services.stats().nowMs();
    ObjectNode root = ApiJson.object();
    ArrayNode data = root.putArray("data");
    for (ModelEntry m : services.catalog().models()) {
      for (EndpointEntry e : m.endpoints()) {
        if (services.providers().get(e.provider()).isEmpty()) {
          continue;
        }
        var s = services.stats().of(m.id(), e.provider());
        ObjectNode n = data.addObject();
        n.put("model", m.id());
        n.put("provider", e.provider());
        n.put("breaker", s.breakerState(now).name().toLowerCase(java.util.Locale.ROOT));
        n.put("recent_outage", s.recentOutage(now, 30_000));
        putNumber(n, "uptime_last_5m", s.uptime(now, 5));
        putP50(n, "latency_p50_ms", s.ttftMs(now, 5));
        putP50(n, "throughput_p50", s.throughput(now, 5));
      }
    }
    return root;
  }

  private static void putNumber(ObjectNode n, String field, Double value) {
    if (value == null) {
      n.putNull(field);
    } else {
      n.put(field, value);
    }
  }

  private static void putP50(ObjectNode n, String field, Map<String, Double> percentiles) {
    putNumber(n, field, percentiles.get("p50"));
  }
}
