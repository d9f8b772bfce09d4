package dev.switchboard.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.api.json.ApiJson;
import dev.switchboard.api.keys.CreateKeyRequest;
import dev.switchboard.api.keys.KeyData;
import dev.switchboard.api.keys.KeyInfo;
import dev.switchboard.core.error.FailureClass;
import dev.switchboard.core.error.GatewayError;
import dev.switchboard.core.error.GatewayException;
import dev.switchboard.server.auth.Authenticator;
import dev.switchboard.server.pipeline.AuthGate;
import dev.switchboard.server.pipeline.Services;
import dev.switchboard.server.storage.ApiKey;
import dev.switchboard.server.storage.KeyKind;
import dev.switchboard.server.storage.KeyPatch;
import dev.switchboard.server.storage.KeyRateLimits;
import dev.switchboard.server.storage.KeyUsage;
import dev.switchboard.server.storage.Keys;
import dev.switchboard.server.storage.NewKey;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * The key management API ({@code /keys}, management keys only, checklist 4 and 125 to 129) and
 * {@code GET /key} for the calling key. Storage calls run on worker threads.
 */
final class KeysHandlers {

  private static final int PAGE = 100;

  private final Vertx vertx;
  private final Services services;

  KeysHandlers(Vertx vertx, Services services) {
    this.vertx = vertx;
    this.services = services;
  }

  void create(RoutingContext ctx) {
    body(ctx)
        .compose(
            kb ->
                blocking(
                    () -> {
                      CreateKeyRequest req = kb.req();
                      KeyRateLimits rates = rateLimits(kb.tree(), KeyRateLimits.DEFAULTS);
                      String plaintext = Keys.generateInferenceKey();
                      NewKey spec =
                          new NewKey(
                              Keys.hash(plaintext),
                              requireName(req.name()),
                              Keys.label(plaintext),
                              KeyKind.INFERENCE,
                              limit(req.limit()),
                              limitReset(req.limitReset()),
                              bool(req.includeByokInLimit(), "include_byok_in_limit", false),
                              expiresAt(req.expiresAt()),
                              text(req.creatorUserId(), "creator_user_id"));
                      ApiKey created = services.storage().keys().create(spec);
                      if (!rates.equals(KeyRateLimits.DEFAULTS)) {
                        services.storage().keyLimits().put(created.hash(), rates);
                      }
                      services.authenticator().invalidate(created.hash());
                      Map<String, Object> out = new LinkedHashMap<>();
                      out.put("data", data(created));
                      out.put("key", plaintext);
                      return out;
                    }))
        .onSuccess(out -> Responses.json(ctx.response(), 201, out))
        .onFailure(err -> ErrorRenderer.render(ctx.response(), ErrorRenderer.from(err)));
  }

  void list(RoutingContext ctx) {
    int offset;
    try {
      offset = Integer.parseInt(ctx.request().getParam("offset", "0"));
    } catch (NumberFormatException e) {
      ErrorRenderer.render(ctx.response(), invalid("offset must be a whole number"));
      return;
    }
    if (offset < 0) {
      ErrorRenderer.render(ctx.response(), invalid("offset must not be negative"));
      return;
    }
    boolean includeDisabled =
        Boolean.parseBoolean(ctx.request().getParam("include_disabled", "false"));
    management(ctx)
        .compose(
            caller ->
                blocking(
                    () -> {
                      List<JsonNode> out = new ArrayList<>();
                      for (ApiKey k :
                          services.storage().keys().list(offset, PAGE, includeDisabled)) {
                        if (k.kind() == KeyKind.INFERENCE) {
                          out.add(data(k));
                        }
                      }
                      return out;
                    }))
        .onSuccess(out -> Responses.data(ctx.response(), out))
        .onFailure(err -> ErrorRenderer.render(ctx.response(), ErrorRenderer.from(err)));
  }

  void get(RoutingContext ctx) {
    String hash = ctx.pathParam("hash");
    management(ctx)
        .compose(caller -> blocking(() -> data(find(hash))))
        .onSuccess(out -> Responses.data(ctx.response(), out))
        .onFailure(err -> ErrorRenderer.render(ctx.response(), ErrorRenderer.from(err)));
  }

