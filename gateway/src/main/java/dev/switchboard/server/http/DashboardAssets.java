package dev.switchboard.server.http;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The dashboard's static files, built into the jar under {@code dashboard/} at package time (the
 * {@code dashboard} folder of the gateway module; nothing is fetched at run time). A file is read
 * from the class path once, on a worker thread, then served from memory. Hashed assets are cached
 * by browsers for a year; {@code index.html} is revalidated every time. Every answer carries a
 * content security policy that allows only this origin's scripts and styles and forbids framing.
 */
final class DashboardAssets {

  static final String ROOT = "dashboard/";

  private static final String CSP =
      "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self';"
          + " connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

  private static final Map<String, String> TYPES =
      Map.of(
          "html", "text/html; charset=utf-8",
          "js", "text/javascript; charset=utf-8",
          "css", "text/css; charset=utf-8",
          "svg", "image/svg+xml",
          "png", "image/png",
          "ico", "image/x-icon",
          "json", "application/json",
          "map", "application/json");

  private final Vertx vertx;
  private final Map<String, Optional<Buffer>> cache = new ConcurrentHashMap<>();

  DashboardAssets(Vertx vertx) {
    this.vertx = vertx;
  }

  /** {@code GET /} and {@code GET /dashboard}: to the dashboard's page. */
  static void redirect(RoutingContext ctx) {
    if (ctx.request().path().endsWith("/dashboard/")) {
      ctx.next(); // the router matches /dashboard with a trailing slash too: that is the page
      return;
    }
    ctx.response().setStatusCode(302).putHeader("location", "/dashboard/").end();
  }

  /** {@code GET /dashboard/*}: a file of the built dashboard, or the 404 envelope. */
  void serve(RoutingContext ctx) {
    String path = ctx.request().path().substring("/dashboard/".length());
    if (path.isEmpty()) {
      path = "index.html";
    }
    if (!path.matches("[A-Za-z0-9._/-]+") || path.contains("..") || path.startsWith("/")) {
      ctx.next();
      return;
    }
    String file = path;
    Optional<Buffer> cached = cache.get(file);
    if (cached != null) {
      send(ctx, file, cached);
      return;
    }
    vertx
        .executeBlocking(() -> load(file), false)
        .onSuccess(
            found -> {
              cache.put(file, found);
              send(ctx, file, found);
            })
        .onFailure(ctx::fail);
  }

  private static void send(RoutingContext ctx, String file, Optional<Buffer> body) {
    if (body.isEmpty()) {
      ctx.next(); // the router's 404
      return;
    }
    String ext = file.substring(file.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT);
    HttpServerResponse res = ctx.response();
    res.putHeader("content-type", TYPES.getOrDefault(ext, "application/octet-stream"))
        .putHeader("content-security-policy", CSP)
        .putHeader("x-content-type-options", "nosniff")
        .putHeader("x-frame-options", "DENY")
        .putHeader("referrer-policy", "no-referrer")
        .putHeader(
            "cache-control",
            file.startsWith("assets/") ? "public, max-age=31536000, immutable" : "no-cache")
        .end(body.get());
  }

  private static Optional<Buffer> load(String file) throws IOException {
    try (InputStream in = DashboardAssets.class.getClassLoader().getResourceAsStream(ROOT + file)) {
      return in == null ? Optional.empty() : Optional.of(Buffer.buffer(in.readAllBytes()));
    }
  }
}
