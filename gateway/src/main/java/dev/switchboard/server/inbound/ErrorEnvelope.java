package dev.switchboard.server.inbound;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.api.error.ErrorBody;
import dev.switchboard.api.error.ErrorResponse;
import dev.switchboard.api.json.ApiJson;
import dev.switchboard.core.error.Availability;
import dev.switchboard.core.error.FailureClass;
import dev.switchboard.core.error.GatewayError;
import dev.switchboard.core.error.GatewayException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every error the gateway answers, in one place: OpenRouter's envelope {@code
 * {"error":{"code","message","metadata"}}}, the headers that go with it, and one log line at a
 * level derived from its failure class (caller faults at DEBUG, upstream faults at WARN, our own at
 * ERROR). The OpenAI chat dialect and the management API both use it.
 */
public final class ErrorEnvelope {

  private static final Logger log = LoggerFactory.getLogger(ErrorEnvelope.class);
  private static final int MAX_RAW = 4_000;

  private ErrorEnvelope() {}

  /** The error a throwable stands for: its own when it carries one, else an internal 500. */
  public static GatewayError from(Throwable t) {
    // A stage that completes later (a plugin, admission) fails through a CompletionStage chain,
    // which wraps the exception it failed with.
    while (t instanceof java.util.concurrent.CompletionException && t.getCause() != null) {
      t = t.getCause();
    }
    if (t instanceof GatewayException ge) {
      return ge.error();
    }
    log.error("internal error", t);
    return GatewayError.of(FailureClass.INTERNAL, 500, "Internal Server Error");
  }

  /** The {@code error} object, with {@code provider_name}, {@code raw} and {@code error_type}. */
  public static ErrorBody body(GatewayError e) {
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
    // A model-availability failure (checklist 61): the object goes into error itself.
    if (metadata.remove(Availability.KEY) instanceof Map<?, ?> availability) {
      @SuppressWarnings("unchecked")
      Map<String, Object> typed = (Map<String, Object>) availability;
      return new ErrorBody(
          e.httpStatus(),
          message,
          metadata,
          String.valueOf(metadata.get("error_type")),
          e.httpStatus(),
          typed);
    }
    return new ErrorBody(e.httpStatus(), message, metadata);
  }

  /** The envelope's bytes; with {@code openrouter_metadata} beside {@code error} when given. */
  public static byte[] bytes(GatewayError e, JsonNode routingMetadata) {
    if (routingMetadata == null) {
      return ApiJson.bytes(new ErrorResponse(body(e), null));
    }
    var envelope = ApiJson.object();
    envelope.set("error", ApiJson.toTree(body(e)));
    envelope.set("openrouter_metadata", routingMetadata);
    return ApiJson.bytes(envelope);
  }

  /**
   * The headers an error answer carries besides its content type: {@code Retry-After} on a 429, 503
   * or 402 that names a delay, {@code Connection: close} on a 413 (the rest of the body is not
   * read), and the {@code X-RateLimit-*} headers a limit the gateway itself enforces names in
   * {@code metadata.headers} (checklist 60). An upstream's headers stay in the body only.
   */
  public static Map<String, String> headers(GatewayError e) {
    Map<String, String> headers = new LinkedHashMap<>(4);
    if (e.httpStatus() == 413) {
      headers.put("connection", "close");
    }
    if (e.retryAfterSeconds() != null
        && (e.httpStatus() == 429 || e.httpStatus() == 503 || e.httpStatus() == 402)) {
      headers.put("retry-after", Long.toString(e.retryAfterSeconds()));
    }
    if (e.provider() == null && e.metadata().get("headers") instanceof Map<?, ?> limits) {
      limits.forEach((k, v) -> headers.put(String.valueOf(k), String.valueOf(v)));
    }
    return headers;
  }

  /** The one log line of an error. */
  public static void logOnce(GatewayError e) {
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
