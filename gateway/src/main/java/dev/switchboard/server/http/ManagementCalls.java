package dev.switchboard.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.api.json.ApiJson;
import dev.switchboard.core.error.FailureClass;
import dev.switchboard.core.error.GatewayError;
import dev.switchboard.core.error.GatewayException;
import dev.switchboard.server.pipeline.AuthGate;
import dev.switchboard.server.pipeline.Services;
import dev.switchboard.server.storage.ApiKey;
import dev.switchboard.server.storage.KeyKind;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.ext.web.RoutingContext;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;

/**
 * The shared steps of the management endpoints: authenticate a management key, read and check a
 * JSON body (unknown fields and wrong types are a 400 naming the field), run storage work on a
 * worker thread, and answer.
 */
final class ManagementCalls {

  private static final int MAX_BODY = 64 * 1024;

  private final Vertx vertx;
  private final Services services;

  ManagementCalls(Vertx vertx, Services services) {
    this.vertx = vertx;
    this.services = services;
  }

  /** The calling management key. */
  Future<ApiKey> caller(RoutingContext ctx) {
    return AuthGate.authenticate(
        vertx, services.authenticator(), ctx.request(), KeyKind.MANAGEMENT);
  }

  /** The caller and its JSON object body, whose fields must all be in {@code allowed}. */
  Future<Call> withBody(RoutingContext ctx, Set<String> allowed) {
    return BodyReader.read(ctx.request(), MAX_BODY)
        .compose(bytes -> caller(ctx).map(key -> new Call(key, object(bytes.getBytes(), allowed))));
  }

  /** Runs {@code work} on a worker thread. */
  <T> Future<T> blocking(Callable<T> work) {
    return vertx.executeBlocking(work, false);
  }

  /**
   * Answers {@code status} with what {@code steps} produce, or the error they fail with (also one
   * thrown while building them).
   */
  void reply(RoutingContext ctx, int status, java.util.function.Supplier<Future<?>> steps) {
    Future<?> result;
    try {
      result = steps.get();
    } catch (RuntimeException e) {
      result = Future.failedFuture(e);
    }
    result
        .onSuccess(out -> Responses.json(ctx.response(), status, out))
        .onFailure(err -> ErrorRenderer.render(ctx.response(), ErrorRenderer.from(err)));
  }

  /** A management call: who makes it and what it sent. */
  record Call(ApiKey caller, ObjectNode body) {}

  static ObjectNode object(byte[] bytes, Set<String> allowed) {
    JsonNode tree;
    try {
      tree = bytes.length == 0 ? ApiJson.object() : ApiJson.tree(bytes);
    } catch (java.io.IOException e) {
      throw GatewayException.invalid("Invalid JSON in request body: " + e.getMessage());
    }
    if (tree == null || !tree.isObject()) {
      throw GatewayException.invalid("Request body must be a JSON object");
    }
    for (Iterator<String> it = tree.fieldNames(); it.hasNext(); ) {
      String field = it.next();
      if (allowed != null && !allowed.contains(field)) {
        throw GatewayException.invalid(
            "\"" + field + "\" is not a field of this request; allowed: " + sorted(allowed));
      }
    }
    return (ObjectNode) tree;
  }

  static BigDecimal money(JsonNode body, String field, boolean required) {
    JsonNode v = body.get(field);
    if (v == null || v.isNull()) {
      if (required) {
        throw GatewayException.invalid(field + " is required (a number of USD)");
      }
      return null;
    }
    if (!v.isNumber()) {
      throw GatewayException.invalid(field + " must be a number of USD");
    }
    return v.decimalValue();
  }

  static String text(JsonNode body, String field, int maxLength, boolean required) {
    JsonNode v = body.get(field);
    if (v == null || v.isNull()) {
      if (required) {
        throw GatewayException.invalid(field + " is required and must be a non-empty string");
      }
      return null;
    }
    if (!v.isTextual() || (required && v.asText().isBlank())) {
      throw GatewayException.invalid(
          field + " must be a" + (required ? " non-empty" : "") + " string");
    }
    if (v.asText().length() > maxLength) {
      throw GatewayException.invalid(field + " must be at most " + maxLength + " characters");
    }
    return v.asText();
  }

  static Boolean bool(JsonNode body, String field) {
    JsonNode v = body.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isBoolean()) {
      throw GatewayException.invalid(field + " must be true or false");
    }
    return v.asBoolean();
  }

  static Integer count(JsonNode body, String field) {
    JsonNode v = body.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.canConvertToInt() || !v.isIntegralNumber() || v.asInt() < 0) {
      throw GatewayException.invalid(field + " must be a whole number, 0 or more, or null");
    }
    return v.asInt();
  }

  /** A reset window: {@code daily|weekly|monthly} or null. */
  static String window(JsonNode body, String field) {
    JsonNode v = body.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    String s = v.isTextual() ? v.asText() : "";
    if (!ApiKey.LIMIT_RESETS.contains(s)) {
      throw GatewayException.invalid(field + " must be one of daily, weekly, monthly or null");
    }
    return s;
  }

  static List<String> strings(JsonNode body, String field) {
    JsonNode v = body.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isArray()) {
      throw GatewayException.invalid(field + " must be an array of strings or null");
    }
    List<String> out = new ArrayList<>();
    for (JsonNode item : v) {
      if (!item.isTextual() || item.asText().isBlank() || item.asText().length() > 200) {
        throw GatewayException.invalid(
            field + " must hold non-empty strings of at most 200 characters");
      }
      out.add(item.asText());
    }
    if (out.size() > 500) {
      throw GatewayException.invalid(field + " must hold at most 500 items");
    }
    return out;
  }

  static int offset(RoutingContext ctx) {
    String raw = ctx.request().getParam("offset", "0");
    try {
      int offset = Integer.parseInt(raw);
      if (offset < 0) {
        throw GatewayException.invalid("offset must not be negative");
      }
      return offset;
    } catch (NumberFormatException e) {
      throw GatewayException.invalid("offset must be a whole number");
    }
  }

  static GatewayException notFound(String what) {
    return new GatewayException(GatewayError.of(FailureClass.NOT_FOUND, 404, what + " not found"));
  }

  /** Who did it, for audit trails: the management key's name and masked form. */
  static String actor(ApiKey key) {
    return key.name() + " (" + key.label() + ")";
  }

  private static String sorted(Set<String> allowed) {
    return String.join(", ", new java.util.TreeSet<>(allowed));
  }
}
