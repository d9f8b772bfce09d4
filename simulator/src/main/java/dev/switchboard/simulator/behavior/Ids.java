package dev.switchboard.simulator.behavior;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Seeded identifiers: the n-th id of a simulator with a given seed is always the same, so a test
 * that sends requests one after another sees a stable sequence. Thread-safe.
 */
public final class Ids {

  private static final char[] BASE62 =
      "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".toCharArray();
  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private final long seed;
  private final AtomicLong counter = new AtomicLong();

  public Ids(long seed) {
    this.seed = seed;
  }

  /** {@code prefix} followed by {@code length} base-62 characters. */
  public String next(String prefix, int length) {
    long state = splitMix(seed + counter.incrementAndGet() * 0x9E3779B97F4A7C15L);
    char[] out = new char[prefix.length() + length];
    prefix.getChars(0, prefix.length(), out, 0);
    long bits = 0;
    int left = 0;
    for (int i = prefix.length(); i < out.length; i++) {
      if (left < 6) {
        state += 0x9E3779B97F4A7C15L;
        bits = splitMix(state);
        left = 64;
      }
      out[i] = BASE62[(int) Long.remainderUnsigned(bits & 0x3F, 62)];
      bits >>>= 6;
      left -= 6;
    }
    return new String(out);
  }

  /** A stable {@code fp_} plus 10 hex digits for this seed and {@code model}. */
  public String fingerprint(String model) {
    long bits = splitMix(seed ^ (model == null ? 0 : model.hashCode()) * 31L);
    char[] out = new char[10];
    for (int i = 0; i < out.length; i++) {
      out[i] = HEX[(int) (bits >>> (i * 4)) & 0xF];
    }
    return "fp_" + new String(out);
  }

  /** Restarts the sequence. */
  public void reset() {
    counter.set(0);
  }

  private static long splitMix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
