package dev.switchboard.server.catalog;

import java.util.List;

/**
 * One provider's endpoint for a model: who serves it, under which upstream model id, at what price
 * and with which limits and capabilities.
 *
 * @param provider the provider slug, a key of the configured providers
 * @param upstreamModel the model id the provider knows
 * @param tag the slug used by {@code provider.order/only/ignore}; the provider slug by default
 * @param quantization e.g. {@code fp8}, {@code bf16}, or null when unknown
 * @param mayTrain whether the provider may train on prompts ({@code data_collection})
 * @param retainsData whether the provider retains prompts (false means zero data retention)
 * @param profile the dialect profile for this endpoint when it differs from its provider's (e.g. a
 *     cloud that serves one vendor's models in that vendor's API), or null
 */
public record EndpointEntry(
    String provider,
    String upstreamModel,
    String tag,
    Pricing pricing,
    int contextLength,
    Integer maxCompletionTokens,
    List<String> supportedParameters,
    String quantization,
    boolean mayTrain,
    boolean retainsData,
    boolean supportsImplicitCaching,
    String profile) {

  public EndpointEntry {
    tag = tag == null ? provider : tag;
    supportedParameters =
        supportedParameters == null ? List.of() : List.copyOf(supportedParameters);
  }

  public boolean supports(String parameter) {
    return supportedParameters.contains(parameter);
  }

  /**
   * Whether this endpoint takes {@code json_schema} natively: {@code structured_outputs} in its
   * supported parameters (the catalog's default list has it; an entry that lists its parameters
   * without it does not). Elsewhere the gateway emulates it (instructions, a schema check of the
   * answer, one repair).
   */
  public boolean nativeStructuredOutputs() {
    return supports("structured_outputs");
  }
}
