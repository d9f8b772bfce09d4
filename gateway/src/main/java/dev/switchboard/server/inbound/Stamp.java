package dev.switchboard.server.inbound;

import dev.switchboard.core.model.LlmRequest;

/**
 * What an answer says about itself, in any dialect: our generation id, the model and provider that
 * served it, when it was created, and whether reasoning goes back to the client ({@code
 * reasoning.exclude} hides it). {@code request} is the canonical request the answer is for: a
 * dialect whose answers echo the request (the Responses API's {@code tools}, {@code temperature},
 * ...) reads it there.
 */
public record Stamp(
    String generationId,
    String model,
    String providerName,
    long createdEpochSeconds,
    boolean includeReasoning,
    LlmRequest request) {

  /** A stamp without the request (dialects that do not echo it). */
  public Stamp(
      String generationId,
      String model,
      String providerName,
      long createdEpochSeconds,
      boolean includeReasoning) {
    this(generationId, model, providerName, createdEpochSeconds, includeReasoning, null);
  }
}
