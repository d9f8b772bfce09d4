package dev.switchboard.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.core.error.GatewayError;
import dev.switchboard.core.error.GatewayException;
import dev.switchboard.server.auth.Sessions;
import dev.switchboard.server.config.GatewayConfig.DashboardConfig;
import dev.switchboard.server.pipeline.AuthGate;
import dev.switchboard.server.pipeline.Services;
import dev.switchboard.server.storage.ApiKey;
import dev.switchboard.server.storage.KeyKind;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.vertx.core.Vertx;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The dashboard's login: {@code POST /dashboard/login} with a management key (JSON {@code
 * {"key":…}} or a form field {@code key}) opens a session and sets its cookie (HttpOnly,
 * SameSite=Strict, Secure over TLS); {@code GET /dashboard/session} tells the page who is logged in
 * and its CSRF token; {@code POST /dashboard/logout} ends it. The key is only hashed (the stored
 * hashes are compared by lookup, never the plaintext), and never logged or echoed.
 */
final class DashboardSession {

  private static final int MAX_BODY = 8 * 1024;

  private final Vertx vertx;
  private final Services services;
  private final DashboardConfig config;

  DashboardSession(Vertx vertx, Services services) {
    this.vertx = vertx;
    this.services = services;
    this.config = services.config().dashboard();
  }

  private Sessions sessions() {
    return services.authenticator().sessions();
  }

  void login(RoutingContext ctx) {
    HttpServerRequest req = ctx.request();
    boolean form =
        String.valueOf(req.getHeader("content-type"))
            .toLowerCase(Locale.ROOT)
            .startsWith("application/x-www-form-urlencoded");
    // A login is state-changing too: a page of another origin must not log a browser in.
    GatewayError cross = Sessions.checkOrigin(req.getHeader("origin"), req.getHeader("host"));
    if (cross != null) {
      ErrorRenderer.render(ctx.response(), cross);
      return;
    }
    BodyReader.read(req, MAX_BODY)
        .compose(
            body -> {
              String key = form ? formKey(body.toString(StandardCharsets.UTF_8)) : jsonKey(body);
              return AuthGate.authenticate(
                  vertx, services.authenticator(), key, KeyKind.MANAGEMENT);
            })
        .onSuccess(
            key -> {
              Sessions.Opened opened = sessions().open(key.hash());
              HttpServerResponse res = ctx.response();
              res.putHeader(
                  "set-cookie", cookie(req, opened.token(), sessions().ttl().toSeconds()));
              res.putHeader("cache-control", "no-store");
              if (form) {
                res.setStatusCode(303).putHeader("location", "/dashboard/").end();
              } else {
                Responses.data(res, describe(key, opened.session()));
              }
            })
        .onFailure(
            err -> {
              if (form) {
                ctx.response()
                    .setStatusCode(303)
                    .putHeader("location", "/dashboard/#login-failed")
                    .end();
              } else {
                ErrorRenderer.render(ctx.response(), ErrorRenderer.from(err));
              }
            });
  }

  void session(RoutingContext ctx) {
    Cookie cookie = ctx.request().getCookie(Sessions.COOKIE);
    var found =
        cookie == null
            ? java.util.Optional.<Sessions.Session>empty()
            : sessions().find(cookie.getValue());
    if (found.isEmpty()) {
      ErrorRenderer.render(ctx.response(), Sessions.expired());
      return;
    }
    AuthGate.byHash(vertx, services.authenticator(), found.get().keyHash(), KeyKind.MANAGEMENT)
        .onSuccess(
            key -> {
              ctx.response().putHeader("cache-control", "no-store");
              Responses.data(ctx.response(), describe(key, found.get()));
            })
        .onFailure(err -> ErrorRenderer.render(ctx.response(), ErrorRenderer.from(err)));
  }

  void logout(RoutingContext ctx) {
    Cookie cookie = ctx.request().getCookie(Sessions.COOKIE);
    AuthGate.authenticate(vertx, services.authenticator(), ctx.request(), KeyKind.MANAGEMENT)
        .onSuccess(
            key -> {
              sessions().close(cookie == null ? null : cookie.getValue());
              ctx.response().putHeader("set-cookie", cookie(ctx.request(), "", 0));
              Responses.json(ctx.response(), 200, Map.of("data", Map.of("logged_out", true)));
            })
        .onFailure(err -> ErrorRenderer.render(ctx.response(), ErrorRenderer.from(err)));
  }

  private static Map<String, Object> describe(ApiKey key, Sessions.Session s) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", key.name());
    m.put("label", key.label());
    m.put("csrf_token", s.csrfToken());
    m.put("expires_at", KeysHandlers.timestamp(s.expiresAt()));
    return m;
  }

  private String cookie(HttpServerRequest req, String value, long maxAgeSeconds) {
    boolean secure =
        config.secureCookie() == DashboardConfig.SecureCookie.ALWAYS
            || req.isSSL()
            || "https".equalsIgnoreCase(req.getHeader("x-forwarded-proto"));
    return Sessions.COOKIE
        + "="
        + value
        + "; Path=/; Max-Age="
        + maxAgeSeconds
        + "; HttpOnly; SameSite=Strict"
        + (secure ? "; Secure" : "");
  }

  private static String formKey(String body) {
    List<String> values = new QueryStringDecoder(body, false).parameters().get("key");
    return values == null || values.isEmpty() || values.get(0).isBlank()
        ? null
        : values.get(0).trim();
  }

  private static String jsonKey(io.vertx.core.buffer.Buffer body) {
    JsonNode key = ManagementCalls.object(body.getBytes(), java.util.Set.of("key")).get("key");
    if (key == null || !key.isTextual() || key.asText().isBlank()) {
      throw GatewayException.invalid("key is required: the management key, as a string");
    }
    return key.asText().trim();
  }
}
