package dev.switchboard.server.routing;

import dev.switchboard.core.error.FailureClass;

/**
 * One upstream attempt of a request, for the generation record's {@code provider_responses}: which
 * endpoint, the HTTP status it answered with (null when there was no response), the failure class
 * when it failed, how long it took, and a note when it did not run its course (skipped because the
 * circuit breaker was open, or cancelled after losing a hedge race).
 */
public record Attempt(
    String providerName,
    String providerSlug,
    String model,
    Integer status,
    FailureClass failure,
    long latencyMs,
    String note) {

  public Attempt(
      String providerName,
      String providerSlug,
      String model,
      Integer status,
      FailureClass failure,
      long latencyMs) {
    this(providerName, providerSlug, model, status, failure, latencyMs, null);
  }
}
