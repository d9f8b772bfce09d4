package dev.switchboard.server.http;

import dev.switchboard.api.models.EndpointInfo;
import dev.switchboard.api.models.ModelEndpoints;
import dev.switchboard.api.models.ModelInfo;
import dev.switchboard.api.models.ModelList;
import dev.switchboard.api.models.ProviderEntry;
import dev.switchboard.core.error.FailureClass;
import dev.switchboard.core.error.GatewayError;
import dev.switchboard.server.catalog.EndpointEntry;
import dev.switchboard.server.catalog.ModelEntry;
import dev.switchboard.server.catalog.Pricing;
import dev.switchboard.server.catalog.ProviderInfo;
import dev.switchboard.server.pipeline.Services;
import io.vertx.ext.web.RoutingContext;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The public catalogue: {@code GET /models}, {@code /models/{author}/{slug}/endpoints}, {@code
 * /model/{author}/{slug}} and {@code /providers}. Only models with at least one usable endpoint are
 * listed. No authentication (checklist 5).
 */
final class CatalogHandlers {

  private final Services services;

  CatalogHandlers(Services services) {
    this.services = services;
  }

  void models(RoutingContext ctx) {
    models(ctx, ctx.request().getParam("output_modalities", "text"));
  }

  /** {@code GET /embeddings/models}: the models whose output is embeddings. */
  void embeddingModels(RoutingContext ctx) {
    models(ctx, "embeddings");
  }

  private void models(RoutingContext ctx, String outputFilter) {
    Set<String> wanted = new LinkedHashSet<>(List.of(outputFilter.split(",")));
    List<ModelInfo> all = new ArrayList<>();
    for (ModelEntry m : services.catalog().models()) {
      List<EndpointEntry> usable = usable(m);
      if (usable.isEmpty()) {
        continue;
      }
      if (!wanted.contains("all") && m.outputModalities().stream().noneMatch(wanted::contains)) {
        continue;
      }
      all.add(info(m, usable));
    }
    String offsetParam = ctx.request().getParam("offset");
    String limitParam = ctx.request().getParam("limit");
    if (offsetParam == null && limitParam == null) {
      Map<String, String> links = new LinkedHashMap<>();
      links.put("next", null);
      Responses.json(ctx.response(), 200, new ModelList(all, all.size(), links));
      return;
    }
    int offset;
    int limit;
    try {
      offset = offsetParam == null ? 0 : Integer.parseInt(offsetParam);
      limit = limitParam == null ? 500 : Integer.parseInt(limitParam);
    } catch (NumberFormatException e) {
      ErrorRenderer.render(
          ctx.response(),
          GatewayError.of(FailureClass.INVALID_REQUEST, "offset and limit must be whole numbers"));
      return;
    }
    if (offset < 0 || limit < 1 || limit > 1000) {
      ErrorRenderer.render(
          ctx.response(),
          GatewayError.of(
              FailureClass.INVALID_REQUEST, "offset must be >= 0 and limit between 1 and 1000"));
      return;
    }
    List<ModelInfo> page =
        all.subList(Math.min(offset, all.size()), Math.min(offset + limit, all.size()));
    Map<String, String> links = new LinkedHashMap<>();
    links.put(
        "next",
        offset + limit < all.size()
            ? "/api/v1/models?offset=" + (offset + limit) + "&limit=" + limit
            : null);
    Responses.json(ctx.response(), 200, new ModelList(page, all.size(), links));
  }

  void model(RoutingContext ctx) {
    String id = ctx.pathParam("author") + "/" + ctx.pathParam("slug");
    ModelEntry m = services.catalog().model(id).orElse(null);
    if (m == null || usable(m).isEmpty()) {
      notFound(ctx, id);
      return;
    }
    Responses.data(ctx.response(), info(m, usable(m)));
  }

  void endpoints(RoutingContext ctx) {
    String id = ctx.pathParam("author") + "/" + ctx.pathParam("slug");
    ModelEntry m = services.catalog().model(id).orElse(null);
    if (m == null) {
      notFound(ctx, id);
      return;
    }
    List<EndpointInfo> endpoints = new ArrayList<>();
    long now = services.stats().nowMs();
    for (EndpointEntry e : usable(m)) {
      String providerName =
          services.providers().get(e.provider()).map(p -> p.config().name()).orElse(e.provider());
      var stats = services.stats().of(m.id(), e.provider());
      Map<String, Double> latency = new LinkedHashMap<>();
      stats.ttftMs(now, 30).forEach((k, v) -> latency.put(k, v / 1000.0));
      endpoints.add(
          new EndpointInfo(
              providerName + " | " + m.id(),
              m.id(),
              m.name(),
              e.contextLength(),
              e.maxCompletionTokens(),
              e.contextLength(),
              pricing(e.pricing()),
              providerName,
              e.tag(),
              e.quantization(),
              0,
              e.supportedParameters(),
              e.supportsImplicitCaching(),
              stats.uptime(now, 5),
              stats.uptime(now, 30),
              stats.uptime(now, 24 * 60),
              latency.isEmpty() ? null : sorted(latency),
              stats.throughput(now, 30).isEmpty() ? null : sorted(stats.throughput(now, 30)),
              stats.toolCallErrorRate(now, 24 * 60),
              stats.toolCallCounts(now, 24 * 60)[0]));
    }
    Responses.data(
        ctx.response(),
        new ModelEndpoints(
            m.id(), m.name(), m.created(), m.description(), architecture(m), endpoints));
  }

