package dev.switchboard.server.routing;

import dev.switchboard.core.model.ProviderPreferences;
import dev.switchboard.server.routing.RoutePlanner.Ranked;
import dev.switchboard.server.stats.CircuitBreaker;
import dev.switchboard.server.stats.EndpointStats;
import dev.switchboard.server.stats.LiveStats;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * Orders the endpoints of a model (reference §6.1 to §6.5):
 *
 * <ol>
 *   <li>By {@code sort} when given: price ascending, throughput (p50, last 5 minutes) descending,
 *       latency (p50 time to first token) ascending; endpoints without data after those with.
 *       {@code exacto} (and the {@code :exacto} variant): the measured tool-call error rate of the
 *       last day ascending, smoothed as (bad + 1) / (answers + 2) so that an endpoint never
 *       measured ranks between those measured good and those measured bad; then price.
 *   <li>Otherwise price-weighted load balancing: endpoints without a significant outage in the last
 *       30 seconds are drawn at random without replacement with weight 1/price² (free endpoints
 *       first, uniformly); endpoints with an outage follow, cheapest first.
 *   <li>{@code provider.order} puts the named providers first, in that order; with {@code
 *       allow_fallbacks: false} nothing else is kept. Without an order, {@code allow_fallbacks:
 *       false} keeps only the first endpoint.
 *   <li>Endpoints that miss {@code preferred_min_throughput} or {@code preferred_max_latency} move
 *       to the end, keeping their relative order: they never fail a request.
 *   <li>Endpoints whose circuit breaker is open move to the very end: tried only if all else fails.
 * </ol>
 */
final class Ordering {

  static final long OUTAGE_WINDOW_MS = 30_000;
  static final int STATS_MINUTES = 5;

  /** The window of the tool-call error rate {@code exacto} orders by: a day. */
  static final int EXACTO_MINUTES = 24 * 60;

  private Ordering() {}

  static List<Ranked> order(
      List<Ranked> usable,
      ProviderPreferences prefs,
      String sort,
      LiveStats stats,
      long now,
      RandomGenerator random) {
    List<Ranked> list = new ArrayList<>(usable);
    if (list.isEmpty()) {
      return list;
    }
    if (sort == null) {
      list = weighted(list, stats, now, random);
    } else {
      sortBy(list, sort, stats, now);
    }
    if (prefs.hasOrder()) {
      List<Ranked> first = new ArrayList<>();
      for (String wanted : prefs.order()) {
        for (Ranked r : list) {
          if (!first.contains(r)
              && EndpointFilters.matches(
                  List.of(wanted),
                  r.endpoint(),
                  EndpointFilters.names(r.endpoint().provider(), r.provider().config().name()))) {
            r.note("provider.order");
            first.add(r);
          }
        }
      }
      if (prefs.allowFallbacks()) {
        for (Ranked r : list) {
          if (!first.contains(r)) {
            first.add(r);
          }
        }
      }
      list = first;
    } else if (!prefs.allowFallbacks() && list.size() > 1) {
      list = new ArrayList<>(list.subList(0, 1));
      list.getFirst().note("allow_fallbacks: false");
    }
    demote(list, r -> !meetsPreferences(r, prefs, stats, now), "below preferred performance");
    demote(
        list,
        r ->
            stats.of(r.ref().model().id(), r.endpoint().provider()).breakerState(now)
                == CircuitBreaker.State.OPEN,
        "circuit open");
    return list;
  }

  /** Moves the sticky provider, if it is still a candidate, to the front. */
  static void stick(List<Ranked> list, String providerSlug) {
    if (providerSlug == null) {
      return;
    }
    for (int i = 0; i < list.size(); i++) {
      Ranked r = list.get(i);
      if (r.endpoint().provider().equals(providerSlug) && hasCachePricing(r)) {
        list.remove(i);
        list.addFirst(r);
        r.note("sticky session");
        return;
      }
    }
  }

  static boolean hasCachePricing(Ranked r) {
    var p = r.endpoint().pricing();
    return p.inputCacheRead() != null && p.inputCacheRead().compareTo(p.prompt()) < 0;
  }

  private static List<Ranked> weighted(
      List<Ranked> list, LiveStats stats, long now, RandomGenerator random) {
    List<Ranked> free = new ArrayList<>();
    List<Ranked> paid = new ArrayList<>();
    List<Ranked> unstable = new ArrayList<>();
    for (Ranked r : list) {
      EndpointStats s = stats.of(r.ref().model().id(), r.endpoint().provider());
      if (s.recentOutage(now, OUTAGE_WINDOW_MS)) {
        r.note("recent outage");
        unstable.add(r);
      } else if (r.price() <= 0) {
        free.add(r);
      } else {
        paid.add(r);
      }
    }
    List<Ranked> out = new ArrayList<>(list.size());
    while (!free.isEmpty()) {
      out.add(free.remove(random.nextInt(free.size())));
    }
    double total = 0;
    for (Ranked r : paid) {
      double w = 1.0 / (r.price() * r.price());
      total += w;
      r.weight(w);
    }
    for (Ranked r : paid) {
      r.weight(r.weight() / total);
    }
    while (!paid.isEmpty()) {
      double sum = 0;
      for (Ranked r : paid) {
        sum += r.weight();
      }
      double pick = random.nextDouble() * sum;
      int chosen = paid.size() - 1;
      for (int i = 0; i < paid.size(); i++) {
        pick -= paid.get(i).weight();
        if (pick < 0) {
          chosen = i;
          break;
        }
      }
      out.add(paid.remove(chosen));
    }
    unstable.sort(Comparator.comparingDouble(Ranked::price));
    out.addAll(unstable);
    return out;
  }

