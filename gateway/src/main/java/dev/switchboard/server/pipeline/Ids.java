package dev.switchboard.server.pipeline;

import java.security.SecureRandom;
import java.util.SplittableRandom;

/**
 * Ids in OpenRouter's shapes: {@code gen-<unix seconds>-<20 alphanumerics>} (checklist 9) and
 * {@code req-...}. Random parts come from a per-thread generator seeded from {@link SecureRandom},
 * so they cannot be guessed from one another.
 */
public final class Ids {

  private static final char[] ALPHABET =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789".toCharArray();
  private static final SecureRandom SEED = new SecureRandom();
  private static final ThreadLocal<SplittableRandom> RANDOM =
      ThreadLocal.withInitial(() -> new SplittableRandom(SEED.nextLong()));

  private Ids() {}

  public static String generationId(long epochSeconds) {
    return id("gen-", epochSeconds);
  }

  public static String requestId(long epochSeconds) {
    return id("req-", epochSeconds);
  }

  private static String id(String prefix, long epochSeconds) {
    SplittableRandom r = RANDOM.get();
    StringBuilder sb = new StringBuilder(prefix.length() + 32);
    sb.append(prefix).append(epochSeconds).append('-');
    for (int i = 0; i < 20; i++) {
      sb.append(ALPHABET[r.nextInt(ALPHABET.length)]);
    }
    return sb.toString();
  }
}
