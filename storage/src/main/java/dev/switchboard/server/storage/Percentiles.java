package dev.switchboard.server.storage;

import java.util.Map;
import java.util.TreeMap;

/** Exact nearest-rank percentiles of a latency histogram (value in ms → count). */
final class Percentiles {

  private final TreeMap<Long, Long> counts = new TreeMap<>();
  private long total;

  void add(long valueMs, long count) {
    counts.merge(valueMs, count, Long::sum);
    total += count;
  }

  /** The smallest value at or below which {@code q} of the values lie; null when empty. */
  Long at(double q) {
    if (total == 0) {
      return null;
    }
    long rank = Math.max(1, (long) Math.ceil(q * total));
    long seen = 0;
    for (Map.Entry<Long, Long> e : counts.entrySet()) {
      seen += e.getValue();
      if (seen >= rank) {
        return e.getKey();
      }
    }
    return counts.lastKey();
  }
}
