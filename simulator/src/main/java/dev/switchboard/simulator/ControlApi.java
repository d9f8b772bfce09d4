package dev.switchboard.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.api.json.ApiJson;
import io.vertx.core.Handler;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * The control API under {@code /_sim/}: fault scripts, timing, recorded requests, counters and
 * reset, with the same semantics as the in-process methods of {@link Simulator}. See {@code
 * docs/simulator.md} for the endpoints and examples.
 */
final class ControlApi {

  private final SimState state;

  ControlApi(SimState state) {
    this.state = state;
  }

  void mount(Router router) {
    router.get("/_sim/health").handler(ctx -> json(ctx, 200, ApiJson.object().put("status", "ok")));
    router.get("/_sim/stats").handler(this::stats);
    router.get("/_sim/faults").handler(this::listFaults);
    router.post("/_sim/faults/:provider").handler(guard(this::addFaults));
    router.delete("/_sim/faults/:provider").handler(this::clearFaults);
    router
        .delete("/_sim/faults")
        .handler(
            ctx -> {
              state.clearFaults();
              ctx.response().setStatusCode(204).end();
            });
    router.get("/_sim/latency").handler(this::listLatency);
    router.put("/_sim/latency/:provider").handler(guard(this::setLatency));
    router.delete("/_sim/latency/:provider").handler(this::clearLatency);
    router.get("/_sim/requests/:provider").handler(guard(this::requests));
    router
        .post("/_sim/reset")
        .handler(
            ctx -> {
              state.reset();
              ctx.response().setStatusCode(204).end();
            });
  }

  private void stats(RoutingContext ctx) {
    ObjectNode out = ApiJson.object();
    ObjectNode providers = ApiJson.object();
    long total = 0;
    for (Map.Entry<String, ProviderState> e : state.providers().entrySet()) {
      long requests = e.getValue().requestCount();
      total += requests;
      providers
          .putObject(e.getKey())
          .put("requests", requests)
          .put("faults", e.getValue().faultCount());
    }
    out.put("total_requests", total);
    out.set("providers", providers);
    json(ctx, 200, out);
  }

  private void listFaults(RoutingContext ctx) {
    ObjectNode out = ApiJson.object();
    state.faults().forEach((provider, faults) -> out.set(provider, faultArray(faults)));
    json(ctx, 200, out);
  }

  private void addFaults(RoutingContext ctx) {
    String provider = ctx.pathParam("provider");
    List<Fault> faults = FaultJson.parseList(ctx.body().asString());
    ProviderState target = state.provider(provider);
    faults.forEach(target::addFault);
    ObjectNode out = ApiJson.object().put("provider", provider);
    out.set("faults", faultArray(target.faults()));
    json(ctx, 200, out);
  }

  private void clearFaults(RoutingContext ctx) {
    ProviderState target = state.existing(ctx.pathParam("provider"));
    if (target != null) {
      target.clearFaults();
    }
    ctx.response().setStatusCode(204).end();
  }

  private void listLatency(RoutingContext ctx) {
    ObjectNode out = ApiJson.object();
    out.set("default", latencyJson(state.config.latency()));
    ObjectNode providers = out.putObject("providers");
    state
        .config
        .providerLatency()
        .keySet()
        .forEach(p -> providers.set(p, latencyJson(state.latency(p))));
    state.providers().keySet().forEach(p -> providers.set(p, latencyJson(state.latency(p))));
    json(ctx, 200, out);
  }

  private void setLatency(RoutingContext ctx) {
    JsonNode body = tree(ctx.body().asString());
    String provider = ctx.pathParam("provider");
    Latency current = state.latency(provider);
    Latency latency =
        Latency.of(
            body.path("ttft_ms").asLong(current.ttftMs()),
            body.path("tps").asDouble(current.tokensPerSecond()));
    state.provider(provider).latency(latency);
    ObjectNode out = latencyJson(latency);
    out.put("provider", provider);
    json(ctx, 200, out);
  }

  private void clearLatency(RoutingContext ctx) {
    ProviderState target = state.existing(ctx.pathParam("provider"));
    if (target != null) {
      target.latency(null);
    }
    ctx.response().setStatusCode(204).end();
  }

  private void requests(RoutingContext ctx) {
    String provider = ctx.pathParam("provider");
    String limitParam = ctx.queryParams().get("limit");
    int limit = limitParam == null ? Integer.MAX_VALUE : Integer.parseInt(limitParam);
    if (limit < 0) {
      throw new IllegalArgumentException("limit must not be negative");
    }
    ArrayNode requests = ApiJson.nodes().arrayNode();
    for (RecordedRequest r : state.requests(provider, limit)) {
      ObjectNode item = requests.addObject();
      item.put("method", r.method()).put("path", r.path());
      ObjectNode headers = item.putObject("headers");
      r.headers().forEach(headers::put);
      JsonNode body = parsedOrNull(r.body());
      if (body != null) {
        item.set("body", body);
      } else {
        item.put("body", r.body());
      }
      item.put("received_at", r.receivedAt().toString());
      item.put("http_version", r.httpVersion());
    }
    ObjectNode out = ApiJson.object().put("provider", provider);
    out.set("requests", requests);
    json(ctx, 200, out);
  }

  private static ArrayNode faultArray(List<Fault> faults) {
    ArrayNode array = ApiJson.nodes().arrayNode();
    faults.forEach(f -> array.add(FaultJson.toJson(f)));
    return array;
  }

  private static ObjectNode latencyJson(Latency latency) {
    return ApiJson.object().put("ttft_ms", latency.ttftMs()).put("tps", latency.tokensPerSecond());
  }

  /** Turns bad input ({@link IllegalArgumentException}) into a 400 with a message. */
  private static Handler<RoutingContext> guard(Handler<RoutingContext> handler) {
    return ctx -> {
      try {
        handler.handle(ctx);
      } catch (IllegalArgumentException e) {
        ObjectNode error = ApiJson.object();
        error.putObject("error").put("message", e.getMessage());
        json(ctx, 400, error);
      }
    };
  }

  private static JsonNode tree(String body) {
    JsonNode node = parsedOrNull(body);
    if (node == null || !node.isObject()) {
      throw new IllegalArgumentException("expected a JSON object body");
    }
    return node;
  }

  private static JsonNode parsedOrNull(String body) {
    if (body == null || body.isBlank()) {
      return null;
    }
    try {
      return ApiJson.tree(body);
    } catch (IOException e) {
      return null;
    }
  }

  private static void json(RoutingContext ctx, int status, JsonNode body) {
    ctx.response()
        .setStatusCode(status)
        .putHeader("content-type", "application/json")
        .end(ApiJson.string(body));
  }
}
