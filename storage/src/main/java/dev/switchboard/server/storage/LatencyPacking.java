package dev.switchboard.server.storage;

import java.io.ByteArrayOutputStream;

/**
 * A latency histogram packed into bytes for {@code dashboard_latency_packed} (V16, ADR 0013): the
 * number of distinct values, then for each value in ascending order its distance from the previous
 * value (from 0 for the first) and its count, every number an unsigned LEB128 varint. An hour of a
 * busy gateway (some hundreds of distinct milliseconds) packs into about a kilobyte.
 */
final class LatencyPacking {

  /** Receives a packed histogram's values in ascending order. */
  interface Sink {
    void add(long valueMs, long count);
  }

  private final ByteArrayOutputStream out = new ByteArrayOutputStream(256);
  private long last;
  private int entries;
  private final ByteArrayOutputStream body = new ByteArrayOutputStream(1024);

  /** Adds the next value, greater than the previous one, with its count. */
  void add(long valueMs, long count) {
    if (valueMs < 0 || count < 0 || (entries > 0 && valueMs <= last)) {
      throw new IllegalArgumentException(
          "histogram values must be non-negative and ascending: " + valueMs + " after " + last);
    }
    write(body, valueMs - (entries == 0 ? 0 : last));
    write(body, count);
    last = valueMs;
    entries++;
  }

  /** The packed histogram of the values added so far. */
  byte[] bytes() {
    out.reset();
    write(out, entries);
    out.writeBytes(body.toByteArray());
    return out.toByteArray();
  }

  /** Hands each value of {@code packed} with its count to {@code sink}, in ascending order. */
  static void unpack(byte[] packed, Sink sink) {
    int[] at = {0};
    long n = read(packed, at);
    long value = 0;
    for (long i = 0; i < n; i++) {
      value += read(packed, at);
      sink.add(value, read(packed, at));
    }
    if (at[0] != packed.length) {
      throw new IllegalArgumentException("a packed latency histogram has trailing bytes");
    }
  }

  private static void write(ByteArrayOutputStream out, long v) {
    while ((v & ~0x7FL) != 0) {
      out.write((int) ((v & 0x7F) | 0x80));
      v >>>= 7;
    }
    out.write((int) v);
  }

  private static long read(byte[] b, int[] at) {
    long v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (at[0] >= b.length) {
        throw new IllegalArgumentException("a packed latency histogram ends inside a number");
      }
      int x = b[at[0]++];
      v |= (long) (x & 0x7F) << shift;
      if ((x & 0x80) == 0) {
        return v;
      }
    }
    throw new IllegalArgumentException("a packed latency histogram has a number over 64 bits");
  }
}
