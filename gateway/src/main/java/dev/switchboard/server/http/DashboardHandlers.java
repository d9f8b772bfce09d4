package dev.switchboard.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.api.json.ApiJson;
import dev.switchboard.core.error.GatewayException;
import dev.switchboard.server.pipeline.Services;
import dev.switchboard.server.storage.ApiKey;
import dev.switchboard.server.storage.GenerationRecord;
import dev.switchboard.server.storage.InsightStore;
import dev.switchboard.server.storage.InsightStore.Bucket;
import dev.switchboard.server.storage.InsightStore.Cursor;
import dev.switchboard.server.storage.InsightStore.Dimension;
import dev.switchboard.server.storage.InsightStore.Filter;
import dev.switchboard.server.storage.Keys;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The dashboard's aggregate endpoints (management keys, or the dashboard's session): {@code GET
 * /dashboard/overview} (spend, tokens, requests and errors per hour or day, split by model,
 * provider, key or app; latency percentiles), {@code GET /dashboard/generations} (the generation
 * log, filtered, paged by cursor) and {@code GET /dashboard/generations/:id} (one generation with
 * its attempts, routing trace, cost and timings). Answered from {@link InsightStore}'s indexed SQL,
 * never by loading records.
 */
final class DashboardHandlers {

  static final int MAX_PAGE = 200;

  /** The overview's windows and the bucket each is drawn with. */
  enum Range {
    H24("24h", Duration.ofHours(24), Bucket.HOUR),
    D7("7d", Duration.ofDays(7), Bucket.HOUR),
    D30("30d", Duration.ofDays(30), Bucket.DAY);

    final String wire;
    final Duration length;
    final Bucket bucket;

    Range(String wire, Duration length, Bucket bucket) {
      this.wire = wire;
      this.length = length;
      this.bucket = bucket;
    }

    static Range of(String s) {
      for (Range r : values()) {
        if (r.wire.equals(s)) {
          return r;
        }
      }
      throw GatewayException.invalid("range must be one of 24h, 7d, 30d, was " + s);
    }
  }

  private final ManagementCalls calls;
  private final Services services;

  DashboardHandlers(ManagementCalls calls, Services services) {
    this.calls = calls;
    this.services = services;
  }

  void overview(RoutingContext ctx) {
    calls.reply(
        ctx,
        200,
        () -> {
          onlyParams(ctx, Set.of("range", "by"));
          Range range = Range.of(ctx.request().getParam("range", "24h"));
          String byName = ctx.request().getParam("by", "model");
          Dimension by = dimension(byName);
          long width = range.bucket.micros() / 1_000;
          long now = services.clock().millis();
          // The window ends at the end of the current bucket, so the last bar is the current one.
          Instant to = Instant.ofEpochMilli((Math.floorDiv(now, width) + 1) * width);
          Instant from = to.minus(range.length);
          return calls
              .caller(ctx)
              .compose(
                  k ->
                      calls.blocking(
                          () -> {
                            InsightStore.Overview o =
                                services.storage().insights().overview(from, to, range.bucket, by);
                            Map<String, String> names = by == Dimension.KEY ? keyNames() : Map.of();
                            return Map.of("data", overview(range, byName, from, to, o, names));
                          }));
        });
  }

  void generations(RoutingContext ctx) {
    calls.reply(
        ctx,
        200,
        () -> {
          onlyParams(
              ctx, Set.of("key", "model", "provider", "status", "from", "to", "cursor", "limit"));
          String key = ctx.request().getParam("key");
          if (key != null && !Keys.isHash(key)) {
            throw GatewayException.invalid("key must be a key's hash (64 hex characters)");
          }
          String status = ctx.request().getParam("status");
          Boolean failed =
              status == null
                  ? null
                  : switch (status) {
                    case "ok" -> false;
                    case "error" -> true;
                    default -> throw GatewayException.invalid("status must be ok or error");
                  };
          Filter filter =
              new Filter(
                  key == null ? null : key.toLowerCase(Locale.ROOT),
                  blankToNull(ctx.request().getParam("model")),
                  blankToNull(ctx.request().getParam("provider")),
                  failed,
                  instant(ctx, "from"),
                  instant(ctx, "to"));
          String rawCursor = ctx.request().getParam("cursor");
          Cursor cursor;
          try {
            cursor = rawCursor == null ? null : Cursor.parse(rawCursor);
          } catch (IllegalArgumentException e) {
            throw GatewayException.invalid("cursor is not one this endpoint gave out");
          }
          int limit = limit(ctx);
          return calls
              .caller(ctx)
              .compose(
                  k ->
                      calls.blocking(
                          () -> {
                            InsightStore.Page page =
                                services.storage().insights().generations(filter, cursor, limit);
                            Map<String, String> names = keyNames();
                            Map<String, Object> out = new LinkedHashMap<>();
                            out.put(
                                "data", page.rows().stream().map(r -> summary(r, names)).toList());
                            out.put(
                                "next_cursor", page.next() == null ? null : page.next().toString());
                            return out;
                          }));
        });
  }