  private static void sortBy(List<Ranked> list, String sort, LiveStats stats, long now) {
    switch (sort) {
      case "price" -> list.sort(Comparator.comparingDouble(Ranked::price));
      case "throughput" ->
          list.sort(
              Comparator.comparingDouble(
                      (Ranked r) ->
                          -p50(
                              stats
                                  .of(r.ref().model().id(), r.endpoint().provider())
                                  .throughput(now, STATS_MINUTES),
                              -1))
                  .thenComparingDouble(Ranked::price));
      case "latency" ->
          list.sort(
              Comparator.comparingDouble(
                      (Ranked r) ->
                          p50(
                              stats
                                  .of(r.ref().model().id(), r.endpoint().provider())
                                  .ttftMs(now, STATS_MINUTES),
                              Double.MAX_VALUE))
                  .thenComparingDouble(Ranked::price));
      case "exacto" ->
          list.sort(
              Comparator.comparingDouble((Ranked r) -> toolCallErrorScore(r, stats, now))
                  .thenComparingDouble(Ranked::price));
      default -> throw new IllegalArgumentException("unknown sort " + sort);
    }
    for (Ranked r : list) {
      r.note("sort: " + sort);
    }
  }

  /** (bad tool-call answers + 1) / (tool-call answers + 2) over the last day. */
  static double toolCallErrorScore(Ranked r, LiveStats stats, long now) {
    long[] c =
        stats.of(r.ref().model().id(), r.endpoint().provider()).toolCallCounts(now, EXACTO_MINUTES);
    return (c[1] + 1.0) / (c[0] + 2.0);
  }

  /**
   * {@code service_tier: priority}: the priority-tier endpoints first, highest p50 throughput first
   * (those without data after), the others after them in their order.
   */
  static void priorityFirst(List<Ranked> list, LiveStats stats, long now) {
    List<Ranked> priority = new ArrayList<>();
    for (Ranked r : list) {
      if (ServiceTiers.of(r.endpoint()).equals(ServiceTiers.PRIORITY)) {
        priority.add(r);
      }
    }
    if (priority.isEmpty()) {
      return;
    }
    priority.sort(
        Comparator.comparingDouble(
            (Ranked r) ->
                -p50(
                    stats
                        .of(r.ref().model().id(), r.endpoint().provider())
                        .throughput(now, STATS_MINUTES),
                    -1)));
    list.removeAll(priority);
    for (Ranked r : priority) {
      r.note("service_tier: priority");
    }
    list.addAll(0, priority);
  }

  private static double p50(Map<String, Double> percentiles, double missing) {
    Double v = percentiles.get("p50");
    return v == null ? missing : v;
  }

  /** Every given percentile must pass; endpoints without data pass. */
  private static boolean meetsPreferences(
      Ranked r, ProviderPreferences prefs, LiveStats stats, long now) {
    if (prefs.minThroughput().isEmpty() && prefs.maxLatency().isEmpty()) {
      return true;
    }
    EndpointStats s = stats.of(r.ref().model().id(), r.endpoint().provider());
    Map<String, Double> tps = s.throughput(now, STATS_MINUTES);
    for (Map.Entry<String, Double> want : prefs.minThroughput().entrySet()) {
      Double have = tps.get(want.getKey());
      if (have != null && have < want.getValue()) {
        return false;
      }
    }
    Map<String, Double> ttft = s.ttftMs(now, STATS_MINUTES);
    for (Map.Entry<String, Double> want : prefs.maxLatency().entrySet()) {
      Double have = ttft.get(want.getKey());
      if (have != null && have / 1000.0 > want.getValue()) {
        return false;
      }
    }
    return true;
  }

  private static void demote(
      List<Ranked> list, java.util.function.Predicate<Ranked> test, String why) {
    List<Ranked> keep = new ArrayList<>(list.size());
    List<Ranked> back = new ArrayList<>();
    for (Ranked r : list) {
      if (test.test(r)) {
        r.note(why);
        back.add(r);
      } else {
        keep.add(r);
      }
    }
    if (!back.isEmpty()) {
      list.clear();
      list.addAll(keep);
      list.addAll(back);
    }
  }
}
