package dev.switchboard.server.config;

/**
 * The {@code features} section: the request features beyond plain chat that have settings.
 *
 * @param defaultModel the model of a request that names none ({@code model} and {@code models}
 *     absent); null: such a request is a 400
 * @param compressUpToContext context compression is on by default for endpoints whose context is at
 *     most this many tokens (OpenRouter: 8,192); 0 turns the default off
 * @param cacheDefaultTtlSeconds how long a cached response lives when the request's {@code
 *     X-OpenRouter-Cache-TTL} does not say (1 to 86,400)
 * @param cacheMaxEntries the most responses the cache holds; the least used go first
 */
public record FeaturesConfig(
    String defaultModel,
    long compressUpToContext,
    int cacheDefaultTtlSeconds,
    long cacheMaxEntries) {

  public static final FeaturesConfig DEFAULT = new FeaturesConfig(null, 8_192, 300, 10_000);

  /** This configuration with another default model. */
  public FeaturesConfig withDefaultModel(String model) {
    return new FeaturesConfig(model, compressUpToContext, cacheDefaultTtlSeconds, cacheMaxEntries);
  }
}
