package dev.switchboard.server.routing;

import dev.switchboard.core.error.Availability;
import dev.switchboard.core.error.FailureClass;
import dev.switchboard.core.error.GatewayError;
import dev.switchboard.core.error.GatewayException;
import dev.switchboard.server.routing.EndpointFilters.Exclusion;
import dev.switchboard.server.routing.EndpointFilters.Filter;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The 404 when the filters left no endpoint: the message names the filter that excluded endpoints
 * first in {@link Filter}'s order (in OpenRouter's words where it has them), then every other
 * filter that excluded some; {@code metadata.excluded_by} lists them all, {@code metadata.reasons}
 * the detail of each exclusion.
 */
final class NoRoute {

  private static final String ROUTING_DOCS =
      " To learn more about provider routing, visit: https://openrouter.ai/docs/provider-routing";

  private NoRoute() {}

  static GatewayException error(
      String model, List<String> requestedModels, Set<Exclusion> exclusions) {
    Map<Filter, Set<String>> byFilter = new EnumMap<>(Filter.class);
    for (Exclusion e : exclusions) {
      byFilter.computeIfAbsent(e.filter(), f -> new LinkedHashSet<>()).add(e.reason());
    }
    String message;
    if (byFilter.isEmpty()) {
      message = "No endpoints found for " + model + ".";
    } else {
      List<Filter> filters = new ArrayList<>(byFilter.keySet());
      Filter first = filters.getFirst();
      message = message(first, model, byFilter.get(first));
      if (filters.size() > 1) {
        message +=
            " Other endpoints were excluded by "
                + filters.subList(1, filters.size()).stream()
                    .map(NoRoute::field)
                    .collect(Collectors.joining(", "))
                + ".";
      }
    }
    GatewayError error =
        GatewayError.of(FailureClass.NO_ROUTE, 404, message)
            .withMetadata("error_type", "not_found");
    if (!byFilter.isEmpty()) {
      error =
          error.withMetadata(
              "excluded_by", byFilter.keySet().stream().map(f -> f.excludedBy).toList());
    }
    List<String> reasons = exclusions.stream().map(Exclusion::reason).distinct().toList();
    List<String> excludedBy = byFilter.keySet().stream().map(f -> f.excludedBy).toList();
    return new GatewayException(
        Availability.attach(
            error.withMetadata("reasons", reasons),
            availabilityCode(byFilter.keySet()),
            false,
            requestedModels,
            excludedBy));
  }

  /**
   * The availability code (reference §2.4): nothing configured to serve the model is {@code
   * no_endpoints}; only data-policy filters, {@code privacy_restricted}; any other filter, {@code
   * constraint_filtered}.
   */
  static String availabilityCode(Set<Filter> filters) {
    Set<Filter> real = EnumSet.noneOf(Filter.class);
    real.addAll(filters);
    real.remove(Filter.PROVIDER_NOT_ENABLED);
    if (real.isEmpty()) {
      return "no_endpoints";
    }
    real.remove(Filter.DATA_POLICY_ZDR);
    real.remove(Filter.DATA_POLICY_TRAINING);
    return real.isEmpty() ? "privacy_restricted" : "constraint_filtered";
  }

  private static String message(Filter filter, String model, Set<String> reasons) {
    return switch (filter) {
      case OUTPUT_MODALITIES -> model + " is " + reasons.iterator().next() + ".";
      case TOOLS -> "No endpoints found that support tool use." + ROUTING_DOCS;
      case INPUT_MODALITIES ->
          "No endpoints found that support " + reasons.iterator().next().substring(3) + ".";
      case DATA_POLICY_ZDR -> "No endpoints found matching your data policy (provider.zdr).";
      case DATA_POLICY_TRAINING ->
          "No endpoints found matching your data policy (provider.data_collection: deny).";
      case MAX_PRICE -> "No endpoints found that meet the max_price constraint for " + model + ".";
      case REQUIRE_PARAMETERS ->
          "No endpoints found that can handle the requested parameters"
              + " (provider.require_parameters).";
      case CONTEXT_LENGTH ->
          "No endpoints found for " + model + " that fit the prompt and max_tokens.";
      case QUANTIZATION ->
          "No endpoints found for " + model + " with the requested provider.quantizations.";
      case ALLOWED_PROVIDERS ->
          "No endpoints found for "
              + model
              + " with the requested providers ("
              + providerFields(reasons)
              + ").";
      case FREE -> "No free endpoints found for " + model + " (:free).";
      case SERVICE_TIER ->
          "No endpoints found for "
              + model
              + " outside its service-tier endpoints (set service_tier to use them).";
      case PROVIDER_NOT_ENABLED ->
          "No endpoints found for " + model + ": its providers are not enabled on this gateway.";
    };
  }

  /** How a filter is named after the first: the request field that set it. */
  private static String field(Filter filter) {
    return switch (filter) {
      case OUTPUT_MODALITIES -> "output modalities (the API the model serves)";
      case TOOLS -> "tools";
      case INPUT_MODALITIES -> "input modalities";
      case DATA_POLICY_ZDR -> "provider.zdr";
      case DATA_POLICY_TRAINING -> "provider.data_collection";
      case MAX_PRICE -> "provider.max_price";
      case REQUIRE_PARAMETERS -> "provider.require_parameters";
      case CONTEXT_LENGTH -> "context length (prompt and max_tokens)";
      case QUANTIZATION -> "provider.quantizations";
      case ALLOWED_PROVIDERS -> "provider.only, ignore or order";
      case FREE -> ":free";
      case SERVICE_TIER -> "service_tier";
      case PROVIDER_NOT_ENABLED -> "providers not enabled on this gateway";
    };
  }

  private static String providerFields(Set<String> reasons) {
    List<String> fields = new ArrayList<>();
    for (String field : List.of("provider.only", "provider.ignore", "provider.order")) {
      if (reasons.stream().anyMatch(r -> r.contains(field))) {
        fields.add(field.equals("provider.order") ? field + " with allow_fallbacks: false" : field);
      }
    }
    return String.join(", ", fields);
  }
}
