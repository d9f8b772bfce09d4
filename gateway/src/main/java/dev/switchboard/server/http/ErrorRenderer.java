package dev.switchboard.server.http;

import dev.switchboard.api.error.ErrorBody;
import dev.switchboard.api.error.ErrorResponse;
import dev.switchboard.api.json.ApiJson;
import dev.switchboard.core.error.FailureClass;
import dev.switchboard.core.error.GatewayError;
import dev.switchboard.core.error.GatewayException;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Renders every error in one place, in OpenRouter's envelope {@code
 * {"error":{"code","message","metadata"}}}, and logs it once at a level derived from its failure
 * class: caller faults at DEBUG, upstream faults at WARN, our own at ERROR.
 */
final class ErrorRenderer {

  private static final Logger log = LoggerFactory.getLogger(ErrorRenderer.class);
  private static final int MAX_RAW = 4_000;

  private ErrorRenderer() {}

  static GatewayError from(Throwable t) {
    if (t instanceof GatewayException ge) {
      return ge.error();
    }
    log.error("internal error", t);
    return GatewayError.of(FailureClass.INTERNAL, 500, "Internal Server Error");
  }

  /** The {@code error} object, with {@code provider_name}, {@code raw} and {@code error_type}. */
  static ErrorBody body(GatewayError e) {
    Map<String, Object> metadata = new LinkedHashMap<>(e.metadata());
    if (e.provider() != null) {
      metadata.put("provider_name", e.provider());
      if (e.raw() != null) {
        String raw = e.raw();
        metadata.put("raw", raw.length() > MAX_RAW ? raw.substring(0, MAX_RAW) : raw);
      }
      metadata.putIfAbsent("is_byok", false);
      if (e.providerCode() != null && e.httpStatus() != 500) {
        metadata.put("provider_code", e.providerCode());
      }
      if (e.retryAfterSeconds() != null) {
        metadata.put("retry_after_seconds", e.retryAfterSeconds());
      }
    }
    metadata.putIfAbsent("error_type", e.kind().errorType());
    String message =
        e.httpStatus() == 500 && e.kind() == FailureClass.INTERNAL
            ? "Internal Server Error"
            : e.message();
    return new ErrorBody(e.httpStatus(), message, metadata);
  }

  static void render(HttpServerResponse response, GatewayError e) {
    render(response, e, null);
  }

  /** Renders {@code e}; with routing metadata (the request asked for it) added to the envelope. */
  static void render(
      HttpServerResponse response,
      GatewayError e,
      com.fasterxml.jackson.databind.JsonNode metadata) {
    logOnce(e);
    if (response.headWritten() || response.ended() || response.closed()) {
      return;
    }
    byte[] json;
    if (metadata == null) {
      json = ApiJson.bytes(new ErrorResponse(body(e), null));
    } else {
      var envelope = ApiJson.object();
      envelope.set("error", ApiJson.toTree(body(e)));
      envelope.set("openrouter_metadata", metadata);
      json = ApiJson.bytes(envelope);
    }
    response.setStatusCode(e.httpStatus());
    response.putHeader("content-type", "application/json");
    if (e.httpStatus() == 413) {
      response.putHeader("connection", "close");
    }
    if (e.retryAfterSeconds() != null
        && (e.httpStatus() == 429 || e.httpStatus() == 503 || e.httpStatus() == 402)) {
      response.putHeader("retry-after", Long.toString(e.retryAfterSeconds()));
    }
    // A limit the gateway itself enforces names its X-RateLimit-* headers in metadata.headers
    // (checklist 60); they go on the response too. An upstream's headers stay in the body only.
    if (e.provider() == null && e.metadata().get("headers") instanceof Map<?, ?> headers) {
      headers.forEach((k, v) -> response.putHeader(String.valueOf(k), String.valueOf(v)));
    }
    response.end(Buffer.buffer(json));
  }

  static void logOnce(GatewayError e) {
    if (e.kind().isCallerFault()) {
      log.atDebug()
          .addKeyValue("status", e.httpStatus())
          .addKeyValue("failure_class", e.kind())
          .log("request rejected: {}", e.operatorMessage());
    } else if (e.kind() == FailureClass.INTERNAL) {
      log.atError()
          .addKeyValue("status", e.httpStatus())
          .log("internal error: {}", e.operatorMessage());
    } else {
      log.atWarn()
          .addKeyValue("status", e.httpStatus())
          .addKeyValue("failure_class", e.kind())
          .addKeyValue("provider", e.provider())
          .log("request failed: {}", e.operatorMessage());
    }
  }
}
