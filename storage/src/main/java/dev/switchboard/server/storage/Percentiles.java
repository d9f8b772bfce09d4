package dev.switchboard.server.storage;

import java.util.Arrays;

/**
 * Exact nearest-rank percentiles of a latency histogram (value in ms → count).
 *
 * <p>Kept as packed {@code long}s (the value in the high 32 bits, the count in the low 32), sorted
 * and merged only when a percentile is asked for or the array fills: a 7-day overview folds about
 * 130,000 histogram rows, which a {@code TreeMap} of boxed values made the call's main cost.
 */
final class Percentiles {

  private static final long COUNT_MASK = 0xFFFF_FFFFL;

  private long[] entries = new long[16];
  private int size;
  private boolean merged = true;
  private long total;

  void add(long valueMs, long count) {
    if (count <= 0) {
      return; // no weight: it can never be a percentile
    }
    // a latency beyond 2^31 ms (24 days) cannot occur; clamped so the packing stays ordered
    long value = Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, valueMs));
    total += count;
    while (count > 0) {
      long part = Math.min(count, COUNT_MASK);
      append((value << 32) | part);
      count -= part;
    }
  }

  private void append(long packed) {
    if (size == entries.length) {
      if (size >= 4096) {
        merge(); // repeated values (one per generation in memory) fold together
      }
      if (size * 2 > entries.length) {
        entries = Arrays.copyOf(entries, entries.length * 2);
      }
    }
    entries[size++] = packed;
    merged = false;
  }

  /** Sorts by value and adds up the counts of equal values (a sum past 32 bits stays split). */
  private void merge() {
    if (merged) {
      return;
    }
    Arrays.sort(entries, 0, size);
    int out = 0;
    for (int i = 0; i < size; i++) {
      long e = entries[i];
      if (out > 0) {
        long last = entries[out - 1];
        long sum = (last & COUNT_MASK) + (e & COUNT_MASK);
        if ((last >> 32) == (e >> 32) && sum <= COUNT_MASK) {
          entries[out - 1] = (last & ~COUNT_MASK) | sum;
          continue;
        }
      }
      entries[out++] = e;
    }
    size = out;
    merged = true;
  }

  /** The smallest value at or below which {@code q} of the values lie; null when empty. */
  Long at(double q) {
    if (total == 0) {
      return null;
    }
    merge();
    long rank = Math.max(1, (long) Math.ceil(q * total));
    long seen = 0;
    for (int i = 0; i < size; i++) {
      seen += entries[i] & COUNT_MASK;
      if (seen >= rank) {
        return entries[i] >> 32;
      }
    }
    return entries[size - 1] >> 32;
  }
}
