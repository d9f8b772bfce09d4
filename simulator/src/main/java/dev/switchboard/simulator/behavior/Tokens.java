package dev.switchboard.simulator.behavior;

import java.util.ArrayList;
import java.util.List;

/**
 * The simulator's tokenizer: deterministic, cheap, and lossless (the pieces of a text concatenate
 * back to the text). A token is a run of up to 10 letters or digits with at most one leading space,
 * a run of up to 4 other symbols, or a run of whitespace. It is roughly BPE-sized and nothing more:
 * usage numbers are counts of these pieces.
 */
public final class Tokens {

  private static final int MAX_WORD = 10;
  private static final int MAX_SYMBOLS = 4;

  private Tokens() {}

  /** Splits {@code text} into tokens; joining them gives {@code text} back. */
  public static List<String> split(String text) {
    List<String> tokens = new ArrayList<>(Math.max(4, text.length() / 4));
    int i = 0;
    while (i < text.length()) {
      int end = nextEnd(text, i);
      tokens.add(text.substring(i, end));
      i = end;
    }
    return tokens;
  }

  /** The number of tokens {@link #split} would return, without building them. */
  public static int count(CharSequence text) {
    int count = 0;
    int i = 0;
    while (i < text.length()) {
      i = nextEnd(text, i);
      count++;
    }
    return count;
  }

  private static int nextEnd(CharSequence s, int start) {
    int n = s.length();
    char c = s.charAt(start);
    int i = start;
    if (c == ' ' && i + 1 < n && isWord(s.charAt(i + 1))) {
      i++;
      return run(s, i, n, MAX_WORD, true);
    }
    if (isWord(c)) {
      return run(s, i, n, MAX_WORD, true);
    }
    if (Character.isWhitespace(c)) {
      i++;
      while (i < n && Character.isWhitespace(s.charAt(i))) {
        if (s.charAt(i) == ' ' && i + 1 < n && isWord(s.charAt(i + 1))) {
          break;
        }
        i++;
      }
      return i;
    }
    return run(s, i, n, MAX_SYMBOLS, false);
  }

  /** A run of word chars (or of symbols) of at most {@code max} chars, never splitting a pair. */
  private static int run(CharSequence s, int start, int n, int max, boolean words) {
    int i = start;
    while (i < n && i - start < max) {
      char c = s.charAt(i);
      boolean word = isWord(c);
      if (words ? !word : (word || Character.isWhitespace(c))) {
        break;
      }
      i++;
    }
    if (i == start) {
      i++;
    }
    if (i < n
        && Character.isHighSurrogate(s.charAt(i - 1))
        && Character.isLowSurrogate(s.charAt(i))) {
      i++;
    }
    return i;
  }

  private static boolean isWord(char c) {
    return c < 0x80
        ? (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
        : Character.isLetterOrDigit(c);
  }
}
