package dev.switchboard.simulator.behavior;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class AnswerTextTest {

  @Test
  void startsWithTheFirstWordsOfThePrompt() {
    assertThat(AnswerText.forPrompt("What is the capital of the UK?", 42))
        .startsWith("Simulated answer to: What is the capital of the UK? ");
  }

  @Test
  void shortensLongPromptsToEightWords() {
    assertThat(AnswerText.forPrompt("one two  three\nfour five six seven eight nine ten", 42))
        .startsWith("Simulated answer to: one two three four five six seven eight... ");
  }

  @Test
  void isDeterministicForTheSamePromptAndSeed() {
    assertThat(AnswerText.forPrompt("Hello", 7)).isEqualTo(AnswerText.forPrompt("Hello", 7));
  }

  @Test
  void addsTwoDifferentFillerSentencesSoThereAreSeveralTokens() {
    for (String prompt : List.of("a", "b", "Hello", "What time is it?", "")) {
      String answer = AnswerText.forPrompt(prompt, 42);
      String filler = answer.substring(answer.indexOf(' ', AnswerText.PREFIX.length()) + 1);
      String[] sentences = filler.split("(?<=\\.) ");
      assertThat(Tokens.count(answer)).isGreaterThan(20);
      assertThat(sentences).hasSizeGreaterThanOrEqualTo(2);
      assertThat(sentences[sentences.length - 1]).isNotEqualTo(sentences[sentences.length - 2]);
    }
  }

  @Test
  void namesAnEmptyPrompt() {
    assertThat(AnswerText.forPrompt("   ", 42)).startsWith("Simulated answer to: (empty prompt) ");
  }

  @Test
  void quotesEveryToolResult() {
    assertThat(AnswerText.afterToolResults(List.of("London")))
        .isEqualTo("Simulated answer from the tool result: \"London\".");
    assertThat(AnswerText.afterToolResults(List.of("{\"temp\":12}", "sunny")))
        .isEqualTo("Simulated answer from the tool results: \"{\"temp\":12}\", \"sunny\".");
  }
}
