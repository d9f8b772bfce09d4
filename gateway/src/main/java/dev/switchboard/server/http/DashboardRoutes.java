package dev.switchboard.server.http;

import dev.switchboard.server.pipeline.Services;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;

/** The dashboard's routes: its page and files, its login, and its aggregate API. */
final class DashboardRoutes {

  private DashboardRoutes() {}

  /** The page, its files and the login session (once, at the root). */
  static void mountPage(MoneyRoutes.Routes router, Vertx vertx, Services services) {
    DashboardAssets assets = new DashboardAssets(vertx);
    DashboardSession session = new DashboardSession(vertx, services);
    router.add(HttpMethod.GET, "/", DashboardAssets::redirect);
    router.add(HttpMethod.GET, "/dashboard", DashboardAssets::redirect);
    router.add(HttpMethod.GET, "/dashboard/*", assets::serve);
    router.add(HttpMethod.POST, "/dashboard/login", session::login);
    router.add(HttpMethod.GET, "/dashboard/session", session::session);
    router.add(HttpMethod.POST, "/dashboard/logout", session::logout);
  }

  /** The aggregate API under {@code base} ({@code /api/v1}, {@code /v1}). */
  static void mountApi(MoneyRoutes.Routes router, String base, Vertx vertx, Services services) {
    DashboardHandlers h = new DashboardHandlers(new ManagementCalls(vertx, services), services);
    router.add(HttpMethod.GET, base + "/dashboard/overview", MoneyRoutes.safe(h::overview));
    router.add(HttpMethod.GET, base + "/dashboard/generations", MoneyRoutes.safe(h::generations));
    router.add(
        HttpMethod.GET, base + "/dashboard/generations/:id", MoneyRoutes.safe(h::generation));
    router.add(HttpMethod.GET, base + "/dashboard/models", MoneyRoutes.safe(h::models));
  }
}
