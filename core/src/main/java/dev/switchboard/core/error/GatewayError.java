package dev.switchboard.core.error;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A failure, classified once. {@code provider} names the upstream that produced it (null for the
 * gateway's own errors); {@code raw} keeps the upstream's body for {@code metadata.raw}; {@code
 * providerCode} is the upstream's own error code when it has one. {@code detail} is for the
 * operator only (the log and the generation record, never a response): what the client must not
 * see, such as the upstream's address.
 */
public record GatewayError(
    FailureClass kind,
    int httpStatus,
    String message,
    String provider,
    String providerCode,
    String raw,
    Long retryAfterSeconds,
    Map<String, Object> metadata,
    String detail) {

  public GatewayError {
    metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
  }

  public static GatewayError of(FailureClass kind, String message) {
    return new GatewayError(
        kind, kind.httpStatus(), message, null, null, null, null, Map.of(), null);
  }

  public static GatewayError of(FailureClass kind, int status, String message) {
    return new GatewayError(kind, status, message, null, null, null, null, Map.of(), null);
  }

  /** An upstream failure: rendered as {@code "Provider returned error"} with the raw body. */
  public static GatewayError upstream(
      FailureClass kind,
      int status,
      String provider,
      String providerCode,
      String raw,
      Long retryAfterSeconds) {
    return new GatewayError(
        kind,
        status,
        "Provider returned error",
        provider,
        providerCode,
        raw,
        retryAfterSeconds,
        Map.of(),
        null);
  }

  public Optional<String> providerName() {
    return Optional.ofNullable(provider);
  }

  public GatewayError withMetadata(String key, Object value) {
    Map<String, Object> copy = new LinkedHashMap<>(metadata);
    copy.put(key, value);
    return new GatewayError(
        kind, httpStatus, message, provider, providerCode, raw, retryAfterSeconds, copy, detail);
  }

  public GatewayError withProvider(String providerName) {
    return new GatewayError(
        kind,
        httpStatus,
        message,
        providerName,
        providerCode,
        raw,
        retryAfterSeconds,
        metadata,
        detail);
  }

  /** This error with operator-only {@code detail} (see the class comment). */
  public GatewayError withDetail(String operatorDetail) {
    return new GatewayError(
        kind,
        httpStatus,
        message,
        provider,
        providerCode,
        raw,
        retryAfterSeconds,
        metadata,
        operatorDetail);
  }

  /** This error without the upstream's body ({@code errors.expose-raw: false}). */
  public GatewayError withoutRaw() {
    return raw == null
        ? this
        : new GatewayError(
            kind,
            httpStatus,
            message,
            provider,
            providerCode,
            null,
            retryAfterSeconds,
            metadata,
            detail);
  }

  /** A Retry-After, in seconds, for the client. */
  public GatewayError withRetryAfter(long seconds) {
    return new GatewayError(
        kind, httpStatus, message, provider, providerCode, raw, seconds, metadata, detail);
  }

  /** The message with the operator-only detail, for the log and the generation record. */
  public String operatorMessage() {
    return detail == null ? message : message + " [" + detail + "]";
  }

  public GatewayException toException() {
    return new GatewayException(this);
  }
}
