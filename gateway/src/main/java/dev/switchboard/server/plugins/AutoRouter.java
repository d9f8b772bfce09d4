package dev.switchboard.server.plugins;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.core.error.FailureClass;
import dev.switchboard.core.error.GatewayError;
import dev.switchboard.core.error.GatewayException;
import dev.switchboard.core.model.ContentPart;
import dev.switchboard.core.model.LlmRequest;
import dev.switchboard.core.model.Message;
import dev.switchboard.server.catalog.Catalog;
import dev.switchboard.server.catalog.EndpointEntry;
import dev.switchboard.server.catalog.ModelEntry;
import dev.switchboard.server.limits.PromptEstimator;
import dev.switchboard.server.pipeline.Exchange;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.regex.Pattern;

/**
 * {@code openrouter/auto} (reference §4.3, checklist 69-70): a deterministic choice of one catalog
 * model for the request, made before admission so that the request is admitted, routed and billed
 * as that model, and the answer's {@code model} names it.
 *
 * <ol>
 *   <li>Eligible: every catalog model that matches the {@code auto-router} plugin's {@code
 *       allowed_models} (all when absent) and none of its {@code excluded_models} (patterns with
 *       {@code *} wildcards: {@code anthropic/*}, {@code *\/claude-*}), and that can take the
 *       request: tools (an endpoint with tool use), images (image input), length (a context that
 *       holds the prompt and {@code max_tokens}), reasoning (an endpoint with reasoning when the
 *       request asks for it).
 *   <li>Ordered by price (the cheapest endpoint's prompt plus completion price per token), then id.
 *   <li>{@code cost_tier} ({@code low} by default, {@code medium}, {@code high}, {@code xhigh},
 *       {@code max}) picks the model at the top of its price-percentile band (20, 40, 60, 80, 100):
 *       index {@code ceil(n × band / 100) − 1} of the {@code n} eligible models. Price stands in
 *       for capability: the dearest model the tier allows.
 *   <li>{@code pin_model} chooses that model when it is eligible.
 * </ol>
 *
 * Nothing eligible: 404 {@code No models match your request and model restrictions}.
 */
final class AutoRouter implements Plugin {

  static final String SLUG = "openrouter/auto";
  static final String ID = "auto-router";
  private static final Set<String> OPTIONS =
      Set.of("allowed_models", "excluded_models", "cost_tier", "pin_model");
  private static final Map<String, Integer> TIERS =
      Map.of("low", 20, "medium", 40, "high", 60, "xhigh", 80, "max", 100);

  private final Catalog catalog;

  AutoRouter(Catalog catalog) {
    this.catalog = catalog;
  }

  @Override
  public void check(String at, JsonNode item, LlmRequest request) {
    PluginRegistry.allowOnly(at, item, OPTIONS);
  }

