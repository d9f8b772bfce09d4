package dev.switchboard.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.api.json.ApiJson;
import dev.switchboard.core.error.FailureClass;
import dev.switchboard.core.error.GatewayError;
import dev.switchboard.core.error.GatewayException;
import dev.switchboard.server.pipeline.Services;
import dev.switchboard.server.plugins.Presets;
import dev.switchboard.server.storage.Preset;
import io.vertx.ext.web.RoutingContext;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The preset management API (management key): {@code POST /presets} ({@code {slug, name?,
 * description?, config}}) and {@code POST /presets/:slug/chat/completions} (an inference body whose
 * request fields become the config; {@code messages} other than system ones, {@code prompt} and
 * {@code stream} are left out, the system messages become the {@code system_prompt}) each add the
 * next version; {@code GET /presets}, {@code /presets/:slug}, {@code /presets/:slug/versions} and
 * {@code /presets/:slug/versions/:version} read them.
 */
final class PresetsHandlers {

  private static final Set<String> FIELDS = Set.of("slug", "name", "description", "config");
  private static final Set<String> TRANSIENT = Set.of("messages", "prompt", "stream", "preset");

  private final ManagementCalls calls;
  private final Services services;

  PresetsHandlers(ManagementCalls calls, Services services) {
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
                            services.storage().presets().list().stream()
                                .map(PresetsHandlers::data)
                                .toList())));
  }

  void get(RoutingContext ctx) {
    String slug = ctx.pathParam("slug");
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
                                    .presets()
                                    .latest(slug)
                                    .orElseThrow(() -> notFound(slug))))));
  }

  void versions(RoutingContext ctx) {
    String slug = ctx.pathParam("slug");
    calls.reply(
        ctx,
        200,
        () ->
            calls
                .caller(ctx)
                .map(
                    k -> {
                      var versions = services.storage().presets().versions(slug);
                      if (versions.isEmpty()) {
                        throw notFound(slug);
                      }
                      return Map.of("data", versions.stream().map(PresetsHandlers::data).toList());
                    }));
  }

  void version(RoutingContext ctx) {
    String slug = ctx.pathParam("slug");
    String v = ctx.pathParam("version");
    calls.reply(
        ctx,
        200,
        () ->
            calls
                .caller(ctx)
                .map(
                    k -> {
                      int version;
                      try {
                        version = Integer.parseInt(v);
                      } catch (NumberFormatException e) {
                        throw GatewayException.invalid("a preset version is a whole number");
                      }
                      return Map.of(
                          "data",
                          data(
                              services
                                  .storage()
                                  .presets()
                                  .version(slug, version)
                                  .orElseThrow(() -> notFound(slug + " version " + v))));
                    }));
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
                      String slug =
                          Presets.checkSlug(ManagementCalls.text(call.body(), "slug", 64, true));
                      String name = ManagementCalls.text(call.body(), "name", 200, false);
                      String description =
                          ManagementCalls.text(call.body(), "description", 2000, false);
                      ObjectNode config = Presets.checkConfig(call.body().get("config"));
                      return calls.blocking(
                          () ->
                              Map.of(
                                  "data",
                                  data(
                                      services
                                          .storage()
                                          .presets()
                                          .add(slug, name, description, config))));
                    }));
  }

  /** An inference body turned into the next version of {@code :slug}. */
  void fromChat(RoutingContext ctx) {
    String slug = ctx.pathParam("slug");
    calls.reply(
        ctx,
        201,
        () ->
            calls
                .withBody(ctx, null)
                .compose(
                    call -> {
                      Presets.checkSlug(slug);
                      ObjectNode config = ApiJson.object();
                      StringBuilder system = new StringBuilder();
                      call.body()
                          .fields()
                          .forEachRemaining(
                              e -> {
                                if (e.getKey().equals("messages")) {
                                  for (JsonNode m : e.getValue()) {
                                    String role = m.path("role").asText();
                                    if (role.equals("system") || role.equals("developer")) {
                                      if (!system.isEmpty()) {
                                        system.append("\n\n");
                                      }
                                      system.append(m.path("content").asText());
                                    }
                                  }
                                } else if (!TRANSIENT.contains(e.getKey())) {
                                  config.set(e.getKey(), e.getValue());
                                }
                              });
                      if (!system.isEmpty()) {
                        config.put("system_prompt", system.toString());
                      }
                      Presets.checkConfig(config);
                      return calls.blocking(
                          () ->
                              Map.of(
                                  "data",
                                  data(
                                      services.storage().presets().add(slug, null, null, config))));
                    }));
  }

  private static Map<String, Object> data(Preset p) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("id", p.id());
    out.put("slug", p.slug());
    out.put("version", p.version());
    out.put("name", p.name());
    out.put("description", p.description());
    out.put("config", p.config());
    out.put("created_at", p.createdAt().toString());
    return out;
  }

  private static GatewayException notFound(String what) {
    return new GatewayException(
        GatewayError.of(FailureClass.NOT_FOUND, 404, "Preset " + what + " not found")
            .withMetadata("error_type", "not_found"));
  }
}
