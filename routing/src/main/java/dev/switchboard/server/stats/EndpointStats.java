package dev.switchboard.server.stats;

import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * Live measurements of one endpoint (a model on a provider), fed by every attempt: time to first
 * token and throughput (tokens per second) over rolling windows, successes and failures per minute
 * for uptime, consecutive failures and the circuit breaker. Thread-safe (every method synchronizes
 * on the instance; the work per call is small and contention is per endpoint).
 *
 * <p>Windows: percentiles for routing use the last 5 minutes, the {@code /endpoints} API the last
 * 30; uptime covers 5 minutes, 30 minutes and a day. The tool-call error rate ({@code :exacto}) is
 * counted per answer that called tools, over the same per-minute ring as uptime. Time comes from
 * the caller, in milliseconds, so tests can drive it.
 */
public final class EndpointStats {

  static final long MINUTE = 60_000;
  private static final int HISTO_MINUTES = 30;
  private static final int COUNT_MINUTES = 24 * 60;
  private static final long MAX_TTFT_MS = 600_000;
  private static final long MAX_TPS_MILLI = 100_000_000; // 100k tokens/s, in milli-tokens

  private final Histogram[] ttft = new Histogram[HISTO_MINUTES];
  private final Histogram[] tps = new Histogram[HISTO_MINUTES];
  private final long[] histoMinute = new long[HISTO_MINUTES];
  private final int[] ok = new int[COUNT_MINUTES];
  private final int[] failed = new int[COUNT_MINUTES];
  private final long[] countMinute = new long[COUNT_MINUTES];
  // Answers that called tools, and those among them with a bad call (for :exacto), per minute.
  private final int[] toolAnswers = new int[COUNT_MINUTES];
  private final int[] toolFailures = new int[COUNT_MINUTES];
  private final CircuitBreaker breaker;
  private long lastFailureAtMs = Long.MIN_VALUE;
  private final long[] recentOutcomes = new long[32];
  private int recentIndex;
  // What the other nodes of a cluster saw of this endpoint, by node (empty on one node).
  private final Map<String, Peer> peers = new java.util.HashMap<>();

  EndpointStats(CircuitBreaker.Settings breakerSettings) {
    this.breaker = new CircuitBreaker(breakerSettings);
    for (int i = 0; i < HISTO_MINUTES; i++) {
      ttft[i] = new Histogram(MAX_TTFT_MS, 2);
      tps[i] = new Histogram(MAX_TPS_MILLI, 2);
      histoMinute[i] = -1;
    }
    java.util.Arrays.fill(countMinute, -1);
  }

  /** A successful attempt: its time to first token and, when known, its output rate. */
  public synchronized void success(long nowMs, long ttftMs, double tokensPerSecond) {
    int h = histoSlot(nowMs);
    ttft[h].recordValue(Math.max(0, Math.min(ttftMs, MAX_TTFT_MS)));
    if (tokensPerSecond > 0) {
      tps[h].recordValue(Math.min(MAX_TPS_MILLI, Math.round(tokensPerSecond * 1000)));
    }
    ok[countSlot(nowMs)]++;
    remember(nowMs, true);
    breaker.onSuccess(nowMs);
  }

  /**
   * A failed attempt that counts against the endpoint's health (5xx, time-outs, broken streams; not
   * the caller's own errors and not rate limits, which OpenRouter leaves out of uptime).
   */
  public synchronized void failure(long nowMs) {
    failed[countSlot(nowMs)]++;
    lastFailureAtMs = nowMs;
    remember(nowMs, false);
    breaker.onFailure(nowMs);
  }

  /**
   * An answer that called tools: {@code valid} false when any of its calls had arguments that are
   * not JSON, named a tool the request did not offer, or failed the tool's parameter schema.
   */
  public synchronized void toolCalls(long nowMs, boolean valid) {
    int slot = countSlot(nowMs);
    toolAnswers[slot]++;
    if (!valid) {
      toolFailures[slot]++;
    }
  }

  /**
   * Answers with tool calls over the last {@code minutes}, and how many of them had a bad call:
   * {@code {answers, failures}}.
   */
  public synchronized long[] toolCallCounts(long nowMs, int minutes) {
    long now = nowMs / MINUTE;
    long answers = 0;
    long failures = 0;
    for (int i = 0; i < Math.min(minutes, COUNT_MINUTES); i++) {
      long minute = now - i;
      int slot = (int) Math.floorMod(minute, (long) COUNT_MINUTES);
      if (countMinute[slot] == minute) {
        answers += toolAnswers[slot];
        failures += toolFailures[slot];
      }
    }
    return new long[] {answers, failures};
  }