  void generation(RoutingContext ctx) {
    calls.reply(
        ctx,
        200,
        () -> {
          String id = ctx.pathParam("id");
          return calls
              .caller(ctx)
              .compose(
                  k ->
                      calls.blocking(
                          () -> {
                            GenerationRecord r =
                                services
                                    .storage()
                                    .generations()
                                    .find(id)
                                    .orElseThrow(
                                        () -> ManagementCalls.notFound("Generation " + id));
                            Map<String, Object> out = new LinkedHashMap<>();
                            out.put("data", GenerationHandler.data(r, null));
                            out.put("routing", json(r.routingTrace()));
                            out.put("key", keyNames().get(r.keyHash()));
                            if (r.errorStatus() != null) {
                              out.put(
                                  "error",
                                  Map.of(
                                      "status", r.errorStatus(),
                                      "message", String.valueOf(r.errorMessage())));
                            }
                            return out;
                          }));
        });
  }

  /**
   * Every endpoint of the catalogue with its prices (USD per million tokens) and what the router
   * sees of it now: time to first token p50 and p99 and throughput over the last 30 minutes, uptime
   * over the last 30 minutes and the last 24 hours, the breaker state. Endpoints whose provider is
   * not configured are listed as unavailable.
   */
  void models(RoutingContext ctx) {
    calls.reply(
        ctx,
        200,
        () ->
            calls
                .caller(ctx)
                .map(
                    k -> {
                      long now = services.stats().nowMs();
                      java.math.BigDecimal million = java.math.BigDecimal.valueOf(1_000_000);
                      List<Map<String, Object>> out = new java.util.ArrayList<>();
                      for (var m : services.catalog().models()) {
                        for (var e : m.endpoints()) {
                          Map<String, Object> n = new LinkedHashMap<>();
                          n.put("model", m.id());
                          n.put("name", m.name());
                          n.put("provider", e.provider());
                          var provider = services.config().providers().get(e.provider());
                          n.put("provider_name", provider == null ? e.provider() : provider.name());
                          boolean available = services.providers().get(e.provider()).isPresent();
                          n.put("available", available);
                          n.put("context_length", e.contextLength());
                          n.put(
                              "prompt_per_million",
                              CreditsHandlers.usd(e.pricing().prompt().multiply(million)));
                          n.put(
                              "completion_per_million",
                              CreditsHandlers.usd(e.pricing().completion().multiply(million)));
                          var st = services.stats().of(m.id(), e.provider());
                          Map<String, Double> ttft = st.ttftMs(now, 30);
                          n.put("latency_p50_ms", ttft.get("p50"));
                          n.put("latency_p99_ms", ttft.get("p99"));
                          n.put("throughput_p50", st.throughput(now, 30).get("p50"));
                          n.put("uptime_30m", st.uptime(now, 30));
                          n.put("uptime_24h", st.uptime(now, 24 * 60));
                          n.put(
                              "breaker",
                              available
                                  ? st.breakerState(now).name().toLowerCase(Locale.ROOT)
                                  : null);
                          out.add(n);
                        }
                      }
                      return Map.of("data", out);
                    }));
  }