  void update(RoutingContext ctx) {
    String hash = ctx.pathParam("hash");
    body(ctx)
        .compose(
            kb ->
                blocking(
                    () -> {
                      CreateKeyRequest req = kb.req();
                      find(hash);
                      KeyRateLimits rates =
                          rateLimits(kb.tree(), services.storage().keyLimits().get(hash));
                      KeyPatch patch =
                          new KeyPatch(
                              req.name() == null ? null : requireName(req.name()),
                              req.disabled() == null || req.disabled().isNull()
                                  ? null
                                  : bool(req.disabled(), "disabled", false),
                              req.limit() != null,
                              limit(req.limit()),
                              req.limitReset() != null,
                              limitReset(req.limitReset()),
                              req.includeByokInLimit() == null
                                  ? null
                                  : bool(req.includeByokInLimit(), "include_byok_in_limit", false));
                      ApiKey updated =
                          services
                              .storage()
                              .keys()
                              .update(hash, patch)
                              .orElseThrow(() -> notFound());
                      if (!rates.equals(services.storage().keyLimits().get(hash))) {
                        services.storage().keyLimits().put(hash, rates);
                      }
                      services.authenticator().invalidate(hash);
                      return data(updated);
                    }))
        .onSuccess(out -> Responses.data(ctx.response(), out))
        .onFailure(err -> ErrorRenderer.render(ctx.response(), ErrorRenderer.from(err)));
  }

  void delete(RoutingContext ctx) {
    String hash = ctx.pathParam("hash");
    management(ctx)
        .compose(
            caller ->
                blocking(
                    () -> {
                      ApiKey key = find(hash);
                      if (key.kind() != KeyKind.INFERENCE
                          || !services.storage().keys().delete(hash)) {
                        throw notFound();
                      }
                      services.authenticator().invalidate(hash);
                      return Map.of("deleted", true);
                    }))
        .onSuccess(out -> Responses.json(ctx.response(), 200, out))
        .onFailure(err -> ErrorRenderer.render(ctx.response(), ErrorRenderer.from(err)));
  }

  /** {@code GET /key} and {@code /auth/key}: any valid key may ask about itself. */
  void self(RoutingContext ctx) {
    String plaintext = Authenticator.bearer(ctx.request().getHeader("authorization"));
    if (plaintext == null) {
      ErrorRenderer.render(ctx.response(), Authenticator.missing());
      return;
    }
    String hash = Authenticator.hash(plaintext);
    blocking(
            () -> {
              var found = services.authenticator().load(hash);
              KeyKind kind = found.map(ApiKey::kind).orElse(KeyKind.INFERENCE);
              var result = services.authenticator().check(found, kind);
              if (!result.ok()) {
                throw new GatewayException(result.error());
              }
              return info(result.key().withUsage(services.storage().keys().usage(hash)));
            })
        .onSuccess(out -> Responses.data(ctx.response(), out))
        .onFailure(err -> ErrorRenderer.render(ctx.response(), ErrorRenderer.from(err)));
  }

  private Future<ApiKey> management(RoutingContext ctx) {
    return AuthGate.authenticate(
        vertx, services.authenticator(), ctx.request(), KeyKind.MANAGEMENT);
  }

  /**
   * Reads the body first (the request must not be left unread while authentication waits on a
   * worker), then authenticates, then parses: an unauthenticated caller learns nothing of the body.
   */
  /** A key request: the typed fields and the tree (for the rate-limit fields). */
  private record KeyBody(CreateKeyRequest req, JsonNode tree) {}

  private Future<KeyBody> body(RoutingContext ctx) {
    return BodyReader.read(ctx.request(), 64 * 1024)
        .compose(bytes -> management(ctx).map(caller -> bytes))
        .map(
            (Buffer b) -> {
              try {
                JsonNode tree = BodyReader.jsonTree(b);
                if (tree == null || !tree.isObject()) {
                  throw GatewayException.invalid("Request body must be a JSON object");
                }
                return new KeyBody(
                    ApiJson.mapper().treeToValue(tree, CreateKeyRequest.class), tree);
              } catch (java.io.IOException e) {
                throw GatewayException.invalid("Invalid JSON in request body: " + e.getMessage());
              }
            });
  }

  private <T> Future<T> blocking(Callable<T> work) {
    return vertx.executeBlocking(work, false);
  }

  private ApiKey find(String hash) {
    ApiKey key = services.storage().keys().findByHash(hash).orElseThrow(KeysHandlers::notFound);
    return key.withUsage(services.storage().keys().usage(hash));
  }

  /**
   * OpenRouter's {@code Key} plus Switchboard's own fields: the key's rate limits (null: the
   * configured default, 0: none) and the ids of the guardrails assigned to it.
   */
  private JsonNode data(ApiKey k) {
    com.fasterxml.jackson.databind.node.ObjectNode out =
        (com.fasterxml.jackson.databind.node.ObjectNode) ApiJson.toTree(keyData(k));
    KeyRateLimits rates = services.storage().keyLimits().get(k.hash());
    if (rates.requestsPerMinute() == null) {
      out.putNull("requests_per_minute");
    } else {
      out.put("requests_per_minute", rates.requestsPerMinute());
    }
    if (rates.tokensPerMinute() == null) {
      out.putNull("tokens_per_minute");
    } else {
      out.put("tokens_per_minute", rates.tokensPerMinute());
    }
    var ids = out.putArray("guardrail_ids");
    services.storage().guardrails().forKey(k.hash()).forEach(g -> ids.add(g.id()));
    return out;
  }

