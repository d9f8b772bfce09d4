package dev.switchboard.simulator.behavior;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class TokensTest {

  @Test
  void splitsWordsWithTheirLeadingSpaceAndPunctuationApart() {
    assertThat(Tokens.split("Hello, world. It's 2024!"))
        .containsExactly("Hello", ",", " world", ".", " It", "'", "s", " 2024", "!");
  }

  @Test
  void splitsJsonIntoArgumentSizedFragments() {
    assertThat(Tokens.split("{\"city\":\"Edinburgh\"}"))
        .containsExactly("{\"", "city", "\":\"", "Edinburgh", "\"}");
  }

  @Test
  void cutsLongWordsAndKeepsWhitespaceRuns() {
    assertThat(Tokens.split("abcdefghijklmno\n\n  x"))
        .containsExactly("abcdefghij", "klmno", "\n\n ", " x");
  }

  @Test
  void neverSplitsASurrogatePair() {
    String emojis = "\uD83D\uDE00\uD83D\uDE01\uD83D\uDE02";
    List<String> tokens = Tokens.split(emojis);

    assertThat(tokens)
        .allSatisfy(t -> assertThat(Character.isHighSurrogate(t.charAt(t.length() - 1))).isFalse());
    assertThat(String.join("", tokens)).isEqualTo(emojis);
  }

  @Test
  void joinsBackToTheOriginalTextAndCountsLikeSplit() {
    String text =
        "Simulated answer to: \u00c9t\u00e9 \u00e0 Z\u00fcrich?\t{\"a\": [1, 2.5, null]}  \r\n\u4e2d\u6587 end";

    assertThat(String.join("", Tokens.split(text))).isEqualTo(text);
    assertThat(Tokens.count(text)).isEqualTo(Tokens.split(text).size());
    assertThat(Tokens.count("")).isZero();
  }
}
