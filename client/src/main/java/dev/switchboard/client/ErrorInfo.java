package dev.switchboard.client;

import java.time.Duration;
import java.util.Map;

/**
 * Everything an exception of this SDK carries, gathered once by {@link Errors} and handed to the
 * exception's constructor.
 */
record ErrorInfo(
    int status,
    String message,
    String errorType,
    Map<String, Object> metadata,
    String providerName,
    String raw,
    Duration retryAfter,
    String responseBody,
    String generationId,
    boolean midStream) {

  ErrorInfo {
    metadata = metadata == null ? Map.of() : metadata;
  }

  ErrorInfo withMidStream(boolean value) {
    return new ErrorInfo(
        status,
        message,
        errorType,
        metadata,
        providerName,
        raw,
        retryAfter,
        responseBody,
        generationId,
        value);
  }

  static ErrorInfo of(int status, String message) {
    return new ErrorInfo(status, message, null, Map.of(), null, null, null, null, null, false);
  }
}
