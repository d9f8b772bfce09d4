package dev.switchboard.core.media;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SplicedBodyTest {

  static byte[] random(int size, long seed) {
    byte[] b = new byte[size];
    new Random(seed).nextBytes(b);
    return b;
  }

  @Test
  void placeholdersAreValidBase64AndDistinct() {
    String a = SplicedBody.newPlaceholder();
    String b = SplicedBody.newPlaceholder();
    assertThat(a).hasSize(32).startsWith("SBMEDIA").matches("[A-Za-z0-9]+").isNotEqualTo(b);
    assertThat(Base64.getDecoder().decode(a)).hasSize(24);
  }

  @Test
  void everyOccurrenceOfAPlaceholderBecomesTheBase64OfItsBytes() {
    byte[] big = random(3 * SplicedBody.PIECE + 7, 1); // several pieces, padding at the end
    byte[] small = random(2, 2);
    String p1 = SplicedBody.newPlaceholder();
    String p2 = SplicedBody.newPlaceholder();
    String other = SplicedBody.newPlaceholder(); // not ours: left as it is
    String template =
        "{\"a\":\"" + p1 + "\",\"b\":\"" + p2 + "\",\"c\":\"" + p1 + "\",\"d\":\"" + other + "\"}";
    SplicedBody body =
        SplicedBody.of(template.getBytes(StandardCharsets.UTF_8), Map.of(p1, big, p2, small));
    String expected =
        template
            .replace(p1, Base64.getEncoder().encodeToString(big))
            .replace(p2, Base64.getEncoder().encodeToString(small));
    byte[] written = body.toBytes();
    assertThat(new String(written, StandardCharsets.UTF_8)).isEqualTo(expected);
    assertThat(body.length()).isEqualTo(expected.length());

    SplicedBody.Pieces pieces = body.pieces();
    int count = 0;
    for (byte[] piece = pieces.next(); piece != null; piece = pieces.next()) {
      assertThat(piece.length).isBetween(1, SplicedBody.PIECE);
      count++;
    }
    assertThat(count).isGreaterThan(8);
  }

  @Test
  void aBodyWithoutPlaceholdersIsWrittenAsItIs() {
    byte[] template = "{\"text\":\"SBMEDIA but short\"}".getBytes(StandardCharsets.UTF_8);
    SplicedBody body = SplicedBody.of(template, Map.of());
    assertThat(body.toBytes()).isEqualTo(template);
    assertThat(body.length()).isEqualTo(template.length);
  }
}
