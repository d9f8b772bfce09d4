package dev.switchboard.client;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.api.json.ApiJson;
import dev.switchboard.client.internal.RawResponse;
import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Map;

/** Turns error answers, in-band stream errors and I/O failures into the typed exceptions. */
final class Errors {

  private static final int MAX_BODY = 8_192;

  private Errors() {}

  /** A non-2xx answer. The body is read as OpenRouter's envelope when it is one. */
  static SwitchboardException fromResponse(RawResponse response) {
    String text = new String(response.body(), StandardCharsets.UTF_8);
    JsonNode error = null;
    try {
      JsonNode root = ApiJson.tree(response.body());
      if (root != null && root.path("error").isObject()) {
        error = root.get("error");
      }
    } catch (IOException e) {
      // not JSON: the text is the message
    }
    int status = response.status();
    String message;
    if (error != null && error.path("message").isTextual()) {
      message = error.get("message").textValue();
    } else if (!text.isBlank()) {
      message = "HTTP " + status + ": " + abbreviate(text, 300);
    } else {
      message = "HTTP " + status;
    }
    Duration retryAfter = retryAfter(response.header("retry-after").orElse(null));
    ErrorInfo info =
        info(
            status,
            message,
            error,
            retryAfter,
            abbreviate(text, MAX_BODY),
            response.header("x-generation-id").orElse(null),
            false);
    return typed(info, null);
  }

  /**
   * An in-band error chunk of a stream ({@code {"error":{"code","message","metadata"}}} after the
   * first chunk). {@code code} is the HTTP status as an integer on OpenRouter and Switchboard; a
   * string code ({@code "server_error"}) is kept in the message and mapped to 500.
   */
  static SwitchboardException fromStreamError(JsonNode error, String generationId) {
    JsonNode code = error.path("code");
    int status;
    String message = error.path("message").asText("stream failed");
    if (code.canConvertToInt()) {
      status = code.asInt();
    } else if (code.isTextual() && code.textValue().chars().allMatch(Character::isDigit)) {
      status = Integer.parseInt(code.textValue());
    } else {
      status = 500;
      if (code.isTextual()) {
        message = code.textValue() + ": " + message;
      }
    }
    ErrorInfo info = info(status, message, error, null, null, generationId, true);
    return typed(info, null);
  }

  /** A transport failure: no HTTP answer at all. */
  static SwitchboardException fromIo(IOException e, String what) {
    if (e instanceof HttpConnectTimeoutException) {
      return new ConnectionException(
          ErrorInfo.of(0, what + ": connect timed out (" + e.getMessage() + ")"), e);
    }
    if (e instanceof HttpTimeoutException) {
      return new RequestTimeoutException(
          ErrorInfo.of(0, what + ": no answer within the client's time-out"), e);
    }
    String detail = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    if (e instanceof ConnectException) {
      detail = "connection refused (" + detail + ")";
    }
    return new ConnectionException(ErrorInfo.of(0, what + ": " + detail), e);
  }

  static InvalidResponseException invalid(String message, Throwable cause) {
    return new InvalidResponseException(ErrorInfo.of(0, message), cause);
  }

  private static ErrorInfo info(
      int status,
      String message,
      JsonNode error,
      Duration retryAfter,
      String body,
      String generationId,
      boolean midStream) {
    Map<String, Object> metadata = Map.of();
    String providerName = null;
    String raw = null;
    String errorType = null;
    if (error != null) {
      JsonNode meta = error.path("metadata");
      if (meta.isObject()) {
        @SuppressWarnings("unchecked")
        Map<String, Object> parsed = ApiJson.convert(meta, Map.class);
        metadata = java.util.Collections.unmodifiableMap(parsed);
        providerName = text(meta.get("provider_name"));
        JsonNode rawNode = meta.get("raw");
        if (rawNode != null && !rawNode.isNull()) {
          raw = rawNode.isTextual() ? rawNode.textValue() : ApiJson.string(rawNode);
        }
        errorType = text(meta.get("error_type"));
        if (retryAfter == null) {
          retryAfter = bodyRetryAfter(meta);
        }
      }
      if (errorType == null) {
        errorType = text(error.get("error_type"));
      }
    }
    return new ErrorInfo(
        status,
        message,
        errorType,
        metadata,
        providerName,
        raw,
        retryAfter,
        body,
        generationId,
        midStream);
  }

  static SwitchboardException typed(ErrorInfo info, Throwable cause) {
    SwitchboardException e =
        switch (info.status()) {
          case 400, 413, 422 -> new BadRequestException(info);
          case 401 -> new AuthenticationException(info);
          case 402 -> new PaymentRequiredException(info);
          case 403 -> new PermissionDeniedException(info);
          case 404 -> new NotFoundException(info);
          case 408 -> new RequestTimeoutException(info);
          case 429 -> new RateLimitedException(info);
          case 502 -> new ProviderException(info);
          case 503 -> new NoProviderAvailableException(info);
          default ->
              info.status() >= 500
                  ? new ServerException(info)
                  : info.status() >= 400
                      ? new BadRequestException(info)
                      : new ServerException(info);
        };
    if (cause != null) {
      e.initCause(cause);
    }
    return e;
  }

  /** {@code Retry-After} as delta-seconds or an HTTP date; null when absent or unreadable. */
  static Duration retryAfter(String header) {
    if (header == null || header.isBlank()) {
      return null;
    }
    String v = header.trim();
    try {
      double seconds = Double.parseDouble(v);
      return seconds < 0 ? null : Duration.ofMillis((long) (seconds * 1000));
    } catch (NumberFormatException e) {
      try {
        ZonedDateTime at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME);
        Duration d = Duration.between(ZonedDateTime.now(at.getZone()), at);
        return d.isNegative() ? Duration.ZERO : d;
      } catch (DateTimeParseException ignored) {
        return null;
      }
    }
  }

  /** {@code metadata.retry_after_seconds} or {@code metadata.headers.Retry-After}. */
  private static Duration bodyRetryAfter(JsonNode meta) {
    JsonNode seconds = meta.get("retry_after_seconds");
    if (seconds != null && seconds.isNumber()) {
      return Duration.ofMillis((long) (seconds.asDouble() * 1000));
    }
    JsonNode headers = meta.path("headers");
    if (headers.isObject()) {
      for (var it = headers.fields(); it.hasNext(); ) {
        var field = it.next();
        if (field.getKey().equalsIgnoreCase("retry-after")) {
          return retryAfter(field.getValue().asText());
        }
      }
    }
    return null;
  }

  private static String text(JsonNode node) {
    return node == null || node.isNull() ? null : node.asText();
  }

  private static String abbreviate(String s, int max) {
    return s.length() <= max ? s : s.substring(0, max) + "…";
  }
}
