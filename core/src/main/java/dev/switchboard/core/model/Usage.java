package dev.switchboard.core.model;

/**
 * Token counts an upstream reported (or we estimated, when {@code estimated}). Adapters report
 * usage; they never price it. {@code promptTokens} includes cached reads and writes; {@code
 * completionTokens} includes reasoning tokens.
 */
public record Usage(
    long promptTokens,
    long completionTokens,
    long reasoningTokens,
    long cachedTokens,
    long cacheWriteTokens,
    boolean estimated) {

  public static final Usage ZERO = new Usage(0, 0, 0, 0, 0, false);

  public long totalTokens() {
    return promptTokens + completionTokens;
  }
}
