package dev.switchboard.server.pipeline;

import dev.switchboard.server.config.GatewayConfig;
import dev.switchboard.server.routing.RoutePlanner;

/**
 * Stage 5, plan: the ordered candidates for the request ({@link RoutePlanner}: model references,
 * filters, order, breakers, sticky sessions), or a 400/404 that says why there are none. The
 * provider preferences are the request's own narrowed by the key's guardrails (what admission's
 * {@link Reservation#providers} gives), so the routing filters enforce both. Before planning, the
 * request is checked against the model's mandatory reasoning ({@link RoutePlanner#prepare}).
 */
final class Plan {

  private final RoutePlanner planner;
  private final GatewayConfig.RoutingConfig routing;

  Plan(RoutePlanner planner, GatewayConfig.RoutingConfig routing) {
    this.planner = planner;
    this.routing = routing;
  }

  void run(Exchange ex) {
    ex.request(planner.prepare(ex.request()));
    ex.plan(
        planner.plan(
            ex.request(),
            new RoutePlanner.Context(
                ex.key().hash(),
                ex.header("x-session-id"),
                routing.hedge(),
                routing.hedgeDelayMs(),
                ex.reservation().providers(ex.request().provider()))));
  }
}
