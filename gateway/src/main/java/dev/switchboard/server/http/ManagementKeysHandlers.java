package dev.switchboard.server.http;

import dev.switchboard.core.error.GatewayException;
import dev.switchboard.server.pipeline.Services;
import dev.switchboard.server.storage.ApiKey;
import dev.switchboard.server.storage.KeyKind;
import dev.switchboard.server.storage.Keys;
import dev.switchboard.server.storage.NewKey;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Management keys ({@code /management-keys}): list, create (the plaintext is in the answer once and
 * nowhere else, never in a log), revoke. The last active management key cannot be revoked, so the
 * gateway can never lock its operator out. Rotation: create a new key, move every client to it,
 * revoke the old one (docs/limits.md).
 */
final class ManagementKeysHandlers {

  private final ManagementCalls calls;
  private final Services services;

  ManagementKeysHandlers(ManagementCalls calls, Services services) {
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
                .compose(
                    k ->
                        calls.blocking(
                            () ->
                                Map.of(
                                    "data",
                                    all().stream().map(ManagementKeysHandlers::data).toList()))));
  }

  void create(RoutingContext ctx) {
    calls.reply(
        ctx,
        201,
        () ->
            calls
                .withBody(ctx, Set.of("name"))
                .compose(
                    call -> {
                      String name = ManagementCalls.text(call.body(), "name", 200, true);
                      return calls.blocking(
                          () -> {
                            String plaintext = Keys.generateManagementKey();
                            ApiKey created =
                                services
                                    .storage()
                                    .keys()
                                    .create(NewKey.of(plaintext, name, KeyKind.MANAGEMENT));
                            services.authenticator().invalidate(created.hash());
                            Map<String, Object> out = new LinkedHashMap<>();
                            out.put("data", data(created));
                            out.put("key", plaintext);
                            return out;
                          });
                    }));
  }

  void revoke(RoutingContext ctx) {
    String hash = ctx.pathParam("hash");
    calls.reply(
        ctx,
        200,
        () ->
            calls
                .caller(ctx)
                .compose(
                    caller ->
                        calls.blocking(
                            () -> {
                              synchronized (ManagementKeysHandlers.class) {
                                ApiKey key =
                                    services
                                        .storage()
                                        .keys()
                                        .findByHash(hash)
                                        .filter(k -> k.kind() == KeyKind.MANAGEMENT)
                                        .orElseThrow(
                                            () -> ManagementCalls.notFound("Management key"));
                                long active =
                                    all().stream()
                                        .filter(k -> k.isActive(services.clock().instant()))
                                        .count();
                                if (active <= 1 && key.isActive(services.clock().instant())) {
                                  throw GatewayException.invalid(
                                      "This is the last active management key; create another"
                                          + " before revoking it");
                                }
                                services.storage().keys().delete(key.hash());
                                services.authenticator().invalidate(key.hash());
                                return Map.of("deleted", true);
                              }
                            })));
  }

  private List<ApiKey> all() {
    List<ApiKey> out = new ArrayList<>();
    for (int offset = 0; ; offset += 100) {
      List<ApiKey> page = services.storage().keys().list(offset, 100, true);
      for (ApiKey k : page) {
        if (k.kind() == KeyKind.MANAGEMENT) {
          out.add(k);
        }
      }
      if (page.size() < 100) {
        return out;
      }
    }
  }

  private static Map<String, Object> data(ApiKey k) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("hash", k.hash());
    m.put("name", k.name());
    m.put("label", k.label());
    m.put("disabled", k.disabled());
    m.put("created_at", KeysHandlers.timestamp(k.createdAt()));
    m.put("updated_at", KeysHandlers.timestamp(k.updatedAt()));
    m.put("expires_at", KeysHandlers.timestamp(k.expiresAt()));
    return m;
  }
}
