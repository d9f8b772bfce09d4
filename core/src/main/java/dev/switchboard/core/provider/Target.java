package dev.switchboard.core.provider;

/**
 * A resolved upstream endpoint, everything an adapter needs to address it: the provider's slug and
 * display name, the base URL (no trailing slash), the model id the upstream knows, the credential
 * (never logged: {@link #toString()} redacts it), and the dialect profile with its quirks.
 */
public record Target(
    String providerSlug,
    String providerName,
    String baseUrl,
    String upstreamModel,
    String apiKey,
    DialectProfile profile,
    Integer defaultMaxTokens) {

  @Override
  public String toString() {
    return "Target[provider="
        + providerSlug
        + ", baseUrl="
        + baseUrl
        + ", upstreamModel="
        + upstreamModel
        + ", apiKey="
        + (apiKey == null || apiKey.isEmpty() ? "none" : "***")
        + ", profile="
        + profile.id()
        + "]";
  }
}
