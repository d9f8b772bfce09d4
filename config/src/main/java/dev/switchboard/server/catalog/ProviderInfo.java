package dev.switchboard.server.catalog;

/** What {@code GET /providers} tells about a provider. */
public record ProviderInfo(
    String slug,
    String name,
    String privacyPolicyUrl,
    String termsOfServiceUrl,
    String statusPageUrl) {}
