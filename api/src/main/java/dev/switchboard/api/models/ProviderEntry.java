package dev.switchboard.api.models;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/** One provider of {@code GET /providers}. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.ALWAYS)
public record ProviderEntry(
    String name,
    String slug,
    String privacyPolicyUrl,
    String termsOfServiceUrl,
    String statusPageUrl) {}