  private static Map<String, Object> overview(
      Range range,
      String by,
      Instant from,
      Instant to,
      InsightStore.Overview o,
      Map<String, String> names) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("range", range.wire);
    m.put("bucket", range.bucket.name().toLowerCase(Locale.ROOT));
    m.put("by", by);
    m.put("from", KeysHandlers.timestamp(from));
    m.put("to", KeysHandlers.timestamp(to));
    Map<String, Object> totals = new LinkedHashMap<>();
    totals.put("requests", o.total().requests());
    totals.put("errors", o.total().errors());
    totals.put(
        "error_rate",
        o.total().requests() == 0 ? 0.0 : (double) o.total().errors() / o.total().requests());
    totals.put("cost", CreditsHandlers.usd(o.cost()));
    totals.put("tokens", o.tokens());
    totals.put("latency_p50_ms", o.total().p50Ms());
    totals.put("latency_p95_ms", o.total().p95Ms());
    m.put("totals", totals);
    m.put(
        "series",
        o.points().stream()
            .map(
                p -> {
                  Map<String, Object> n = new LinkedHashMap<>();
                  n.put("start", KeysHandlers.timestamp(p.start()));
                  n.put("group", p.group());
                  n.put("label", names.getOrDefault(p.group(), p.group()));
                  n.put("requests", p.requests());
                  n.put("errors", p.errors());
                  n.put("prompt_tokens", p.promptTokens());
                  n.put("completion_tokens", p.completionTokens());
                  n.put("cost", CreditsHandlers.usd(p.cost()));
                  return n;
                })
            .toList());
    m.put(
        "latency",
        o.latency().stream()
            .map(
                l -> {
                  Map<String, Object> n = new LinkedHashMap<>();
                  n.put("start", KeysHandlers.timestamp(l.start()));
                  n.put("requests", l.requests());
                  n.put("errors", l.errors());
                  n.put("p50_ms", l.p50Ms());
                  n.put("p95_ms", l.p95Ms());
                  return n;
                })
            .toList());
    return m;
  }

  private static Map<String, Object> summary(InsightStore.Summary r, Map<String, String> names) {
    Map<String, Object> n = new LinkedHashMap<>();
    n.put("id", r.id());
    n.put("created_at", KeysHandlers.timestamp(r.createdAt()));
    n.put("key_hash", r.keyHash());
    n.put("key", names.getOrDefault(r.keyHash(), r.keyHash().substring(0, 12)));
    n.put("model", r.model());
    n.put("provider_name", r.providerName());
    n.put("status", r.errorStatus() == null ? 200 : r.errorStatus());
    n.put("latency_ms", r.latencyMs());
    n.put("cost", CreditsHandlers.usd(r.cost()));
    n.put("tokens_prompt", r.promptTokens());
    n.put("tokens_completion", r.completionTokens());
    n.put("streamed", r.streamed());
    n.put("cancelled", r.cancelled());
    n.put("finish_reason", r.finishReason());
    return n;
  }

  /** Every key's hash → "name (label)", for charts and the log. A gateway has few keys. */
  private Map<String, String> keyNames() {
    Map<String, String> out = new HashMap<>();
    for (ApiKey k : services.storage().keys().list(0, 100_000, true)) {
      out.put(k.hash(), k.name() + " (" + k.label() + ")");
    }
    return out;
  }

  private static Dimension dimension(String s) {
    return switch (s) {
      case "model" -> Dimension.MODEL;
      case "provider" -> Dimension.PROVIDER;
      case "key" -> Dimension.KEY;
      case "app" -> Dimension.APP;
      default -> throw GatewayException.invalid("by must be one of model, provider, key, app");
    };
  }

  private static Instant instant(RoutingContext ctx, String name) {
    String v = ctx.request().getParam(name);
    if (v == null || v.isBlank()) {
      return null;
    }
    try {
      return OffsetDateTime.parse(v).toInstant();
    } catch (DateTimeParseException e) {
      throw GatewayException.invalid(
          name + " must be an ISO 8601 time with offset (2026-01-31T12:00:00Z), was " + v);
    }
  }

  private static int limit(RoutingContext ctx) {
    String raw = ctx.request().getParam("limit", "50");
    try {
      int n = Integer.parseInt(raw);
      if (n < 1 || n > MAX_PAGE) {
        throw GatewayException.invalid("limit must be between 1 and " + MAX_PAGE);
      }
      return n;
    } catch (NumberFormatException e) {
      throw GatewayException.invalid("limit must be a whole number");
    }
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s;
  }

  private static JsonNode json(String text) {
    if (text == null) {
      return null;
    }
    try {
      return ApiJson.tree(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    } catch (java.io.IOException e) {
      return null;
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
}
