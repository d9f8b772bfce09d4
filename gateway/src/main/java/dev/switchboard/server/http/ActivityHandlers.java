package dev.switchboard.server.http;

import dev.switchboard.api.keys.ActivityRow;
import dev.switchboard.core.error.GatewayException;
import dev.switchboard.server.pipeline.Services;
import dev.switchboard.server.storage.App;
import dev.switchboard.server.storage.AppUsageRow;
import dev.switchboard.server.storage.Keys;
import dev.switchboard.server.storage.UsageRow;
import io.vertx.ext.web.RoutingContext;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * {@code GET /activity} (checklist 131): usage per UTC day, model and provider over the last 30
 * completed days, optionally one day and one key; and the apps ({@code GET /apps}) with their
 * rankings ({@code GET /apps/rankings}: tokens per app and model per day). Read from the usage
 * roll-up, never from the generation records. Management keys only.
 */
final class ActivityHandlers {

  static final int DAYS = 30;

  private final ManagementCalls calls;
  private final Services services;

  ActivityHandlers(ManagementCalls calls, Services services) {
    this.calls = calls;
    this.services = services;
  }

  void activity(RoutingContext ctx) {
    calls.reply(
        ctx,
        200,
        () -> {
          onlyParams(ctx, Set.of("date", "api_key_hash"));
          LocalDate today = today();
          LocalDate from = today.minusDays(DAYS);
          LocalDate to = today.minusDays(1);
          String date = ctx.request().getParam("date");
          if (date != null) {
            LocalDate day = day(date);
            if (day.isBefore(from) || day.isAfter(to)) {
              throw GatewayException.invalid(
                  "date must be one of the last "
                      + DAYS
                      + " completed UTC days ("
                      + from
                      + " to "
                      + to
                      + "), was "
                      + date);
            }
            from = day;
            to = day;
          }
          String key = ctx.request().getParam("api_key_hash");
          if (key != null && !Keys.isHash(key)) {
            throw GatewayException.invalid("api_key_hash must be 64 hex characters");
          }
          LocalDate first = from;
          LocalDate last = to;
          String hash = key == null ? null : key.toLowerCase(Locale.ROOT);
          return calls
              .caller(ctx)
              .compose(
                  k ->
                      calls.blocking(
                          () ->
                              Map.of(
                                  "data",
                                  services.storage().activity().usage(first, last, hash).stream()
                                      .map(ActivityHandlers::row)
                                      .toList())));
        });
  }

  void apps(RoutingContext ctx) {
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
                                    services.storage().activity().apps().stream()
                                        .map(ActivityHandlers::app)
                                        .toList()))));
  }

  void rankings(RoutingContext ctx) {
    calls.reply(
        ctx,
        200,
        () -> {
          onlyParams(ctx, Set.of("date"));
          LocalDate today = today();
          LocalDate from = today.minusDays(DAYS);
          LocalDate to = today;
          String date = ctx.request().getParam("date");
          if (date != null) {
            LocalDate day = day(date);
            if (day.isBefore(from) || day.isAfter(to)) {
              throw GatewayException.invalid(
                  "date must be within the last " + DAYS + " UTC days, was " + date);
            }
            from = day;
            to = day;
          }
          LocalDate first = from;
          LocalDate last = to;
          return calls
              .caller(ctx)
              .compose(
                  k ->
                      calls.blocking(
                          () ->
                              Map.of(
                                  "data",
                                  services.storage().activity().rankings(first, last).stream()
                                      .map(ActivityHandlers::ranking)
                                      .toList())));
        });
  }

  private LocalDate today() {
    return LocalDate.ofInstant(services.clock().instant(), ZoneOffset.UTC);
  }

  private static LocalDate day(String date) {
    try {
      return LocalDate.parse(date);
    } catch (DateTimeParseException e) {
      throw GatewayException.invalid("date must be YYYY-MM-DD, was " + date);
    }
  }

  private static void onlyParams(RoutingContext ctx, Set<String> allowed) {
    for (String name : ctx.queryParams().names()) {
      if (!allowed.contains(name)) {
        throw GatewayException.invalid(
            "\"" + name + "\" is not a query parameter of this endpoint; allowed: " + allowed);
      }
    }
  }

  private static ActivityRow row(UsageRow r) {
    return new ActivityRow(
        r.day().toString(),
        r.model(),
        r.model(),
        null,
        r.providerName(),
        CreditsHandlers.usd(r.usage()),
        CreditsHandlers.usd(r.byokUsage()),
        r.requests(),
        r.promptTokens(),
        r.completionTokens(),
        r.reasoningTokens(),
        null);
  }

  private static Map<String, Object> app(App a) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", a.id());
    m.put("referer", a.referer());
    m.put("title", a.title());
    m.put("first_seen_at", KeysHandlers.timestamp(a.firstSeen()));
    m.put("last_seen_at", KeysHandlers.timestamp(a.lastSeen()));
    return m;
  }

  private static Map<String, Object> ranking(AppUsageRow r) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("date", r.day().toString());
    m.put("app_id", r.appId());
    m.put("app_referer", r.referer());
    m.put("app_title", r.title());
    m.put("model", r.model());
    m.put("requests", r.requests());
    m.put("prompt_tokens", r.promptTokens());
    m.put("completion_tokens", r.completionTokens());
    m.put("total_tokens", r.totalTokens());
    return m;
  }
}
