package dev.switchboard.server.storage;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

/** {@link InsightStore} over the in-memory records: the same answers as {@link SqlInsights}. */
final class InMemoryInsights implements InsightStore {

  private static final Comparator<GenerationRecord> NEWEST_FIRST =
      Comparator.comparing(GenerationRecord::createdAt)
          .thenComparing(GenerationRecord::id)
          .reversed();

  private final Supplier<? extends Iterable<GenerationRecord>> records;

  InMemoryInsights(Supplier<? extends Iterable<GenerationRecord>> records) {
    this.records = records;
  }

  private static String group(GenerationRecord g, Dimension by) {
    String v =
        switch (by) {
          case MODEL -> g.model();
          case PROVIDER -> g.providerName();
          case KEY -> g.keyHash();
          case APP -> g.httpReferer();
        };
    return v == null ? "" : v;
  }

  private static long orZero(Long v) {
    return v == null ? 0 : v;
  }

  @Override
  public Overview overview(Instant from, Instant to, Bucket bucket, Dimension by) {
    long width = bucket.micros();
    Map<String, long[]> sums = new TreeMap<>();
    Map<Long, Percentiles> perBucket = new TreeMap<>();
    Map<Long, long[]> counts = new TreeMap<>();
    Percentiles all = new Percentiles();
    long requests = 0;
    long errors = 0;
    long cost = 0;
    long tokens = 0;
    for (GenerationRecord g : records.get()) {
      if (g.createdAt().isBefore(from) || !g.createdAt().isBefore(to)) {
        continue;
      }
      long b = SqlValues.micros(g.createdAt()) / width;
      int failed = g.errorStatus() == null ? 0 : 1;
      long nanos = Usd.toNanos(g.totalCost());
      long[] s =
          sums.computeIfAbsent(
              String.format("%020d", b) + "\u0000" + group(g, by),
              x -> new long[] {b, 0, 0, 0, 0, 0});
      s[1]++;
      s[2] += failed;
      s[3] += orZero(g.nativeTokensPrompt());
      s[4] += orZero(g.nativeTokensCompletion());
      s[5] += nanos;
      perBucket.computeIfAbsent(b, x -> new Percentiles()).add(g.latencyMs(), 1);
      long[] ne = counts.computeIfAbsent(b, x -> new long[2]);
      ne[0]++;
      ne[1] += failed;
      all.add(g.latencyMs(), 1);
      requests++;
      errors += failed;
      cost += nanos;
      tokens += orZero(g.nativeTokensPrompt()) + orZero(g.nativeTokensCompletion());
    }
    List<Point> points = new ArrayList<>();
    for (Map.Entry<String, long[]> e : sums.entrySet()) {
      long[] s = e.getValue();
      String g = e.getKey().substring(e.getKey().indexOf('\u0000') + 1);
      points.add(
          new Point(
              SqlValues.instant(s[0] * width), g, s[1], s[2], s[3], s[4], Usd.fromNanos(s[5])));
    }
    List<Latency> latency = new ArrayList<>();
    for (Map.Entry<Long, Percentiles> e : perBucket.entrySet()) {
      long[] ne = counts.get(e.getKey());
      latency.add(
          new Latency(
              SqlValues.instant(e.getKey() * width),
              ne[0],
              ne[1],
              e.getValue().at(0.5),
              e.getValue().at(0.95)));
    }
    return new Overview(
        points,
        latency,
        new Latency(null, requests, errors, all.at(0.5), all.at(0.95)),
        Usd.fromNanos(cost),
        tokens);
  }

  @Override
  public Page generations(Filter f, Cursor after, int limit) {
    List<GenerationRecord> matching = new ArrayList<>();
    for (GenerationRecord g : records.get()) {
      if ((f.keyHash() == null || f.keyHash().equals(g.keyHash()))
          && (f.model() == null || f.model().equals(g.model()))
          && (f.provider() == null || f.provider().equals(g.providerName()))
          && (f.failed() == null || f.failed() == (g.errorStatus() != null))
          && (f.from() == null || !g.createdAt().isBefore(f.from()))
          && (f.to() == null || g.createdAt().isBefore(f.to()))
          && (after == null
              || g.createdAt().isBefore(after.createdAt())
              || (g.createdAt().equals(after.createdAt()) && g.id().compareTo(after.id()) < 0))) {
        matching.add(g);
      }
    }
    matching.sort(NEWEST_FIRST);
    List<Summary> rows = new ArrayList<>();
    for (GenerationRecord g : matching.subList(0, Math.min(limit + 1, matching.size()))) {
      rows.add(
          new Summary(
              g.id(),
              g.createdAt(),
              g.keyHash(),
              g.model(),
              g.providerName(),
              g.errorStatus(),
              g.latencyMs(),
              g.totalCost(),
              g.nativeTokensPrompt(),
              g.nativeTokensCompletion(),
              g.streamed(),
              g.cancelled(),
              g.finishReason()));
    }
    return SqlInsights.page(rows, limit);
  }
}
