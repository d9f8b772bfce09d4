package dev.switchboard.server.storage;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Folds generation records into roll-up deltas per UTC day, key, model, provider and app. A record
 * that no provider served (a request refused or failed before any output) adds nothing.
 */
final class Rollup {

  /** The roll-up's key; empty strings stand for "no provider" and "no app". */
  record Key(LocalDate day, String keyHash, String model, String providerName, String referer) {}

  /** Indexes into a delta array. */
  static final int REQUESTS = 0;

  static final int PROMPT = 1;
  static final int COMPLETION = 2;
  static final int REASONING = 3;
  static final int COST = 4;
  static final int BYOK = 5;
  static final int SIZE = 6;

  private Rollup() {}

  static Key key(GenerationRecord g) {
    if (g.providerName() == null) {
      return null;
    }
    String referer = Apps.referer(g.httpReferer(), g.appTitle());
    return new Key(
        LocalDate.ofInstant(g.createdAt(), ZoneOffset.UTC),
        g.keyHash(),
        g.model(),
        g.providerName(),
        referer == null ? "" : referer);
  }

  /** Adds {@code g} to {@code delta} (an array of {@link #SIZE}). */
  static void add(long[] delta, GenerationRecord g) {
    delta[REQUESTS]++;
    delta[PROMPT] += first(g.nativeTokensPrompt(), g.tokensPrompt());
    delta[COMPLETION] += first(g.nativeTokensCompletion(), g.tokensCompletion());
    delta[REASONING] += first(g.nativeTokensReasoning(), null);
    delta[COST] += Usd.toNanos(g.totalCost());
    if (g.isByok() && g.upstreamInferenceCost() != null) {
      delta[BYOK] += Usd.toNanos(g.upstreamInferenceCost());
    }
  }

  static Map<Key, long[]> fold(Collection<GenerationRecord> records) {
    Map<Key, long[]> out = new LinkedHashMap<>();
    for (GenerationRecord g : records) {
      Key k = key(g);
      if (k != null) {
        add(out.computeIfAbsent(k, x -> new long[SIZE]), g);
      }
    }
    return out;
  }

  private static long first(Long a, Long b) {
    return a != null ? a : b != null ? b : 0;
  }
}
