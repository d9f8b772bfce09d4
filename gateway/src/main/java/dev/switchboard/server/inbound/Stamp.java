package dev.switchboard.server.inbound;

/**
 * What an answer says about itself, in any dialect: our generation id, the model and provider that
 * served it, when it was created, and whether reasoning goes back to the client ({@code
 * reasoning.exclude} hides it).
 */
public record Stamp(
    String generationId,
    String model,
    String providerName,
    long createdEpochSeconds,
    boolean includeReasoning) {}
