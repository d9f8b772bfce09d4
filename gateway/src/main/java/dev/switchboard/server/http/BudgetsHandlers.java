package dev.switchboard.server.http;

import dev.switchboard.core.error.GatewayException;
import dev.switchboard.server.pipeline.Services;
import dev.switchboard.server.storage.BudgetRule;
import dev.switchboard.server.storage.KeyUsage;
import io.vertx.ext.web.RoutingContext;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * End-user and session budgets ({@code /budgets/{scope}/{subject}}, management keys only): a USD
 * limit with an optional reset window per {@code user} value or {@code session_id}; subject {@code
 * *} is the default for every subject of the scope without a rule of its own.
 */
final class BudgetsHandlers {

  private final ManagementCalls calls;
  private final Services services;

  BudgetsHandlers(ManagementCalls calls, Services services) {
    this.calls = calls;
    this.services = services;
  }

  void list(RoutingContext ctx) {
    calls.reply(
        ctx,
        200,
        () ->
            calls
                .caller(ctx)
                .map(
                    k ->
                        Map.of(
                            "data",
                            services.storage().budgets().list().stream()
                                .map(this::data)
                                .toList())));
  }

  void get(RoutingContext ctx) {
    String scope = scope(ctx);
    String subject = ctx.pathParam("subject");
    calls.reply(
        ctx,
        200,
        () ->
            calls
                .caller(ctx)
                .map(
                    k ->
                        Map.of(
                            "data",
                            data(
                                services
                                    .storage()
                                    .budgets()
                                    .ruleFor(scope, subject)
                                    .orElseThrow(() -> ManagementCalls.notFound("Budget")),
                                subject))));
  }

  void put(RoutingContext ctx) {
    String scope = scope(ctx);
    String subject = ctx.pathParam("subject");
    calls.reply(
        ctx,
        200,
        () ->
            calls
                .withBody(ctx, Set.of("limit_usd", "reset_interval"))
                .compose(
                    call -> {
                      BudgetRule rule =
                          new BudgetRule(
                              scope,
                              subject,
                              ManagementCalls.money(call.body(), "limit_usd", true),
                              ManagementCalls.window(call.body(), "reset_interval"),
                              services.clock().instant());
                      return calls.blocking(
                          () -> Map.of("data", data(services.storage().budgets().put(rule))));
                    }));
  }

  void delete(RoutingContext ctx) {
    String scope = scope(ctx);
    String subject = ctx.pathParam("subject");
    calls.reply(
        ctx,
        200,
        () ->
            calls
                .caller(ctx)
                .compose(
                    k ->
                        calls.blocking(
                            () -> {
                              if (!services.storage().budgets().delete(scope, subject)) {
                                throw ManagementCalls.notFound("Budget");
                              }
                              return Map.of("deleted", true);
                            })));
  }

  private static String scope(RoutingContext ctx) {
    String scope = ctx.pathParam("scope");
    if (!BudgetRule.SCOPES.contains(scope)) {
      throw GatewayException.invalid("scope must be user or session, was " + scope);
    }
    return scope;
  }

  private Map<String, Object> data(BudgetRule r) {
    return data(r, r.subject());
  }

  /** The rule, and what {@code subject} (which may use the default rule) spent under it. */
  private Map<String, Object> data(BudgetRule r, String subject) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("scope", r.scope());
    m.put("subject", subject);
    m.put("rule_subject", r.subject());
    m.put("limit_usd", CreditsHandlers.usd(r.limitUsd()));
    m.put("reset_interval", r.resetInterval());
    if (!BudgetRule.DEFAULT_SUBJECT.equals(subject)) {
      KeyUsage spent = services.storage().budgets().spent(r.scope(), subject);
      BigDecimal inWindow = spent.inWindow(r.resetInterval(), false);
      BigDecimal left = r.limitUsd().subtract(inWindow);
      m.put("spend_usd", CreditsHandlers.usd(inWindow));
      m.put("remaining_usd", CreditsHandlers.usd(left.signum() < 0 ? BigDecimal.ZERO : left));
    }
    m.put("updated_at", KeysHandlers.timestamp(r.updatedAt()));
    return m;
  }
}
