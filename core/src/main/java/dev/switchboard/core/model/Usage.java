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
    boolean estimated,
    // Absent from serialised usage when no server tool ran (golden files, records).
    @com.fasterxml.jackson.annotation.JsonInclude(
            com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
        ServerToolUse serverTools) {

  public static final Usage ZERO = new Usage(0, 0, 0, 0, 0, false);

  /** Usage of a model call alone, without server tools. */
  public Usage(
      long promptTokens,
      long completionTokens,
      long reasoningTokens,
      long cachedTokens,
      long cacheWriteTokens,
      boolean estimated) {
    this(
        promptTokens,
        completionTokens,
        reasoningTokens,
        cachedTokens,
        cacheWriteTokens,
        estimated,
        null);
  }

  /**
   * What server tools did for one request (the gateway's own tool loop and the {@code web} plugin's
   * search): calls the model asked for, calls run, web searches among them.
   */
  public record ServerToolUse(int requested, int executed, int webSearches) {}

  /** This usage with {@code tools} as its server-tool counts (null: none). */
  public Usage withServerTools(ServerToolUse tools) {
    return new Usage(
        promptTokens,
        completionTokens,
        reasoningTokens,
        cachedTokens,
        cacheWriteTokens,
        estimated,
        tools);
  }

  /** The sum of two usages (the rounds of a server-tool loop); estimated if either is. */
  public Usage plus(Usage other) {
    return new Usage(
        promptTokens + other.promptTokens,
        completionTokens + other.completionTokens,
        reasoningTokens + other.reasoningTokens,
        cachedTokens + other.cachedTokens,
        cacheWriteTokens + other.cacheWriteTokens,
        estimated || other.estimated,
        serverTools != null ? serverTools : other.serverTools);
  }

  public long totalTokens() {
    return promptTokens + completionTokens;
  }
}
