package dev.switchboard.core.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.api.json.ApiJson;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The scan of a vector's numbers against JSON's grammar, at every chunking. */
class NumberScanTest {

  /** Scans the inside of {@code array} (after its '[') in pieces of {@code piece} bytes. */
  static int count(String array, int piece) {
    byte[] b = array.getBytes(StandardCharsets.UTF_8);
    NumberScan scan = new NumberScan();
    scan.reset();
    for (int at = 1; at < b.length; at += piece) {
      int end = scan.scan(b, at, Math.min(b.length, at + piece));
      if (end >= 0) {
        assertThat(end).as("the closing bracket of " + array).isEqualTo(b.length - 1);
        return scan.count();
      }
    }
    throw new AssertionError("no closing bracket found in " + array);
  }

  @Test
  void validArraysAreCountedLikeAJsonParserCountsThem() throws Exception {
    String[] valid = {
      "[]",
      "[ ]",
      "[0]",
      "[-0]",
      "[0.5,-0.25e-3, 1E+2 ,\\n7,\\t-12.000001e10]".replace("\\n", "\n").replace("\\t", "\t"),
      "[1e5,2E-5,3e+0,0.0,-0.0]",
      "[ 3 , 4 ]"
    };
    for (String v : valid) {
      JsonNode parsed = ApiJson.mapper().readTree(v);
      for (int piece = 1; piece <= 5; piece++) {
        assertThat(count(v, piece)).as(v + " in pieces of " + piece).isEqualTo(parsed.size());
      }
    }
  }

  @Test
  void randomVectorsAsUpstreamsWriteThem() {
    SplittableRandom rnd = new SplittableRandom(3);
    for (int round = 0; round < 50; round++) {
      int n = rnd.nextInt(1, 400);
      StringBuilder sb = new StringBuilder("[");
      for (int i = 0; i < n; i++) {
        if (i > 0) {
          sb.append(rnd.nextBoolean() ? "," : ", ");
        }
        float f = (float) (rnd.nextDouble() * 2 - 1) * (rnd.nextInt(5) == 0 ? 1e-7f : 1f);
        sb.append(rnd.nextBoolean() ? Float.toString(f) : Double.toString(f));
      }
      String v = sb.append(']').toString();
      assertThat(count(v, 1 + rnd.nextInt(64))).isEqualTo(n);
    }
  }

  @Test
  void whatIsNotAJsonNumberIsRefusedWhereverTheChunkEnds() {
    String[] invalid = {
      "[01]",
      "[1.]",
      "[.5]",
      "[1,,2]",
      "[1,]",
      "[--1]",
      "[1e]",
      "[1e+]",
      "[NaN]",
      "[true]",
      "[\"1\"]",
      "[1 2]",
      "[+1]",
      "[1.2.3]",
      "[,1]",
      "[-]",
      "[1e5.0]",
      "[0x10]",
      "[Infinity]"
    };
    for (String v : invalid) {
      for (int piece = 1; piece <= 3; piece++) {
        int p = piece;
        assertThatThrownBy(() -> count(v, p))
            .as(v + " in pieces of " + piece)
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("where a number belongs");
      }
    }
  }
}
