package dev.switchboard.server.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.api.json.ApiJson;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The routing trace's JSON strings, written without a generator, read back by a JSON parser. */
class RoutingMetadataTest {

  private static String written(String text) {
    StringBuilder b = new StringBuilder();
    RoutingMetadata.string(b, text);
    return b.toString();
  }

  @Test
  void everyCharacterThatNeedsEscapingReadsBackAsItWas() throws Exception {
    StringBuilder all = new StringBuilder("model \"x\" \\ path/ é 漢字 😀");
    for (char c = 0; c < 0x20; c++) {
      all.append(c);
    }
    all.append('\u007f').append('\u2028');
    String text = all.toString();
    JsonNode read = ApiJson.tree("[" + written(text) + "]");
    assertThat(read.get(0).asText()).isEqualTo(text);
    assertThat(written(null)).isEqualTo("null");
    assertThat(written("")).isEqualTo("\"\"");
    assertThat(written("a\"b")).isEqualTo("\"a\\\"b\"");
  }

  @Test
  void randomStringsRoundTrip() throws Exception {
    SplittableRandom rnd = new SplittableRandom(5);
    for (int round = 0; round < 2_000; round++) {
      StringBuilder s = new StringBuilder();
      for (int i = rnd.nextInt(0, 40); i > 0; i--) {
        int kind = rnd.nextInt(4);
        s.append(
            switch (kind) {
              case 0 -> (char) rnd.nextInt(0, 0x20);
              case 1 -> "\"\\/".charAt(rnd.nextInt(3));
              case 2 -> (char) rnd.nextInt(0x20, 0x7f);
              default -> (char) rnd.nextInt(0xa0, 0xd7ff);
            });
      }
      String text = s.toString();
      assertThat(ApiJson.tree("{\"v\":" + written(text) + "}").get("v").asText()).isEqualTo(text);
    }
  }
}
