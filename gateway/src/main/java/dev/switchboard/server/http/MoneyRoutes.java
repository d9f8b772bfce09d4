package dev.switchboard.server.http;

import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * The routes of credits, management keys, guardrails, budgets, activity and apps (issue 11), under
 * one base path. Every one needs a management key.
 */
final class MoneyRoutes {

  private MoneyRoutes() {}

  /** Renders an error thrown while a handler reads its path or query, instead of a bare 500. */
  private static Handler<RoutingContext> safe(Handler<RoutingContext> handler) {
    return ctx -> {
      try {
        handler.handle(ctx);
      } catch (RuntimeException e) {
        ErrorRenderer.render(ctx.response(), ErrorRenderer.from(e));
      }
    };
  }

  static void mount(Router router, String base, Vertx vertx, Services services) {
    ManagementCalls calls = new ManagementCalls(vertx, services);
    CreditsHandlers credits = new CreditsHandlers(calls, services);
    ManagementKeysHandlers managementKeys = new ManagementKeysHandlers(calls, services);
    GuardrailsHandlers guardrails = new GuardrailsHandlers(calls, services);
    BudgetsHandlers budgets = new BudgetsHandlers(calls, services);
    ActivityHandlers activity = new ActivityHandlers(calls, services);

    router.get(base + "/credits").handler(safe(credits::get));
    router.post(base + "/credits").handler(safe(credits::add));
    router.get(base + "/credits/ledger").handler(safe(credits::ledger));

    router.get(base + "/management-keys").handler(safe(managementKeys::list));
    router.post(base + "/management-keys").handler(safe(managementKeys::create));
    router.delete(base + "/management-keys/:hash").handler(safe(managementKeys::revoke));

    router.get(base + "/guardrails").handler(safe(guardrails::list));
    router.post(base + "/guardrails").handler(safe(guardrails::create));
    router.get(base + "/guardrails/:id").handler(safe(guardrails::get));
    router.patch(base + "/guardrails/:id").handler(safe(guardrails::update));
    router.delete(base + "/guardrails/:id").handler(safe(guardrails::delete));
    router.get(base + "/guardrails/:id/assignments/keys").handler(safe(guardrails::keys));
    router.post(base + "/guardrails/:id/assignments/keys").handler(safe(guardrails::assign));
    router
        .post(base + "/guardrails/:id/assignments/keys/remove")
        .handler(safe(guardrails::unassign));

    router.get(base + "/budgets").handler(safe(budgets::list));
    router.get(base + "/budgets/:scope/:subject").handler(safe(budgets::get));
    router.put(base + "/budgets/:scope/:subject").handler(safe(budgets::put));
    router.delete(base + "/budgets/:scope/:subject").handler(safe(budgets::delete));

    router.get(base + "/activity").handler(safe(activity::activity));
    router.get(base + "/apps").handler(safe(activity::apps));
    router.get(base + "/apps/rankings").handler(safe(activity::rankings));
  }
}
