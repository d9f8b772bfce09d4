package dev.switchboard.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.api.json.ApiJson;
import java.math.BigDecimal;
import java.util.List;

/**
 * The request's {@code provider} object: how to pick and order the providers of a model (reference
 * §6). Build it with {@link #builder()}; every field is optional and left out when not set.
 *
 * <pre>{@code
 * ProviderPreferences.builder()
 *     .order("anthropic", "amazon-bedrock").allowFallbacks(false)
 *     .dataCollection("deny").sort("throughput")
 *     .maxPrice(new BigDecimal("3"), new BigDecimal("15"))   // USD per million tokens
 *     .build();
 * }</pre>
 *
 * @param json the wire object
 */
public record ProviderPreferences(JsonNode json) {

  public static Builder builder() {
    return new Builder();
  }

  /** Builds {@link ProviderPreferences}. Not thread-safe. */
  public static final class Builder {
    private final ObjectNode node = ApiJson.object();

    private Builder() {}

    /** Providers to try first, in this order (slugs such as {@code "deepinfra/turbo"}). */
    public Builder order(String... providers) {
      return strings("order", providers);
    }

    /** Whether providers outside {@code order} may be used when those fail (default true). */
    public Builder allowFallbacks(boolean allow) {
      node.put("allow_fallbacks", allow);
      return this;
    }

    /** Only providers that support every parameter of the request. */
    public Builder requireParameters(boolean require) {
      node.put("require_parameters", require);
      return this;
    }

    /** {@code "allow"} or {@code "deny"}: exclude providers that store or train on data. */
    public Builder dataCollection(String policy) {
      node.put("data_collection", policy);
      return this;
    }

    /** Only Zero-Data-Retention endpoints. */
    public Builder zdr(boolean zdr) {
      node.put("zdr", zdr);
      return this;
    }

    public Builder enforceDistillableText(boolean enforce) {
      node.put("enforce_distillable_text", enforce);
      return this;
    }

    /** Allow-list of providers. */
    public Builder only(String... providers) {
      return strings("only", providers);
    }

    /** Deny-list of providers. */
    public Builder ignore(String... providers) {
      return strings("ignore", providers);
    }

    /** Allowed quantizations ({@code "fp8"}, {@code "bf16"}, ...). */
    public Builder quantizations(String... levels) {
      return strings("quantizations", levels);
    }

    /** {@code "price"}, {@code "throughput"}, {@code "latency"} or {@code "exacto"}. */
    public Builder sort(String by) {
      node.put("sort", by);
      return this;
    }

    /** {@code {"by":..., "partition":"model"|"none"}}. */
    public Builder sort(String by, String partition) {
      node.set("sort", ApiJson.object().put("by", by).put("partition", partition));
      return this;
    }

    /** Tokens per second at p50 below which a provider moves to the end of the list. */
    public Builder preferredMinThroughput(double tokensPerSecond) {
      node.put("preferred_min_throughput", tokensPerSecond);
      return this;
    }

    /** Seconds to first token at p50 above which a provider moves to the end of the list. */
    public Builder preferredMaxLatency(double seconds) {
      node.put("preferred_max_latency", seconds);
      return this;
    }

    /** The highest prices accepted, in USD per million prompt and completion tokens. */
    public Builder maxPrice(BigDecimal promptPerMillion, BigDecimal completionPerMillion) {
      ObjectNode price = ApiJson.object();
      if (promptPerMillion != null) {
        price.put("prompt", promptPerMillion);
      }
      if (completionPerMillion != null) {
        price.put("completion", completionPerMillion);
      }
      node.set("max_price", price);
      return this;
    }

    /** Any other field, for preferences this builder does not know yet. */
    public Builder set(String field, Object value) {
      node.set(field, ApiJson.toTree(value));
      return this;
    }

    public ProviderPreferences build() {
      return new ProviderPreferences(node.deepCopy());
    }

    private Builder strings(String field, String... values) {
      ArrayNode array = node.putArray(field);
      List.of(values).forEach(array::add);
      return this;
    }
  }
}
