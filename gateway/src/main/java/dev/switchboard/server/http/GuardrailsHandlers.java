package dev.switchboard.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.core.error.GatewayException;
import dev.switchboard.server.pipeline.Services;
import dev.switchboard.server.storage.ApiKey;
import dev.switchboard.server.storage.Guardrail;
import dev.switchboard.server.storage.KeyKind;
import dev.switchboard.server.storage.Keys;
import io.vertx.ext.web.RoutingContext;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Guardrails ({@code /guardrails}, management keys only): create, read, update (partial), delete,
 * and assign to or remove from keys ({@code /guardrails/{id}/assignments/keys[/remove]}), in
 * OpenRouter's shape where it has one. A zero-data-retention rule is one flag, {@code enforce_zdr},
 * for every provider.
 */
final class GuardrailsHandlers {

  static final Set<String> FIELDS =
      Set.of(
          "name",
          "description",
          "limit_usd",
          "reset_interval",
          "include_byok_in_budgets",
          "allowed_models",
          "ignored_models",
          "allowed_providers",
          "ignored_providers",
          "enforce_zdr",
          "deny_data_collection");

  private final ManagementCalls calls;
  private final Services services;

  GuardrailsHandlers(ManagementCalls calls, Services services) {
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
                            services.storage().guardrails().list().stream()
                                .map(this::data)
                                .toList())));
  }

  void get(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    calls.reply(ctx, 200, () -> calls.caller(ctx).map(k -> Map.of("data", data(find(id)))));
  }

  void create(RoutingContext ctx) {
    calls.reply(
        ctx,
        201,
        () ->
            calls
                .withBody(ctx, FIELDS)
                .compose(
                    call -> {
                      Guardrail g =
                          merge(
                              call.body(),
                              new Guardrail(
                                  UUID.randomUUID().toString(),
                                  ManagementCalls.text(call.body(), "name", 200, true),
                                  null,
                                  null,
                                  null,
                                  false,
                                  null,
                                  null,
                                  null,
                                  null,
                                  false,
                                  false,
                                  services.clock().instant(),
                                  null),
                              null);
                      return calls.blocking(
                          () -> Map.of("data", data(services.storage().guardrails().put(g))));
                    }));
  }

  void update(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    calls.reply(
        ctx,
        200,
        () ->
            calls
                .withBody(ctx, FIELDS)
                .compose(
                    call ->
                        calls.blocking(
                            () -> {
                              Guardrail g =
                                  merge(call.body(), find(id), services.clock().instant());
                              return Map.of("data", data(services.storage().guardrails().put(g)));
                            })));
  }

  void delete(RoutingContext ctx) {
    String id = ctx.pathParam("id");
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
                              if (!services.storage().guardrails().delete(id)) {
                                throw ManagementCalls.notFound("Guardrail");
                              }
                              return Map.of("deleted", true);
                            })));
  }

  void keys(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    calls.reply(
        ctx,
        200,
        () ->
            calls
                .caller(ctx)
                .map(
                    k -> {
                      find(id);
                      List<Object> out = new ArrayList<>();
                      for (String hash : services.storage().guardrails().keys(id)) {
                        out.add(Map.of("key_hash", hash));
                      }
                      return Map.of("data", out);
                    }));
  }

  void assign(RoutingContext ctx) {
    assignment(ctx, true);
  }

  void unassign(RoutingContext ctx) {
    assignment(ctx, false);
  }

  private void assignment(RoutingContext ctx, boolean assign) {
    String id = ctx.pathParam("id");
    calls.reply(
        ctx,
        200,
        () ->
            calls
                .withBody(ctx, Set.of("key_hashes"))
                .compose(
                    call -> {
                      List<String> hashes = ManagementCalls.strings(call.body(), "key_hashes");
                      if (hashes == null || hashes.isEmpty()) {
                        throw GatewayException.invalid("key_hashes must be a non-empty array");
                      }
                      return calls.blocking(
                          () -> {
                            find(id);
                            for (String h : hashes) {
                              if (!Keys.isHash(h)
                                  || services
                                      .storage()
                                      .keys()
                                      .findByHash(h)
                                      .map(ApiKey::kind)
                                      .filter(kind -> kind == KeyKind.INFERENCE)
                                      .isEmpty()) {
                                throw GatewayException.invalid(
                                    "key_hashes: " + h + " is not the hash of an inference key");
                              }
                            }
                            if (assign) {
                              int n = services.storage().guardrails().assign(id, hashes);
                              return Map.of("assigned_count", n);
                            }
                            int n = services.storage().guardrails().unassign(id, hashes);
                            return Map.of("unassigned_count", n);
                          });
                    }));
  }

  private Guardrail find(String id) {
    return services
        .storage()
        .guardrails()
        .find(id)
        .orElseThrow(() -> ManagementCalls.notFound("Guardrail"));
  }

  /** {@code base} with every field {@code body} names; {@code now} is the update time, if any. */
  static Guardrail merge(ObjectNode body, Guardrail base, Instant now) {
    boolean hasLimit = body.has("limit_usd") && !body.get("limit_usd").isNull();
    if (hasLimit && !body.has("reset_interval") && base.limitUsd() == null) {
      throw GatewayException.invalid(
          "limit_usd must come with reset_interval (daily, weekly, monthly, or null for a budget"
              + " that never resets)");
    }
    BigDecimal limit =
        body.has("limit_usd") ? ManagementCalls.money(body, "limit_usd", false) : base.limitUsd();
    if (limit != null && limit.signum() < 0) {
      throw GatewayException.invalid("limit_usd must not be negative");
    }
    return new Guardrail(
        base.id(),
        body.has("name") ? ManagementCalls.text(body, "name", 200, true) : base.name(),
        body.has("description")
            ? ManagementCalls.text(body, "description", 1_000, false)
            : base.description(),
        limit,
        body.has("reset_interval")
            ? ManagementCalls.window(body, "reset_interval")
            : base.resetInterval(),
        pick(body, "include_byok_in_budgets", base.includeByokInBudgets()),
        lists(body, "allowed_models", base.allowedModels()),
        lists(body, "ignored_models", base.ignoredModels()),
        lists(body, "allowed_providers", base.allowedProviders()),
        lists(body, "ignored_providers", base.ignoredProviders()),
        pick(body, "enforce_zdr", base.enforceZdr()),
        pick(body, "deny_data_collection", base.denyDataCollection()),
        base.createdAt(),
        now);
  }

  private static boolean pick(JsonNode body, String field, boolean current) {
    Boolean v = ManagementCalls.bool(body, field);
    return v == null ? current : v;
  }

  private static List<String> lists(JsonNode body, String field, List<String> current) {
    return body.has(field) ? ManagementCalls.strings(body, field) : current;
  }

  private Map<String, Object> data(Guardrail g) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", g.id());
    m.put("name", g.name());
    m.put("description", g.description());
    m.put("limit_usd", CreditsHandlers.usd(g.limitUsd()));
    m.put("reset_interval", g.resetInterval());
    m.put("include_byok_in_budgets", g.includeByokInBudgets());
    m.put("allowed_models", g.allowedModels());
    m.put("ignored_models", g.ignoredModels());
    m.put("allowed_providers", g.allowedProviders());
    m.put("ignored_providers", g.ignoredProviders());
    m.put("enforce_zdr", g.enforceZdr());
    m.put("deny_data_collection", g.denyDataCollection());
    m.put("key_count", services.storage().guardrails().keys(g.id()).size());
    m.put("created_at", KeysHandlers.timestamp(g.createdAt()));
    m.put("updated_at", KeysHandlers.timestamp(g.updatedAt()));
    return m;
  }
}
