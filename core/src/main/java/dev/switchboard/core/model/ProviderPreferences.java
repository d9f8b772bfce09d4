package dev.switchboard.core.model;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.core.error.GatewayException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The request's {@code provider} object (reference §6), parsed once when the request is decoded and
 * validated there: a wrong type or an unknown key is a 400 naming it. Null members mean "not set".
 * Routing reads it; adapters never see it.
 *
 * @param order providers to try first, in this order
 * @param allowFallbacks false: only {@code order}'s providers, or only the top one without order
 * @param requireParameters only endpoints that support every parameter of the request
 * @param dataCollectionDeny only endpoints that neither store nor train on prompts
 * @param zdr only zero-data-retention endpoints
 * @param only allow-list of providers
 * @param ignore deny-list of providers
 * @param quantizations allowed quantizations
 * @param sort price, throughput, latency or exacto; null for the default load balancing
 * @param partitionNone sort every model's endpoints together rather than model by model
 * @param minThroughput preferred minimum tokens/s per percentile (p50, p75, p90, p99)
 * @param maxLatency preferred maximum time to first token in seconds, per percentile
 * @param maxPrice USD per million tokens for prompt and completion, USD per unit otherwise
 * @param hedge start a second candidate when the first is slow (Switchboard's extension)
 * @param hedgeDelayMs a fixed hedge delay instead of the endpoint's p90 time to first token
 */
public record ProviderPreferences(
    List<String> order,
    boolean allowFallbacks,
    boolean requireParameters,
    boolean dataCollectionDeny,
    boolean zdr,
    List<String> only,
    List<String> ignore,
    List<String> quantizations,
    String sort,
    boolean partitionNone,
    Map<String, Double> minThroughput,
    Map<String, Double> maxLatency,
    Map<String, BigDecimal> maxPrice,
    Boolean hedge,
    Long hedgeDelayMs) {

  public static final ProviderPreferences NONE =
      new ProviderPreferences(
          null, true, false, false, false, null, null, null, null, false, Map.of(), Map.of(),
          Map.of(), null, null);

  private static final Set<String> KEYS =
      Set.of(
          "order",
          "allow_fallbacks",
          "require_parameters",
          "data_collection",
          "zdr",
          "enforce_distillable_text",
          "only",
          "ignore",
          "quantizations",
          "sort",
          "preferred_min_throughput",
          "preferred_max_latency",
          "max_price",
          "hedge");
  private static final Set<String> SORTS = Set.of("price", "throughput", "latency", "exacto");
  private static final Set<String> PERCENTILES = Set.of("p50", "p75", "p90", "p99");
  private static final Set<String> PRICE_KEYS =
      Set.of("prompt", "completion", "image", "audio", "request");
  private static final Set<String> QUANTIZATIONS =
      Set.of(
          "int4", "int8", "fp4", "mxfp4", "nvfp4", "fp6", "fp8", "mxfp8", "fp16", "bf16", "fp32",
          "unknown");

  /** Reads the {@code provider} object; null or JSON null gives {@link #NONE}. */
  public static ProviderPreferences parse(JsonNode node) {
    if (node == null || node.isNull() || node.isMissingNode()) {
      return NONE;
    }
    if (!node.isObject()) {
      throw bad("\"provider\" must be an object");
    }
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String key = it.next();
      if (!KEYS.contains(key)) {
        throw bad("\"provider." + key + "\" is not a provider routing option");
      }
    }
    String sort = null;
    boolean partitionNone = false;
    JsonNode s = node.get("sort");
    if (s != null && !s.isNull()) {
      if (s.isTextual()) {
        sort = s.asText();
      } else if (s.isObject()) {
        sort = text(s, "by", "provider.sort.by");
        String partition = text(s, "partition", "provider.sort.partition");
        if (partition != null && !partition.equals("model") && !partition.equals("none")) {
          throw bad("\"provider.sort.partition\" must be \"model\" or \"none\"");
        }
        partitionNone = "none".equals(partition);
      } else {
        throw bad("\"provider.sort\" must be a string or an object {by, partition}");
      }
      if (sort != null && !SORTS.contains(sort)) {
        throw bad("\"provider.sort\" must be one of price, throughput, latency, exacto");
      }
    }
    String dataCollection = text(node, "data_collection", "provider.data_collection");
    if (dataCollection != null
        && !dataCollection.equals("allow")
        && !dataCollection.equals("deny")) {
      throw bad("\"provider.data_collection\" must be \"allow\" or \"deny\"");
    }
    List<String> quantizations = strings(node, "quantizations");
    if (quantizations != null) {
      for (String q : quantizations) {
        if (!QUANTIZATIONS.contains(q)) {
          throw bad("\"provider.quantizations\" has an unknown value \"" + q + "\"");
        }
      }
    }
    Boolean hedge = null;
    Long hedgeDelay = null;
    JsonNode h = node.get("hedge");
    if (h != null && !h.isNull()) {
      if (h.isBoolean()) {
        hedge = h.asBoolean();
      } else if (h.isObject()) {
        hedge = bool(h, "enabled", true);
        JsonNode d = h.get("delay_ms");
        if (d != null && !d.isNull()) {
          if (!d.canConvertToLong() || d.asLong() < 0 || d.asLong() > 600_000) {
            throw bad("\"provider.hedge.delay_ms\" must be a whole number of milliseconds");
          }
          hedgeDelay = d.asLong();
        }
      } else {
        throw bad("\"provider.hedge\" must be a boolean or {enabled, delay_ms}");
      }
    }
    return new ProviderPreferences(
        strings(node, "order"),
        bool(node, "allow_fallbacks", true),
        bool(node, "require_parameters", false),
        "deny".equals(dataCollection),
        bool(node, "zdr", false),
        strings(node, "only"),
        strings(node, "ignore"),
        quantizations,
        sort,
        partitionNone,
        percentiles(node, "preferred_min_throughput"),
        percentiles(node, "preferred_max_latency"),
        prices(node.get("max_price")),
        hedge,
        hedgeDelay);
  }

  public boolean hasOrder() {
    return order != null && !order.isEmpty();
  }

  private static Map<String, Double> percentiles(JsonNode node, String key) {
    JsonNode v = node.get(key);
    if (v == null || v.isNull()) {
      return Map.of();
    }
    if (v.isNumber()) {
      return Map.of("p50", v.asDouble());
    }
    if (!v.isObject()) {
      throw bad("\"provider." + key + "\" must be a number or an object of percentiles");
    }
    Map<String, Double> out = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = v.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      if (!PERCENTILES.contains(e.getKey())) {
        throw bad("\"provider." + key + "." + e.getKey() + "\" is not one of p50, p75, p90, p99");
      }
      if (e.getValue().isNull()) {
        continue;
      }
      if (!e.getValue().isNumber()) {
        throw bad("\"provider." + key + "." + e.getKey() + "\" must be a number");
      }
      out.put(e.getKey(), e.getValue().asDouble());
    }
    return Map.copyOf(out);
  }

  private static Map<String, BigDecimal> prices(JsonNode v) {
    if (v == null || v.isNull()) {
      return Map.of();
    }
    if (!v.isObject()) {
      throw bad("\"provider.max_price\" must be an object");
    }
    Map<String, BigDecimal> out = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = v.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      if (!PRICE_KEYS.contains(e.getKey())) {
        throw bad("\"provider.max_price." + e.getKey() + "\" is not a price key");
      }
      JsonNode p = e.getValue();
      if (p.isNull()) {
        continue;
      }
      BigDecimal price;
      try {
        price = p.isNumber() ? p.decimalValue() : new BigDecimal(p.asText().trim());
      } catch (NumberFormatException ex) {
        throw bad("\"provider.max_price." + e.getKey() + "\" must be a number");
      }
      if (price.signum() < 0) {
        throw bad("\"provider.max_price." + e.getKey() + "\" must not be negative");
      }
      out.put(e.getKey(), price);
    }
    return Map.copyOf(out);
  }

  private static List<String> strings(JsonNode node, String key) {
    JsonNode v = node.get(key);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isArray()) {
      throw bad("\"provider." + key + "\" must be an array of strings");
    }
    List<String> out = new ArrayList<>(v.size());
    for (JsonNode item : v) {
      if (!item.isTextual()) {
        throw bad("\"provider." + key + "\" must be an array of strings");
      }
      out.add(item.asText().toLowerCase(Locale.ROOT));
    }
    return List.copyOf(out);
  }

  private static String text(JsonNode node, String key, String path) {
    JsonNode v = node.get(key);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isTextual()) {
      throw bad("\"" + path + "\" must be a string");
    }
    return v.asText();
  }

  private static boolean bool(JsonNode node, String key, boolean def) {
    JsonNode v = node.get(key);
    if (v == null || v.isNull()) {
      return def;
    }
    if (!v.isBoolean()) {
      throw bad("\"provider." + key + "\" must be true or false");
    }
    return v.asBoolean();
  }

  private static GatewayException bad(String message) {
    return GatewayException.invalid(message);
  }
}
