package dev.switchboard.server.plugins;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.api.json.ApiJson;
import dev.switchboard.core.error.FailureClass;
import dev.switchboard.core.error.GatewayError;
import dev.switchboard.core.error.GatewayException;
import dev.switchboard.core.model.LlmRequest;
import dev.switchboard.core.model.LlmResponse;
import dev.switchboard.core.model.StreamEvent;
import dev.switchboard.core.model.Usage;
import dev.switchboard.server.catalog.Catalog;
import dev.switchboard.server.catalog.EndpointEntry;
import dev.switchboard.server.config.CatalogReader;
import dev.switchboard.server.pipeline.Exchange;
import dev.switchboard.server.routing.Candidate;
import dev.switchboard.server.routing.ModelRef;
import java.math.BigDecimal;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code web} plugin's {@code native} engine: the provider's own web search, on endpoints whose
 * catalog entry has it (the supported parameter {@code web_search_options}). Each attempt on such
 * an endpoint is sent {@code web_search_options: {}}: OpenAI-dialect upstreams take it as it is,
 * the Anthropic adapter turns it into Anthropic's {@code web_search} server tool. The upstream's
 * citations come back as {@code url_citation} annotations (the adapters map them). Each search is
 * charged at the serving endpoint's {@code pricing.web_search}: Anthropic reports how many it ran
 * ({@code usage.server_tool_use.web_search_requests}); OpenAI runs one per request.
 */
final class NativeWebSearch {

  /** What a request that searches natively keeps: the endpoint of its latest attempt. */
  static final class State {
    EndpointEntry endpoint;
    boolean charged;
  }

  private NativeWebSearch() {}

  /** Whether the endpoint has its provider's own web search. */
  static boolean supports(EndpointEntry endpoint) {
    return endpoint.supports(CatalogReader.NATIVE_WEB_SEARCH);
  }

  /**
   * The engine the request's {@code web} item gets: {@code asked} when given, else OpenRouter's
   * rule, native when the provider has it: here, when every endpoint of the request's models does
   * (one search happens before the model for Exa, so the choice is made for the request), else
   * {@code exa}. {@code native} on models none of whose endpoints has it is a 400.
   */
  static String engine(String asked, LlmRequest request, Catalog catalog) {
    List<ModelRef> refs;
    try {
      refs = ModelRef.resolveAll(request.modelChain(), catalog);
    } catch (GatewayException e) {
      return asked == null ? "exa" : asked; // routing refuses the model with its own message
    }
    boolean any = false;
    boolean all = true;
    for (ModelRef ref : refs) {
      for (EndpointEntry e : ref.model().endpoints()) {
        any |= supports(e);
        all &= supports(e);
      }
    }
    if ("native".equals(asked) && !any) {
      throw GatewayException.invalid(
          "\"web.engine\" \"native\": no endpoint of "
              + String.join(", ", request.modelChain())
              + " has its provider's own web search (GET /models lists it as the supported"
              + " parameter \"web_search_options\"); use \"exa\" or leave the engine unset");
    }
    if (asked != null) {
      return asked;
    }
    return any && all ? "native" : "exa";
  }

  /** The request for one attempt: the provider's search switched on. */
  static LlmRequest forCandidate(Exchange ex, Candidate candidate, LlmRequest request) {
    if (!supports(candidate.endpoint())) {
      // This endpoint cannot take the request as asked, through no fault of its provider: the
      // attempt loop goes on to the next candidate (another endpoint of the same model may have
      // it) and the endpoint's health is untouched; the error, when no candidate is left, is an
      // invalid request.
      throw new GatewayException(
          GatewayError.of(
                  FailureClass.ENDPOINT_LACKS_FEATURE,
                  400,
                  "\"web.engine\" \"native\": "
                      + candidate.providerName()
                      + " has no web search of its own for "
                      + candidate.model().id()
                      + "; restrict the request to providers that have it (provider.only) or"
                      + " use engine \"exa\"")
              .withMetadata("error_type", "invalid_request"));
    }
    ex.pluginState(State.class, State::new).endpoint = candidate.endpoint();
    Map<String, JsonNode> vendor = new HashMap<>(request.vendorFields());
    vendor.putIfAbsent(CatalogReader.NATIVE_WEB_SEARCH, ApiJson.object());
    return request.withVendorFields(vendor);
  }

  /** A whole answer: its searches charged. */
  static void answered(Exchange ex, LlmResponse answer) {
    charge(ex, answer.usage(), answer.annotations());
  }

  /** A stream: its searches charged at its (first) usage report. */
  static void streamed(Exchange ex, StreamEvent event) {
    if (event instanceof StreamEvent.UsageReported u) {
      charge(ex, u.usage(), null);
    }
  }

  private static void charge(Exchange ex, Usage usage, JsonNode annotations) {
    State state = ex.pluginState(State.class); // set only when a native search was routed
    if (state == null || state.charged || state.endpoint == null) {
      return;
    }
    state.charged = true;
    int searches = usage.serverTools() != null ? usage.serverTools().webSearches() : 1;
    ex.countServerTools(0, 0, searches);
    if (annotations != null && annotations.isArray()) {
      ex.countSearchResults(annotations.size());
    }
    BigDecimal price = state.endpoint.pricing().webSearch();
    if (price != null && price.signum() > 0 && searches > 0) {
      ex.addFee("web_search", price.multiply(BigDecimal.valueOf(searches)));
    }
  }
}
