package dev.switchboard.server.routing;

import dev.switchboard.core.error.FailureClass;
import dev.switchboard.core.error.GatewayError;
import dev.switchboard.core.error.GatewayException;
import dev.switchboard.core.model.LlmRequest;
import dev.switchboard.core.provider.Target;
import dev.switchboard.server.catalog.Catalog;
import dev.switchboard.server.catalog.EndpointEntry;
import dev.switchboard.server.catalog.ModelEntry;
import dev.switchboard.server.routing.ProviderRegistry.ActiveProvider;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Turns a request's model references into the ordered list of endpoints to try: the primary model
 * first, then the {@code models} fallbacks; within a model, usable endpoints cheapest first.
 * Requests with tools only go to endpoints that take tools. Pure: no I/O.
 *
 * <p>Provider preferences, variants, live stats and weighted load balancing belong to the routing
 * issue; this planner is the seam they plug into.
 */
public final class RoutePlanner {

  private static final Comparator<EndpointEntry> BY_PRICE =
      Comparator.comparing((EndpointEntry e) -> e.pricing().prompt().add(e.pricing().completion()));

  private final Catalog catalog;
  private final ProviderRegistry providers;

  public RoutePlanner(Catalog catalog, ProviderRegistry providers) {
    this.catalog = catalog;
    this.providers = providers;
  }

  public List<Candidate> plan(LlmRequest request) {
    List<ModelEntry> models = new ArrayList<>();
    for (String id : request.modelChain()) {
      ModelEntry m =
          catalog
              .model(id)
              .orElseThrow(
                  () ->
                      new GatewayException(
                          GatewayError.of(
                                  FailureClass.INVALID_REQUEST, id + " is not a valid model ID")
                              .withMetadata("error_type", "invalid_request")));
      models.add(m);
    }
    boolean needsTools = !request.tools().isEmpty();
    List<Candidate> out = new ArrayList<>();
    boolean sawEndpoint = false;
    for (ModelEntry m : models) {
      List<EndpointEntry> endpoints = new ArrayList<>(m.endpoints());
      endpoints.sort(BY_PRICE);
      for (EndpointEntry e : endpoints) {
        ActiveProvider p =
            providers.get(e.provider()).flatMap(a -> providers.forEndpoint(a, m, e)).orElse(null);
        if (p == null) {
          continue;
        }
        sawEndpoint = true;
        if (needsTools && !e.supports("tools")) {
          continue;
        }
        Target target =
            new Target(
                p.config().slug(),
                p.config().name(),
                p.config().baseUrl(),
                e.upstreamModel(),
                p.config().apiKey(),
                p.profile(),
                e.maxCompletionTokens());
        out.add(new Candidate(m, e, p.adapter(), target));
      }
    }
    if (out.isEmpty()) {
      String model = models.getFirst().id();
      String message =
          sawEndpoint && needsTools
              ? "No endpoints found that support tool use. To learn more about provider routing,"
                  + " visit: https://openrouter.ai/docs/provider-routing"
              : "No endpoints found for " + model + ".";
      throw new GatewayException(
          GatewayError.of(FailureClass.NO_ROUTE, 404, message)
              .withMetadata("error_type", "not_found"));
    }
    return out;
  }
}
