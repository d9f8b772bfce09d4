package dev.switchboard.server.limits;

import dev.switchboard.core.error.GatewayError;

/**
 * Admission said no: the error to render (402, 403 or 429, with its metadata; a 429 and an
 * in-flight 402 also carry {@code Retry-After}, and a 429 its {@code X-RateLimit-*} headers in
 * {@code error.metadata.headers}, which the renderer copies onto the response).
 */
public record Refusal(GatewayError error) implements Admission.Outcome {}