  /** Bad tool-call answers / answers with tool calls over the last {@code minutes}; null: none. */
  public Double toolCallErrorRate(long nowMs, int minutes) {
    long[] c = toolCallCounts(nowMs, minutes);
    return c[0] == 0 ? null : (double) c[1] / c[0];
  }

  /** A rate-limited attempt: not in uptime, but it does trip the breaker's consecutive count. */
  public synchronized void rateLimited(long nowMs) {
    breaker.onFailure(nowMs);
  }

  private void remember(long nowMs, boolean success) {
    recentOutcomes[recentIndex] = success ? nowMs : -nowMs;
    recentIndex = (recentIndex + 1) % recentOutcomes.length;
  }

  /**
   * Whether the endpoint had a significant outage in the last {@code windowMs}: it failed in that
   * window and failures were at least as many as successes there, or its breaker is open.
   */
  public synchronized boolean recentOutage(long nowMs, long windowMs) {
    if (breaker.state(nowMs) == CircuitBreaker.State.OPEN || openElsewhere(nowMs)) {
      return true;
    }
    if (lastFailureAtMs == Long.MIN_VALUE || nowMs - lastFailureAtMs > windowMs) {
      return false;
    }
    int good = 0;
    int bad = 0;
    for (long t : recentOutcomes) {
      if (t == 0) {
        continue;
      }
      long at = Math.abs(t);
      if (nowMs - at <= windowMs) {
        if (t > 0) {
          good++;
        } else {
          bad++;
        }
      }
    }
    return bad >= good;
  }

  /** Whether the breaker lets a request through now (a half-open breaker lets one probe). */
  public synchronized boolean tryAcquire(long nowMs) {
    if (openElsewhere(nowMs)) {
      return false; // another node of the cluster opened it: it is open here too
    }
    return breaker.tryAcquire(nowMs);
  }

  /** An attempt let through by {@link #tryAcquire} ended without an outcome (cancelled). */
  public synchronized void release() {
    breaker.release();
  }

  /** The breaker's state; open when another node of the cluster reports it open. */
  public synchronized CircuitBreaker.State breakerState(long nowMs) {
    return openElsewhere(nowMs) ? CircuitBreaker.State.OPEN : breaker.state(nowMs);
  }

  /** Time to first token percentiles in milliseconds over the last {@code minutes}, or empty. */
  public synchronized Map<String, Double> ttftMs(long nowMs, int minutes) {
    return percentiles(ttft, nowMs, minutes, 1.0);
  }

  /** Throughput percentiles in tokens/s over the last {@code minutes} (p50 is the median rate). */
  public synchronized Map<String, Double> throughput(long nowMs, int minutes) {
    return percentiles(tps, nowMs, minutes, 1000.0);
  }

  /** Successes / (successes + failures) × 100 over the last {@code minutes}; null without data. */
  public synchronized Double uptime(long nowMs, int minutes) {
    long now = nowMs / MINUTE;
    long good = 0;
    long bad = 0;
    for (int i = 0; i < Math.min(minutes, COUNT_MINUTES); i++) {
      long minute = now - i;
      int slot = (int) Math.floorMod(minute, (long) COUNT_MINUTES);
      if (countMinute[slot] == minute) {
        good += ok[slot];
        bad += failed[slot];
      }
      for (Peer p : peers.values()) {
        good += p.ok(minute);
        bad += p.failed(minute);
      }
    }
    return good + bad == 0 ? null : 100.0 * good / (good + bad);
  }

  /**
   * What this node saw over the last {@code minutes}, for the other nodes of a cluster: successes
   * and failures per minute, and until when its breaker is open (0 when it is not).
   */
  public synchronized Peer snapshot(long nowMs, int minutes) {
    long now = nowMs / MINUTE;
    int n = Math.min(minutes, COUNT_MINUTES);
    long[] okCounts = new long[n];
    long[] failedCounts = new long[n];
    for (int i = 0; i < n; i++) {
      long minute = now - i;
      int slot = (int) Math.floorMod(minute, (long) COUNT_MINUTES);
      if (countMinute[slot] == minute) {
        okCounts[i] = ok[slot];
        failedCounts[i] = failed[slot];
      }
    }
    long openUntil = breaker.state(nowMs) == CircuitBreaker.State.OPEN ? breaker.openUntilMs() : 0;
    return new Peer(now, okCounts, failedCounts, openUntil);
  }

