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

  /**
   * The base URL to call: the target's own, else the profile's default, without a trailing slash.
   *
   * @throws IllegalStateException when neither names one (a self-hosted profile needs a URL)
   */
  public String baseUrlOrDefault() {
    String base = baseUrl;
    if (base == null || base.isEmpty()) {
      base = profile.defaultBaseUrl();
    }
    if (base == null) {
      throw new IllegalStateException(
          "Target " + this + " has no base URL and profile '" + profile.id() + "' has no default");
    }
    return base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
  }

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
