package dev.switchboard.server.storage;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** {@link ActivityStore} in memory: the in-memory generation store feeds it every record. */
final class InMemoryActivity implements ActivityStore {

  private final Map<Rollup.Key, long[]> rollup = new HashMap<>();
  private final Map<String, App> apps = new ConcurrentHashMap<>();
  private final AtomicLong nextAppId = new AtomicLong(1);

  synchronized void add(GenerationRecord g) {
    Rollup.Key k = Rollup.key(g);
    if (k == null) {
      return;
    }
    Rollup.add(rollup.computeIfAbsent(k, x -> new long[Rollup.SIZE]), g);
    if (!k.referer().isEmpty()) {
      Instant at = g.createdAt();
      apps.compute(
          k.referer(),
          (r, old) ->
              old == null
                  ? new App(nextAppId.getAndIncrement(), r, g.appTitle(), at, at)
                  : new App(
                      old.id(),
                      r,
                      g.appTitle() != null ? g.appTitle() : old.title(),
                      old.firstSeen(),
                      at.isAfter(old.lastSeen()) ? at : old.lastSeen()));
    }
  }

  @Override
  public synchronized List<UsageRow> usage(LocalDate from, LocalDate to, String keyHash) {
    Map<List<Object>, long[]> grouped = new HashMap<>();
    for (Map.Entry<Rollup.Key, long[]> e : rollup.entrySet()) {
      Rollup.Key k = e.getKey();
      if (k.day().isBefore(from) || k.day().isAfter(to)) {
        continue;
      }
      if (keyHash != null && !keyHash.equals(k.keyHash())) {
        continue;
      }
      long[] sum =
          grouped.computeIfAbsent(
              List.of(k.day(), k.model(), k.providerName()), x -> new long[Rollup.SIZE]);
      for (int i = 0; i < Rollup.SIZE; i++) {
        sum[i] += e.getValue()[i];
      }
    }
    List<UsageRow> out = new ArrayList<>();
    grouped.forEach(
        (k, v) ->
            out.add(
                new UsageRow(
                    (LocalDate) k.get(0),
                    (String) k.get(1),
                    (String) k.get(2),
                    v[Rollup.REQUESTS],
                    v[Rollup.PROMPT],
                    v[Rollup.COMPLETION],
                    v[Rollup.REASONING],
                    Usd.fromNanos(v[Rollup.COST]),
                    Usd.fromNanos(v[Rollup.BYOK]))));
    out.sort(ActivityOrder.USAGE);
    return out;
  }

  @Override
  public synchronized List<AppUsageRow> rankings(LocalDate from, LocalDate to) {
    Map<List<Object>, long[]> grouped = new HashMap<>();
    for (Map.Entry<Rollup.Key, long[]> e : rollup.entrySet()) {
      Rollup.Key k = e.getKey();
      if (k.referer().isEmpty() || k.day().isBefore(from) || k.day().isAfter(to)) {
        continue;
      }
      long[] sum =
          grouped.computeIfAbsent(
              List.of(k.day(), k.referer(), k.model()), x -> new long[Rollup.SIZE]);
      for (int i = 0; i < Rollup.SIZE; i++) {
        sum[i] += e.getValue()[i];
      }
    }
    List<AppUsageRow> out = new ArrayList<>();
    grouped.forEach(
        (k, v) -> {
          App app = apps.get((String) k.get(1));
          out.add(
              new AppUsageRow(
                  (LocalDate) k.get(0),
                  app.id(),
                  app.referer(),
                  app.title(),
                  (String) k.get(2),
                  v[Rollup.REQUESTS],
                  v[Rollup.PROMPT],
                  v[Rollup.COMPLETION]));
        });
    out.sort(ActivityOrder.RANKINGS);
    return out;
  }

  @Override
  public List<App> apps() {
    return apps.values().stream().sorted(Comparator.comparingLong(App::id)).toList();
  }

  @Override
  public Optional<App> app(String referer) {
    return referer == null ? Optional.empty() : Optional.ofNullable(apps.get(referer));
  }
}