  void providers(RoutingContext ctx) {
    List<ProviderEntry> out = new ArrayList<>();
    for (ProviderInfo p : services.catalog().providers()) {
      if (services.providers().get(p.slug()).isPresent()) {
        out.add(
            new ProviderEntry(
                p.name(),
                p.slug(),
                p.privacyPolicyUrl(),
                p.termsOfServiceUrl(),
                p.statusPageUrl()));
      }
    }
    Responses.data(ctx.response(), out);
  }

  /** Percentiles in p50, p75, p90, p99 order. */
  private static Map<String, Double> sorted(Map<String, Double> percentiles) {
    Map<String, Double> out = new LinkedHashMap<>();
    for (String p : List.of("p50", "p75", "p90", "p99")) {
      out.put(p, percentiles.get(p));
    }
    return out;
  }

  private List<EndpointEntry> usable(ModelEntry m) {
    List<EndpointEntry> out = new ArrayList<>(m.endpoints().size());
    for (EndpointEntry e : m.endpoints()) {
      if (services.providers().get(e.provider()).isPresent()) {
        out.add(e);
      }
    }
    return out;
  }

  private static ModelInfo info(ModelEntry m, List<EndpointEntry> usable) {
    EndpointEntry top = usable.getFirst();
    Set<String> params = new LinkedHashSet<>();
    Integer maxCompletion = null;
    for (EndpointEntry e : usable) {
      params.addAll(e.supportedParameters());
      if (e.maxCompletionTokens() != null
          && (maxCompletion == null || e.maxCompletionTokens() > maxCompletion)) {
        maxCompletion = e.maxCompletionTokens();
      }
    }
    return new ModelInfo(
        m.id(),
        m.canonicalSlug(),
        null,
        m.name(),
        m.created(),
        m.description(),
        m.contextLength(),
        architecture(m),
        pricing(cheapest(usable).pricing()),
        new ModelInfo.TopProvider(top.contextLength(), maxCompletion, false),
        null,
        List.copyOf(params),
        null,
        null,
        null,
        null,
        Map.of("details", "/api/v1/models/" + m.id() + "/endpoints"),
        m.reasoning() == null
            ? null
            : new ModelInfo.Reasoning(
                m.reasoning().mandatory(),
                m.reasoning().supportedEfforts(),
                m.reasoning().defaultEffort(),
                m.reasoning().defaultEnabled()));
  }

  private static EndpointEntry cheapest(List<EndpointEntry> endpoints) {
    EndpointEntry best = endpoints.getFirst();
    for (EndpointEntry e : endpoints) {
      BigDecimal a = e.pricing().prompt().add(e.pricing().completion());
      BigDecimal b = best.pricing().prompt().add(best.pricing().completion());
      if (a.compareTo(b) < 0) {
        best = e;
      }
    }
    return best;
  }

  private static ModelInfo.Architecture architecture(ModelEntry m) {
    return new ModelInfo.Architecture(
        m.modality(), m.inputModalities(), m.outputModalities(), m.tokenizer(), m.instructType());
  }

  /** Prices as USD-per-unit decimal strings, never in scientific notation (checklist 114). */
  static Map<String, String> pricing(Pricing p) {
    Map<String, String> out = new LinkedHashMap<>();
    out.put("prompt", p.prompt().toPlainString());
    out.put("completion", p.completion().toPlainString());
    out.put("request", plain(p.request()));
    out.put("image", plain(p.image()));
    out.put("web_search", plain(p.webSearch()));
    out.put("internal_reasoning", plain(p.internalReasoning()));
    if (p.inputCacheRead() != null) {
      out.put("input_cache_read", p.inputCacheRead().toPlainString());
    }
    if (p.inputCacheWrite() != null) {
      out.put("input_cache_write", p.inputCacheWrite().toPlainString());
    }
    return out;
  }

  private static String plain(BigDecimal v) {
    return v == null ? "0" : v.toPlainString();
  }

  private static void notFound(RoutingContext ctx, String id) {
    ErrorRenderer.render(
        ctx.response(), GatewayError.of(FailureClass.NOT_FOUND, 404, "Model " + id + " not found"));
  }
}
