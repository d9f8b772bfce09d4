package dev.switchboard.core.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.core.model.Embedding;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

class VectorFeedTest {

  private final List<String> got = new ArrayList<>();

  private VectorFeed feed(VectorFeed.Shape shape, int expected, boolean values) {
    return new VectorFeed(
        shape,
        expected,
        values,
        (i, v) -> {
          assertThat(i).isEqualTo(got.size());
          got.add(text(v, values));
        });
  }

  private static String text(Embedding v, boolean values) {
    if (values) {
      StringBuilder b = new StringBuilder("[");
      for (float f : v.values()) {
        b.append(b.length() > 1 ? "," : "").append(f);
      }
      return b.append(']').toString();
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      v.writeJson(out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  /** Feeds {@code json} in pieces of {@code piece} bytes. */
  private static void feedIn(VectorFeed f, String json, int piece) {
    byte[] b = json.getBytes(StandardCharsets.UTF_8);
    for (int at = 0; at < b.length; at += piece) {
      byte[] chunk = java.util.Arrays.copyOfRange(b, at, Math.min(b.length, at + piece));
      f.feed(chunk);
    }
  }

  private static final String OPENAI =
      "{\"object\":\"list\",\"data\":[{\"embedding\":[0.5,-1e-3],\"object\":\"embedding\","
          + "\"index\":1},{\"object\":\"embedding\",\"index\":0,\"embedding\":[0.1,0.2]}],"
          + "\"model\":\"m-1\",\"usage\":{\"prompt_tokens\":7,\"total_tokens\":7}}";

  @Test
  void openAiItemsInAnyOrderComeOutInIndexOrderWhateverTheChunking() {
    for (int piece : new int[] {1, 2, 3, 7, 1000}) {
      got.clear();
      VectorFeed f = feed(VectorFeed.Shape.OPENAI, 2, false);
      feedIn(f, OPENAI, piece);
      f.end();
      assertThat(got).as("pieces of " + piece).containsExactly("[0.1,0.2]", "[0.5,-1e-3]");
      assertThat(f.model()).isEqualTo("m-1");
      assertThat(f.usage().path("prompt_tokens").asInt()).isEqualTo(7);
      assertThat(f.count()).isEqualTo(2);
    }
  }

  @Test
  void eachVectorGoesOnAsSoonAsItIsCompleteAndTheFeedHoldsAboutOneVector() {
    int n = 50;
    int dims = 300;
    StringBuilder b = new StringBuilder("{\"object\":\"list\",\"data\":[");
    for (int i = 0; i < n; i++) {
      b.append(i > 0 ? "," : "").append("{\"object\":\"embedding\",\"index\":").append(i);
      b.append(",\"embedding\":[");
      for (int k = 0; k < dims; k++) {
        b.append(k > 0 ? "," : "").append(String.format(Locale.ROOT, "%.8f", (i * dims + k) / 1e5));
      }
      b.append("]}");
    }
    b.append("],\"usage\":{\"prompt_tokens\":3}}");
    byte[] body = b.toString().getBytes(StandardCharsets.UTF_8);
    VectorFeed f = feed(VectorFeed.Shape.OPENAI, n, false);
    int maxHeld = 0;
    int piece = 1000;
    for (int at = 0; at < body.length; at += piece) {
      f.feed(java.util.Arrays.copyOfRange(body, at, Math.min(body.length, at + piece)));
      maxHeld = Math.max(maxHeld, f.held());
      // every vector whose bytes have all arrived has been handed on (its item's "}" too)
      assertThat(got.size())
          .isGreaterThanOrEqualTo(Math.max(0, (at + piece) / (body.length / n) - 1));
    }
    f.end();
    assertThat(got).hasSize(n);
    int vectorBytes = body.length / n;
    assertThat(maxHeld).isLessThan(vectorBytes + 2 * piece);
    assertThat(got.get(7)).startsWith("[0.02100000,0.02101000");
  }

  @Test
  void base64ReadsTheValues() {
    VectorFeed f = feed(VectorFeed.Shape.OPENAI, 2, true);
    feedIn(f, OPENAI, 5);
    f.end();
    assertThat(got).containsExactly("[0.1,0.2]", "[0.5,-0.001]");
  }

  @Test
  void geminiBatchAndSingle() {
    VectorFeed f = feed(VectorFeed.Shape.GEMINI, 2, false);
    feedIn(
        f,
        "{\"embeddings\":[{\"values\":[1,2]},{\"values\":[3,4.5]}],"
            + "\"usageMetadata\":{\"promptTokenCount\":4}}",
        4);
    f.end();
    assertThat(got).containsExactly("[1,2]", "[3,4.5]");
    assertThat(f.usage().path("promptTokenCount").asInt()).isEqualTo(4);

    got.clear();
    VectorFeed one = feed(VectorFeed.Shape.GEMINI, 1, true);
    feedIn(one, "{\"embedding\":{\"values\":[0.25,-0.5]}}", 3);
    one.end();
    assertThat(got).containsExactly("[0.25,-0.5]");
  }

  @Test
  void aCutBodyAMissingVectorAndANonNumberAreRefused() {
    VectorFeed cut = feed(VectorFeed.Shape.OPENAI, 2, false);
    cut.feed(OPENAI.substring(0, OPENAI.length() / 2).getBytes(StandardCharsets.UTF_8));
    assertThatThrownBy(cut::end).isInstanceOf(IllegalArgumentException.class);

    got.clear();
    VectorFeed few = feed(VectorFeed.Shape.OPENAI, 3, false);
    few.feed(OPENAI.getBytes(StandardCharsets.UTF_8));
    assertThatThrownBy(few::end).hasMessageContaining("missing vectors");

    got.clear();
    VectorFeed text = feed(VectorFeed.Shape.OPENAI, 1, false);
    assertThatThrownBy(
            () ->
                text.feed(
                    "{\"data\":[{\"index\":0,\"embedding\":[0.1,\"x\"]}]}"
                        .getBytes(StandardCharsets.UTF_8)))
        .hasMessageContaining("where a number belongs");

    got.clear();
    VectorFeed twice = feed(VectorFeed.Shape.OPENAI, 2, false);
    assertThatThrownBy(
            () ->
                twice.feed(
                    "{\"data\":[{\"index\":0,\"embedding\":[1]},{\"index\":0,\"embedding\":[2]}]}"
                        .getBytes(StandardCharsets.UTF_8)))
        .hasMessageContaining("came twice");
  }

  @Test
  void aVectorTextIsPassedOnByteForByteAndCountedAtEveryChunking() {
    String body =
        "{\"object\":\"list\",\"data\":[{\"object\":\"embedding\",\"index\":0,"
            + "\"embedding\":[ -0.0123 ,4.5e-7,\n1E+2,0]},{\"index\":1,\"embedding\":[]}],"
            + "\"model\":\"m[1]\",\"usage\":{\"prompt_tokens\":3,\"total_tokens\":3}}";
    for (int piece = 1; piece <= 9; piece++) {
      got.clear();
      VectorFeed f = feed(VectorFeed.Shape.OPENAI, 2, false);
      feedIn(f, body, piece);
      f.end();
      assertThat(got).containsExactly("[ -0.0123 ,4.5e-7,\n1E+2,0]", "[]");
      assertThat(f.model()).isEqualTo("m[1]");
      assertThat(f.usage().get("prompt_tokens").asInt()).isEqualTo(3);
    }
    got.clear();
    VectorFeed cut = feed(VectorFeed.Shape.OPENAI, 1, false);
    cut.feed("{\"data\":[{\"index\":0,\"embedding\":[0.5,".getBytes(StandardCharsets.UTF_8));
    assertThatThrownBy(cut::end).hasMessageContaining("ended inside a vector");
    got.clear();
    VectorFeed bad = feed(VectorFeed.Shape.OPENAI, 1, false);
    assertThatThrownBy(() -> feedIn(bad, "{\"data\":[{\"index\":0,\"embedding\":[0.5,01]}]}", 4))
        .hasMessageContaining("where a number belongs");
  }

  @Test
  void anErrorBodyWithoutVectorsIsReportedAsSuch() {
    VectorFeed f = feed(VectorFeed.Shape.OPENAI, 1, false);
    f.feed("{\"error\":{\"message\":\"boom\",\"code\":500}}".getBytes(StandardCharsets.UTF_8));
    f.end();
    assertThat(f.sawVectors()).isFalse();
    assertThat(f.error().path("message").asText()).isEqualTo("boom");
  }
}
