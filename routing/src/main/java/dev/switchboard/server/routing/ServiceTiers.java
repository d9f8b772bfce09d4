package dev.switchboard.server.routing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.switchboard.core.error.FailureClass;
import dev.switchboard.core.error.GatewayError;
import dev.switchboard.core.model.LlmRequest;
import dev.switchboard.core.model.LlmResponse;
import dev.switchboard.server.catalog.EndpointEntry;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Service tiers (reference §6.10, checklist 150). A tier endpoint is a catalog endpoint whose tag
 * ends in {@code /flex} or {@code /priority} ({@code openai/flex}); every other endpoint is of the
 * default tier. The request's {@code service_tier} decides which are eligible:
 *
 * <ul>
 *   <li>{@code flex}: only the model's flex endpoints, cheapest first, never a default-tier one; a
 *       model without flex endpoints runs as if no tier had been asked for.
 *   <li>{@code priority} (or {@code fast}): priority endpoints first, fastest first (p50
 *       throughput), then the default-tier ones as fallbacks.
 *   <li>{@code default}, {@code scale}, {@code auto} or absent: default-tier endpoints only, except
 *       that {@code :nitro} admits priority endpoints, {@code :floor} flex ones, and a tier
 *       endpoint named by its full tag in {@code provider.order} or {@code provider.only} is
 *       admitted.
 * </ul>
 *
 * Upstream, each attempt sends its endpoint's tier ({@code service_tier} is left out on
 * default-tier endpoints), and the answer's {@code service_tier} reports the tier that served.
 */
public final class ServiceTiers {

  public static final String DEFAULT = "default";
  public static final String FLEX = "flex";
  public static final String PRIORITY = "priority";
  private static final String FIELD = "service_tier";
  private static final java.util.Set<String> TIER_VALUES = java.util.Set.of(FLEX, PRIORITY, "fast");

  private ServiceTiers() {}

  /** The tier of an endpoint: {@code flex}, {@code priority} or {@code default}. */
  public static String of(EndpointEntry e) {
    String tag = e.tag().toLowerCase(Locale.ROOT);
    if (tag.endsWith("/" + FLEX)) {
      return FLEX;
    }
    if (tag.endsWith("/" + PRIORITY)) {
      return PRIORITY;
    }
    return DEFAULT;
  }

  /**
   * The tier a request asks for: {@code flex}, {@code priority} or {@code default}; null when it
   * leaves the choice to routing ({@code auto}, absent, null). A value OpenRouter does not document
   * is a 400 naming the field.
   */
  public static String requested(LlmRequest request) {
    JsonNode v = request.vendorFields().get(FIELD);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isTextual()) {
      throw bad();
    }
    return switch (v.textValue()) {
      case "auto" -> null;
      case "flex" -> FLEX;
      case "priority", "fast" -> PRIORITY;
      // Anthropic's standard_only (on /messages) and OpenAI's scale: no tier endpoint serves them.
      case "default", "scale", "standard_only" -> DEFAULT;
      default -> throw bad();
    };
  }

  /**
   * Whether an endpoint may serve a request that asked for {@code tier} (null: none) on {@code
   * ref}, before {@link #restrict} narrows flex requests further.
   */
  static boolean eligible(
      EndpointEntry e, String tier, ModelRef ref, java.util.List<String> namedByTag) {
    String own = of(e);
    if (own.equals(DEFAULT)) {
      return true;
    }
    if (own.equals(tier)) {
      return true;
    }
    if (own.equals(PRIORITY) && ref.has(ModelRef.Variant.NITRO)) {
      return true;
    }
    if (own.equals(FLEX) && ref.has(ModelRef.Variant.FLOOR)) {
      return true;
    }
    String tag = e.tag().toLowerCase(Locale.ROOT);
    return namedByTag.stream().anyMatch(n -> n.equals(tag));
  }

  /**
   * The request as one attempt sends it: {@code service_tier} set to the endpoint's tier on a tier
   * endpoint; on a default-tier one a requested {@code flex}, {@code priority} or {@code fast} is
   * left out (routing chose the default tier), any other value goes as given.
   */
  public static LlmRequest forEndpoint(LlmRequest request, EndpointEntry e) {
    String tier = of(e);
    JsonNode sent = request.vendorFields().get(FIELD);
    if (tier.equals(DEFAULT) && (sent == null || !TIER_VALUES.contains(sent.asText()))) {
      return request; // auto, default, scale, standard_only: the upstream's own switches
    }
    Map<String, JsonNode> fields = new LinkedHashMap<>(request.vendorFields());
    if (tier.equals(DEFAULT)) {
      fields.remove(FIELD);
    } else {
      fields.put(FIELD, TextNode.valueOf(tier));
    }
    return request.withVendorFields(fields);
  }

  /**
   * The answer with the tier that served it in {@code service_tier}: the endpoint's tier when the
   * request asked for one or the endpoint is a tier endpoint, else what the upstream said.
   */
  public static LlmResponse reported(LlmResponse answer, LlmRequest request, EndpointEntry e) {
    String tier = of(e);
    if (tier.equals(DEFAULT) && !request.vendorFields().containsKey(FIELD)) {
      return answer;
    }
    return answer.withServiceTier(tier);
  }

  private static RuntimeException bad() {
    return GatewayError.of(
            FailureClass.INVALID_REQUEST,
            "\"service_tier\" must be one of auto, default, flex, priority, fast, scale")
        .withMetadata("error_type", "invalid_request")
        .toException();
  }
}
