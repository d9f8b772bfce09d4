package dev.switchboard.server.limits;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.api.json.ApiJson;
import dev.switchboard.core.model.LlmRequest;
import dev.switchboard.core.openai.OpenAiChatCodec;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class PromptEstimatorTest {

  @Test
  void countsWithARealTokenizerAndAddsTheStatedMargin() {
    assertThat(PromptEstimator.count("Hello there")).isEqualTo(2);
    // 2 counted -> ceil(2 * 1.25) = 3, + 4 for the message, + 16 for the request.
    assertThat(PromptEstimator.estimate(LimitsFixture.request("acme/paid", 1, null))).isEqualTo(23);
    String longText = "word ".repeat(1_000);
    long counted = PromptEstimator.count(longText);
    assertThat(counted).isBetween(900L, 1_100L);
  }

  @Test
  void theByteBoundIsNeverBelowTheCountInAnyScript() {
    // A token is at least one byte of UTF-8, so the count never exceeds the byte length; the bound
    // uses that length in place of the count and so is never below the estimate.
    String[] alphabets = {
      "abcdefghijklmnopqrstuvwxyz ,.;:!?0123456789\n\t",
      "!@#$%^&*()[]{}<>|\\/~`'\"-_=+",
      "\u0000\u0001\u0007\u001f\u007f",
      "éüßçñøåœÆÐþ€£¥",
      "абвгдежзийклмнопрстуфхцчшщъыьэюя",
      "的一是不了人我在有他这为之大来以个中上们",
      "あいうえおかきくけこアイウエオ",
      "\uD83D\uDE00\uD83D\uDE80\uD83C\uDF89\u200D\uFE0F",
      "ابتثجحخدذرزسشصضطظعغفقكلمنهوي",
      "अआइईउऊऋएऐओऔकखगघ"
    };
    java.util.Random random = new java.util.Random(11);
    for (int i = 0; i < 2_000; i++) {
      StringBuilder text = new StringBuilder();
      int length = random.nextInt(400);
      while (text.length() < length) {
        String alphabet = alphabets[random.nextInt(alphabets.length)];
        int start = random.nextInt(alphabet.length());
        if (Character.isLowSurrogate(alphabet.charAt(start))) {
          start--;
        }
        int end = Math.min(alphabet.length(), start + 1 + random.nextInt(12));
        if (end < alphabet.length() && Character.isLowSurrogate(alphabet.charAt(end))) {
          end++;
        }
        text.append(alphabet, start, end);
      }
      String s = text.toString();
      long bytes = PromptEstimator.utf8Bytes(s);
      assertThat(bytes).isGreaterThanOrEqualTo(s.getBytes(StandardCharsets.UTF_8).length);
      assertThat(PromptEstimator.count(s)).as(s).isLessThanOrEqualTo(bytes);
      String json =
          "{\"model\":\"acme/paid\",\"messages\":[{\"role\":\"user\",\"content\":"
              + ApiJson.mapper().valueToTree(s)
              + "}]}";
      LlmRequest request = OpenAiChatCodec.toCanonical(json.getBytes(StandardCharsets.UTF_8));
      assertThat(PromptEstimator.bound(request))
          .isGreaterThanOrEqualTo(PromptEstimator.estimate(request));
    }
  }

  @Test
  void theWorstCaseRoundsUpAndUsesTheDearestPrices() {
    WorstCase w =
        WorstCase.of(
            LimitsFixture.catalog().model("acme/paid").orElseThrow().endpoints(), null, 10, 0);
    assertThat(w.outputTokens()).isEqualTo(1_000);
    assertThat(w.cost()).isEqualByComparingTo("0.0201");
    assertThat(w.affordableOutputTokens(new java.math.BigDecimal("0.0002"))).isEqualTo(5);
  }
}
