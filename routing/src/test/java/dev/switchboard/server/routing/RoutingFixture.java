package dev.switchboard.server.routing;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.api.json.ApiJson;
import dev.switchboard.core.model.ContentPart;
import dev.switchboard.core.model.LlmRequest;
import dev.switchboard.core.model.Message;
import dev.switchboard.core.openai.OpenAiChatCodec;
import dev.switchboard.server.catalog.Catalog;
import dev.switchboard.server.catalog.EndpointEntry;
import dev.switchboard.server.catalog.ModelEntry;
import dev.switchboard.server.catalog.Pricing;
import dev.switchboard.server.config.CatalogReader;
import dev.switchboard.server.config.GatewayConfig.ProviderConfig;
import dev.switchboard.server.stats.LiveStats;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.random.RandomGenerator;

/** A small catalog, its providers and a hand-driven clock for planner tests. */
final class RoutingFixture {

  final AtomicLong clock = new AtomicLong(1_800_000_000_000L);
  final LiveStats stats = LiveStats.withBreaker(clock::get, 3, 10_000, 60_000);
  final StickyRoutes sticky = new StickyRoutes();
  final Catalog catalog;
  final ProviderRegistry providers;
  final RoutePlanner planner;

  RoutingFixture(long seed) {
    Map<String, ProviderConfig> p = new LinkedHashMap<>();
    for (String slug : List.of("alpha", "beta", "gamma", "delta", "free-host")) {
      p.put(
          slug,
          new ProviderConfig(
              slug,
              slug.substring(0, 1).toUpperCase() + slug.substring(1) + " Cloud",
              "openai",
              "http://127.0.0.1:1/" + slug,
              "key",
              true,
              null,
              null,
              null));
    }
    providers = ProviderRegistry.of(p, false);
    catalog =
        new Catalog(
            List.of(
                model(
                    "acme/big",
                    "big",
                    List.of("text", "image"),
                    endpoint("alpha", "0.000001", "0.000001", null, false, true, null, 8_000),
                    endpoint("beta", "0.000002", "0.000002", "fp8", true, true, null, 8_000),
                    endpoint(
                        "gamma", "0.000003", "0.000003", "bf16", false, false, "0.0000001", 2_000)),
                model(
                    "acme/small",
                    "small",
                    List.of("text"),
                    endpoint("delta", "0.0000005", "0.0000005", null, false, true, null, 4_000),
                    endpoint("free-host", "0", "0", null, true, true, null, 4_000)),
                model(
                    "acme/small:free",
                    null,
                    List.of("text"),
                    endpoint("free-host", "0", "0", null, true, true, null, 4_000)),
                model(
                    "acme/plain",
                    null,
                    List.of("text"),
                    withoutTools(
                        endpoint("delta", "0.000001", "0.000001", null, false, true, null, 4_000))),
                // Served only by a provider that is not configured, as one without its key.
                model(
                    "acme/orphan",
                    null,
                    List.of("text"),
                    endpoint("epsilon", "0.000001", "0.000001", null, false, true, null, 4_000))),
            List.of());
    RandomGenerator seeded =
        java.util.random.RandomGeneratorFactory.of("L64X128MixRandom").create(seed);
    planner = new RoutePlanner(catalog, providers, stats, sticky, () -> seeded);
  }

  static ModelEntry model(
      String id, String family, List<String> input, EndpointEntry... endpoints) {
    return new ModelEntry(
        id,
        id,
        id,
        1_700_000_000L,
        "",
        100_000,
        input,
        List.of("text"),
        "Other",
        null,
        family,
        List.of(endpoints));
  }

  static EndpointEntry endpoint(
      String provider,
      String prompt,
      String completion,
      String quantization,
      boolean mayTrain,
      boolean retainsData,
      String cacheRead,
      int maxCompletion) {
    return new EndpointEntry(
        provider,
        "up-" + provider,
        null,
        new Pricing(
            new java.math.BigDecimal(prompt),
            new java.math.BigDecimal(completion),
            null,
            null,
            null,
            cacheRead == null ? null : new java.math.BigDecimal(cacheRead),
            null,
            null),
        100_000,
        maxCompletion,
        CatalogReader.defaultParameters(),
        quantization,
        mayTrain,
        retainsData,
        false,
        null);
  }

  static EndpointEntry withoutTools(EndpointEntry e) {
    return new EndpointEntry(
        e.provider(),
        e.upstreamModel(),
        e.tag(),
        e.pricing(),
        e.contextLength(),
        e.maxCompletionTokens(),
        e.supportedParameters().stream().filter(p -> !p.startsWith("tool")).toList(),
        e.quantization(),
        e.mayTrain(),
        e.retainsData(),
        e.supportsImplicitCaching(),
        e.profile());
  }

  /** A request from its OpenAI-style JSON. */
  static LlmRequest request(String json) {
    return OpenAiChatCodec.toCanonical(json.getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  static LlmRequest simple(String model, String extra) {
    return request(
        "{\"model\":\""
            + model
            + "\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]"
            + (extra.isEmpty() ? "" : "," + extra)
            + "}");
  }

  List<String> order(LlmRequest r) {
    return planner.plan(r).candidates().stream().map(c -> c.endpoint().provider()).toList();
  }

  static JsonNode json(String s) {
    try {
      return ApiJson.tree(s);
    } catch (java.io.IOException e) {
      throw new IllegalArgumentException(e);
    }
  }

  static Message user(ContentPart... parts) {
    return new Message.User(List.of(parts), null);
  }
}