  private static KeyRateLimits rateLimits(JsonNode tree, KeyRateLimits current) {
    return new KeyRateLimits(
        tree.has("requests_per_minute")
            ? ManagementCalls.count(tree, "requests_per_minute")
            : current.requestsPerMinute(),
        tree.has("tokens_per_minute")
            ? ManagementCalls.count(tree, "tokens_per_minute")
            : current.tokensPerMinute());
  }

  private KeyData keyData(ApiKey k) {
    KeyUsage u = k.usage();
    return new KeyData(
        k.hash(),
        k.name(),
        k.label(),
        k.disabled(),
        k.limit(),
        k.limitRemaining(),
        k.limitReset(),
        k.includeByokInLimit(),
        u.total(),
        u.daily(),
        u.weekly(),
        u.monthly(),
        u.byokTotal(),
        u.byokDaily(),
        u.byokWeekly(),
        u.byokMonthly(),
        timestamp(k.createdAt()),
        timestamp(k.updatedAt()),
        timestamp(k.expiresAt()),
        k.creatorUserId(),
        null);
  }

  private static KeyInfo info(ApiKey k) {
    KeyUsage u = k.usage();
    Map<String, Object> rateLimit = new LinkedHashMap<>();
    rateLimit.put("requests", -1);
    rateLimit.put("interval", "10s");
    rateLimit.put("note", "This field is deprecated and safe to ignore.");
    return new KeyInfo(
        k.label(),
        k.limit(),
        k.limitRemaining(),
        k.limitReset(),
        k.includeByokInLimit(),
        u.total(),
        u.daily(),
        u.weekly(),
        u.monthly(),
        u.byokTotal(),
        u.byokDaily(),
        u.byokWeekly(),
        u.byokMonthly(),
        false,
        k.kind() == KeyKind.MANAGEMENT,
        k.kind() == KeyKind.MANAGEMENT,
        k.creatorUserId(),
        timestamp(k.expiresAt()),
        rateLimit);
  }

  static String timestamp(Instant t) {
    return t == null ? null : OffsetDateTime.ofInstant(t, ZoneOffset.UTC).toString();
  }

  private static String requireName(JsonNode name) {
    if (name == null || !name.isTextual() || name.asText().isBlank()) {
      throw GatewayException.invalid("name is required and must be a non-empty string");
    }
    if (name.asText().length() > 200) {
      throw GatewayException.invalid("name must be at most 200 characters");
    }
    return name.asText();
  }

  private static BigDecimal limit(JsonNode limit) {
    if (limit == null || limit.isNull()) {
      return null;
    }
    if (!limit.isNumber() || limit.decimalValue().signum() < 0) {
      throw GatewayException.invalid("limit must be a non-negative number (USD) or null");
    }
    return limit.decimalValue();
  }

  private static String limitReset(JsonNode reset) {
    if (reset == null || reset.isNull()) {
      return null;
    }
    String v = reset.isTextual() ? reset.asText() : "";
    if (!ApiKey.LIMIT_RESETS.contains(v)) {
      throw GatewayException.invalid("limit_reset must be one of daily, weekly, monthly or null");
    }
    return v;
  }

  private static boolean bool(JsonNode node, String field, boolean def) {
    if (node == null || node.isNull()) {
      return def;
    }
    if (!node.isBoolean()) {
      throw GatewayException.invalid(field + " must be true or false");
    }
    return node.asBoolean();
  }

  private static String text(JsonNode node, String field) {
    if (node == null || node.isNull()) {
      return null;
    }
    if (!node.isTextual()) {
      throw GatewayException.invalid(field + " must be a string");
    }
    return node.asText();
  }

  private static Instant expiresAt(JsonNode node) {
    if (node == null || node.isNull()) {
      return null;
    }
    String v = node.isTextual() ? node.asText() : "";
    try {
      OffsetDateTime t = OffsetDateTime.parse(v);
      if (!t.getOffset().equals(ZoneOffset.UTC)) {
        throw GatewayException.invalid("expires_at must be an ISO 8601 timestamp in UTC");
      }
      return t.toInstant();
    } catch (DateTimeParseException e) {
      throw GatewayException.invalid("expires_at must be an ISO 8601 timestamp in UTC, was " + v);
    }
  }

  private static GatewayError invalid(String message) {
    return GatewayError.of(FailureClass.INVALID_REQUEST, message);
  }

  private static GatewayException notFound() {
    return new GatewayException(GatewayError.of(FailureClass.NOT_FOUND, 404, "Key not found"));
  }
}