  /** Takes in what node {@code node} last published of this endpoint (replacing its last). */
  public synchronized void merge(String node, Peer seen) {
    peers.put(node, seen);
  }

  /** Forgets a node that stopped publishing. */
  public synchronized void forget(String node) {
    peers.remove(node);
  }

  /** Whether this node saw anything of the endpoint in the last {@code minutes}. */
  public synchronized boolean activeHere(long nowMs, int minutes) {
    Peer p = snapshot(nowMs, minutes);
    if (p.openUntilMs() > 0) {
      return true;
    }
    for (int i = 0; i < p.ok().length; i++) {
      if (p.ok()[i] > 0 || p.failed()[i] > 0) {
        return true;
      }
    }
    return false;
  }

  private boolean openElsewhere(long nowMs) {
    for (Peer p : peers.values()) {
      if (p.openUntilMs() > nowMs) {
        return true;
      }
    }
    return false;
  }

  /**
   * Another node's view of the endpoint: successes and failures per minute, newest first from
   * {@code minute} (epoch minutes), and until when its breaker is open (0: closed).
   */
  public record Peer(long minute, long[] ok, long[] failed, long openUntilMs) {

    long ok(long m) {
      long i = minute - m;
      return i >= 0 && i < ok.length ? ok[(int) i] : 0;
    }

    long failed(long m) {
      long i = minute - m;
      return i >= 0 && i < failed.length ? failed[(int) i] : 0;
    }

    /** {@code minute;ok,ok,…;failed,failed,…;openUntil}. */
    public String encode() {
      return minute + ";" + join(ok) + ";" + join(failed) + ";" + openUntilMs;
    }

    /** The inverse of {@link #encode}; null for anything else. */
    public static Peer decode(String text) {
      try {
        String[] p = text.split(";", -1);
        return new Peer(Long.parseLong(p[0]), split(p[1]), split(p[2]), Long.parseLong(p[3]));
      } catch (RuntimeException e) {
        return null;
      }
    }

    private static String join(long[] v) {
      StringBuilder b = new StringBuilder();
      for (int i = 0; i < v.length; i++) {
        b.append(i == 0 ? "" : ",").append(v[i]);
      }
      return b.toString();
    }

    private static long[] split(String s) {
      if (s.isEmpty()) {
        return new long[0];
      }
      String[] parts = s.split(",");
      long[] out = new long[parts.length];
      for (int i = 0; i < parts.length; i++) {
        out[i] = Long.parseLong(parts[i]);
      }
      return out;
    }
  }

  private Map<String, Double> percentiles(Histogram[] ring, long nowMs, int minutes, double div) {
    Histogram merged = null;
    long now = nowMs / MINUTE;
    for (int i = 0; i < Math.min(minutes, HISTO_MINUTES); i++) {
      long minute = now - i;
      int slot = (int) Math.floorMod(minute, (long) HISTO_MINUTES);
      if (histoMinute[slot] == minute && ring[slot].getTotalCount() > 0) {
        if (merged == null) {
          merged = ring[slot].copy();
        } else {
          merged.add(ring[slot]);
        }
      }
    }
    if (merged == null) {
      return Map.of();
    }
    return Map.of(
        "p50", merged.getValueAtPercentile(50) / div,
        "p75", merged.getValueAtPercentile(75) / div,
        "p90", merged.getValueAtPercentile(90) / div,
        "p99", merged.getValueAtPercentile(99) / div);
  }

  private int histoSlot(long nowMs) {
    long minute = nowMs / MINUTE;
    int slot = (int) Math.floorMod(minute, (long) HISTO_MINUTES);
    if (histoMinute[slot] != minute) {
      histoMinute[slot] = minute;
      ttft[slot].reset();
      tps[slot].reset();
    }
    return slot;
  }

  private int countSlot(long nowMs) {
    long minute = nowMs / MINUTE;
    int slot = (int) Math.floorMod(minute, (long) COUNT_MINUTES);
    if (countMinute[slot] != minute) {
      countMinute[slot] = minute;
      ok[slot] = 0;
      failed[slot] = 0;
      toolAnswers[slot] = 0;
      toolFailures[slot] = 0;
    }
    return slot;
  }
}
