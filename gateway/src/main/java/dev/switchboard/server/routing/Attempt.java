package dev.switchboard.server.routing;

import dev.switchboard.core.error.FailureClass;

/**
 * One upstream attempt of a request, for the generation record's {@code provider_responses}: which
 * endpoint, the HTTP status it answered with (null when there was no response), the failure class
 * when it failed, and how long it took.
 */
public record Attempt(
    String providerName,
    String providerSlug,
    String model,
    Integer status,
    FailureClass failure,
    long latencyMs) {}
