package dev.switchboard.simulator.behavior;

import java.util.List;

/**
 * Derives reply texts from a request, deterministically: the same prompt and seed always give the
 * same words.
 *
 * <ul>
 *   <li>For a user turn: {@code "Simulated answer to: <up to 8 first words>[...]. "} followed by
 *       two filler sentences picked by a hash of the prompt and the seed.
 *   <li>After tool results: {@code "Simulated answer from the tool result: \"<content>\"."} quoting
 *       every trailing tool result (each cut at 1,000 chars).
 * </ul>
 */
public final class AnswerText {

  static final String PREFIX = "Simulated answer to: ";
  static final String AFTER_TOOL = "Simulated answer from the tool result";
  private static final int FIRST_WORDS = 8;
  private static final int MAX_QUOTE = 1000;

  private static final List<String> FILLER =
      List.of(
          "This reply comes from the Switchboard simulator, not from a real model.",
          "Every word of it is derived from the request, so tests can rely on it.",
          "The same prompt and seed always produce exactly the same answer.",
          "Tokens arrive at the configured pace, one chunk per token.",
          "Nothing in this reply was sent to, or received from, a real provider.",
          "The simulator is deterministic, scriptable and fast enough for benchmarks.",
          "Latency, tool calls and faults can all be configured.",
          "Usage numbers add up exactly, so metering can be checked.");

  private AnswerText() {}

  /** The answer to a user message. */
  public static String forPrompt(String userText, long seed) {
    StringBuilder out = new StringBuilder(220).append(PREFIX);
    int words = appendFirstWords(out, userText == null ? "" : userText);
    if (words == 0) {
      out.append("(empty prompt)");
    }
    out.append(' ');
    int h = mix(hash(userText == null ? "" : userText) ^ seed);
    int first = Math.floorMod(h, FILLER.size());
    int second =
        Math.floorMod(first + 1 + Math.floorMod(h >>> 8, FILLER.size() - 1), FILLER.size());
    return out.append(FILLER.get(first)).append(' ').append(FILLER.get(second)).toString();
  }

  /** The answer after tool results, quoting each of them. */
  public static String afterToolResults(List<String> results) {
    StringBuilder out = new StringBuilder(64).append(AFTER_TOOL);
    out.append(results.size() > 1 ? "s: " : ": ");
    for (int i = 0; i < results.size(); i++) {
      if (i > 0) {
        out.append(", ");
      }
      String r = results.get(i) == null ? "" : results.get(i);
      out.append('"')
          .append(r.length() > MAX_QUOTE ? r.substring(0, MAX_QUOTE) + "..." : r)
          .append('"');
    }
    return out.append('.').toString();
  }

  /** Appends up to {@link #FIRST_WORDS} words, then {@code ...} when more follow. */
  private static int appendFirstWords(StringBuilder out, String text) {
    int n = text.length();
    int i = 0;
    int words = 0;
    while (i < n) {
      while (i < n && Character.isWhitespace(text.charAt(i))) {
        i++;
      }
      if (i >= n) {
        break;
      }
      if (words == FIRST_WORDS) {
        out.append("...");
        return words;
      }
      int start = i;
      while (i < n && !Character.isWhitespace(text.charAt(i))) {
        i++;
      }
      if (words > 0) {
        out.append(' ');
      }
      out.append(text, start, i);
      words++;
    }
    return words;
  }

  private static long hash(String s) {
    long h = 0xcbf29ce484222325L;
    for (int i = 0; i < s.length(); i++) {
      h = (h ^ s.charAt(i)) * 0x100000001b3L;
    }
    return h;
  }

  private static int mix(long z) {
    z = (z ^ (z >>> 33)) * 0xff51afd7ed558ccdL;
    z = (z ^ (z >>> 33)) * 0xc4ceb9fe1a85ec53L;
    return (int) (z ^ (z >>> 33));
  }
}
