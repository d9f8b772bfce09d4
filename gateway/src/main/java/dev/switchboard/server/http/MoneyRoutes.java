package dev.switchboard.server.http;

import dev.switchboard.server.pipeline.Services;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;

/**
 * The routes of credits, management keys, guardrails, budgets, activity and apps (issue 11), under
 * one base path. Every one needs a management key.
 */
final class MoneyRoutes {

  private MoneyRoutes() {}

  /** Renders an error thrown while a handler reads its path or query, instead of a bare 500. */
  static Handler<RoutingContext> safe(Handler<RoutingContext> handler) {
    return ctx -> {
      try {
        handler.handle(ctx);
      } catch (RuntimeException e) {
        ErrorRenderer.render(ctx.response(), ErrorRenderer.from(e));
      }
    };
  }

  /** Where a route goes: the verticle's router, recording the method for 405 answers. */
  interface Routes {
    void add(HttpMethod method, String path, Handler<RoutingContext> handler);
  }

  static void mount(Routes router, String base, Vertx vertx, Services services) {
    ManagementCalls calls = new ManagementCalls(vertx, services);
    CreditsHandlers credits = new CreditsHandlers(calls, services);
    ManagementKeysHandlers managementKeys = new ManagementKeysHandlers(calls, services);
    GuardrailsHandlers guardrails = new GuardrailsHandlers(calls, services);
    BudgetsHandlers budgets = new BudgetsHandlers(calls, services);
    ActivityHandlers activity = new ActivityHandlers(calls, services);

    router.add(HttpMethod.GET, base + "/credits", safe(credits::get));
    router.add(HttpMethod.POST, base + "/credits", safe(credits::add));
    router.add(HttpMethod.GET, base + "/credits/ledger", safe(credits::ledger));

    router.add(HttpMethod.GET, base + "/management-keys", safe(managementKeys::list));
    router.add(HttpMethod.POST, base + "/management-keys", safe(managementKeys::create));
    router.add(HttpMethod.DELETE, base + "/management-keys/:hash", safe(managementKeys::revoke));

    router.add(HttpMethod.GET, base + "/guardrails", safe(guardrails::list));
    router.add(HttpMethod.POST, base + "/guardrails", safe(guardrails::create));
    router.add(HttpMethod.GET, base + "/guardrails/:id", safe(guardrails::get));
    router.add(HttpMethod.PATCH, base + "/guardrails/:id", safe(guardrails::update));
    router.add(HttpMethod.DELETE, base + "/guardrails/:id", safe(guardrails::delete));
    router.add(HttpMethod.GET, base + "/guardrails/:id/assignments/keys", safe(guardrails::keys));
    router.add(
        HttpMethod.POST, base + "/guardrails/:id/assignments/keys", safe(guardrails::assign));
    router.add(
        HttpMethod.POST,
        base + "/guardrails/:id/assignments/keys/remove",
        safe(guardrails::unassign));

    router.add(HttpMethod.GET, base + "/budgets", safe(budgets::list));
    router.add(HttpMethod.GET, base + "/budgets/:scope/:subject", safe(budgets::get));
    router.add(HttpMethod.PUT, base + "/budgets/:scope/:subject", safe(budgets::put));
    router.add(HttpMethod.DELETE, base + "/budgets/:scope/:subject", safe(budgets::delete));

    router.add(HttpMethod.GET, base + "/activity", safe(activity::activity));
    router.add(HttpMethod.GET, base + "/apps", safe(activity::apps));
    router.add(HttpMethod.GET, base + "/apps/rankings", safe(activity::rankings));
  }
}
