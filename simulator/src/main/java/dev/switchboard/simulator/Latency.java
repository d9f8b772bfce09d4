package dev.switchboard.simulator;

/**
 * Response timing: milliseconds before the first chunk (or before a non-streaming response), then
 * tokens per second for the rest; {@code tokensPerSecond} 0 means all at once.
 */
public record Latency(long ttftMs, double tokensPerSecond) {

  /** No delay at all. */
  public static final Latency NONE = new Latency(0, 0);

  public Latency {
    if (ttftMs < 0) {
      throw new IllegalArgumentException("ttftMs must not be negative, was " + ttftMs);
    }
    if (!(tokensPerSecond >= 0) || Double.isInfinite(tokensPerSecond)) {
      throw new IllegalArgumentException("tokensPerSecond must be >= 0, was " + tokensPerSecond);
    }
  }

  public static Latency of(long ttftMs, double tokensPerSecond) {
    return new Latency(ttftMs, tokensPerSecond);
  }

  /** The time to emit {@code tokens} tokens after the first, in milliseconds. */
  long streamMillis(int tokens) {
    return tokensPerSecond == 0 || tokens <= 1 ? 0 : (long) ((tokens - 1) * 1000 / tokensPerSecond);
  }
}