  /** Before admission: the request for the chosen model when it asked for the router. */
  CompletionStage<LlmRequest> route(Exchange ex, LlmRequest request) {
    if (!SLUG.equals(request.model())) {
      return CompletableFuture.completedFuture(request);
    }
    try {
      JsonNode item = item(request.plugins());
      if (item != null) {
        check("plugins[auto-router]", item, request);
      }
      ModelEntry chosen = choose(request, item);
      ex.router(SLUG);
      return CompletableFuture.completedFuture(
          request.withModels(chosen.id(), request.fallbackModels()));
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  private static JsonNode item(JsonNode plugins) {
    if (plugins == null || !plugins.isArray()) {
      return null;
    }
    for (JsonNode p : plugins) {
      if (ID.equals(p.path("id").asText()) && p.path("enabled").asBoolean(true)) {
        return p;
      }
    }
    return null;
  }

  ModelEntry choose(LlmRequest request, JsonNode item) {
    List<Pattern> allowed = patterns(item, "allowed_models");
    List<Pattern> excluded = patterns(item, "excluded_models");
    String tier = text(item, "cost_tier", "low");
    Integer band = TIERS.get(tier);
    if (band == null) {
      throw GatewayException.invalid(
          "\"auto-router.cost_tier\" must be one of low, medium, high, xhigh, max");
    }
    boolean tools = !request.tools().isEmpty();
    boolean images = hasImages(request);
    boolean reasoning =
        request.reasoning() != null
            && !"none".equals(request.reasoning().effort())
            && !Boolean.FALSE.equals(request.reasoning().enabled());
    long needed =
        PromptEstimator.estimate(request)
            + (request.sampling().maxTokens() == null ? 0 : request.sampling().maxTokens());
    List<ModelEntry> eligible = new ArrayList<>();
    for (ModelEntry m : catalog.models()) {
      if (m.endpoints().isEmpty()
          || (!allowed.isEmpty() && !matches(allowed, m.id()))
          || matches(excluded, m.id())
          || (images && !m.inputModalities().contains("image"))
          || m.contextLength() < needed
          || (tools && !anySupports(m, "tools"))
          || (reasoning && !anySupports(m, "reasoning"))) {
        continue;
      }
      eligible.add(m);
    }
    if (eligible.isEmpty()) {
      throw new GatewayException(
          GatewayError.of(
                  FailureClass.NO_ROUTE, 404, "No models match your request and model restrictions")
              .withMetadata("error_type", "not_found"));
    }
    String pin = text(item, "pin_model", null);
    if (pin != null) {
      for (ModelEntry m : eligible) {
        if (m.id().equals(pin)) {
          return m;
        }
      }
    }
    eligible.sort(Comparator.comparing(AutoRouter::price).thenComparing(ModelEntry::id));
    int n = eligible.size();
    int index = Math.max(0, Math.min(n - 1, (int) Math.ceil(n * band / 100.0) - 1));
    return eligible.get(index);
  }

  private static boolean anySupports(ModelEntry m, String parameter) {
    for (EndpointEntry e : m.endpoints()) {
      if (e.supports(parameter)) {
        return true;
      }
    }
    return false;
  }

  /** The cheapest endpoint's prompt plus completion price per token. */
  static BigDecimal price(ModelEntry m) {
    BigDecimal best = null;
    for (EndpointEntry e : m.endpoints()) {
      BigDecimal p = e.pricing().prompt().add(e.pricing().completion());
      if (best == null || p.compareTo(best) < 0) {
        best = p;
      }
    }
    return best == null ? BigDecimal.ZERO : best;
  }

  private static boolean hasImages(LlmRequest request) {
    for (Message m : request.messages()) {
      for (ContentPart p : m.content()) {
        if (p instanceof ContentPart.Image) {
          return true;
        }
      }
    }
    return false;
  }

  private static List<Pattern> patterns(JsonNode item, String field) {
    List<Pattern> out = new ArrayList<>();
    if (item == null || item.get(field) == null || item.get(field).isNull()) {
      return out;
    }
    JsonNode list = item.get(field);
    if (!list.isArray()) {
      throw GatewayException.invalid("\"auto-router." + field + "\" must be an array of patterns");
    }
    for (JsonNode p : list) {
      if (!p.isTextual() || p.textValue().isBlank()) {
        throw GatewayException.invalid(
            "\"auto-router." + field + "\" must hold model slugs or patterns such as anthropic/*");
      }
      StringBuilder regex = new StringBuilder();
      for (String part : p.textValue().toLowerCase(Locale.ROOT).split("\\*", -1)) {
        if (!regex.isEmpty()) {
          regex.append(".*");
        }
        regex.append(Pattern.quote(part));
      }
      out.add(Pattern.compile(regex.toString()));
    }
    return out;
  }

  private static boolean matches(List<Pattern> patterns, String id) {
    String lower = id.toLowerCase(Locale.ROOT);
    for (Pattern p : patterns) {
      if (p.matcher(lower).matches()) {
        return true;
      }
    }
    return false;
  }

  private static String text(JsonNode item, String field, String fallback) {
    if (item == null || item.get(field) == null || item.get(field).isNull()) {
      return fallback;
    }
    if (!item.get(field).isTextual()) {
      throw GatewayException.invalid("\"auto-router." + field + "\" must be a string");
    }
    return item.get(field).textValue();
  }
}
