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

  /** A vector of {@code n} numbers as upstreams write them (floats and doubles, both signs). */
  static String vector(SplittableRandom rnd, int n) {
    StringBuilder sb = new StringBuilder("[");
    for (int i = 0; i < n; i++) {
      if (i > 0) {
        sb.append(',');
      }
      float f = (float) (rnd.nextDouble() * 2 - 1) * (rnd.nextInt(5) == 0 ? 1e-7f : 1f);
      sb.append(rnd.nextBoolean() ? Float.toString(f) : Double.toString(f));
    }
    return sb.append(']').toString();
  }

  /**
   * The scan of {@code array} in random pieces (some of them longer than the eight-byte path's
   * room, some shorter): the count, or -1 when refused. A closing bracket anywhere but at the end
   * fails the test.
   */
  static int outcome(String array, SplittableRandom rnd) {
    byte[] b = array.getBytes(StandardCharsets.UTF_8);
    NumberScan scan = new NumberScan();
    scan.reset();
    try {
      for (int at = 1; at < b.length; ) {
        int piece = rnd.nextInt(4) == 0 ? 1 + rnd.nextInt(70) : 64 + rnd.nextInt(4096);
        int to = Math.min(b.length, at + piece);
        // a piece in an array of its own (bytes past `to` must not be read), or in the body
        byte[] chunk = rnd.nextBoolean() ? java.util.Arrays.copyOfRange(b, at, to) : b;
        int off = chunk == b ? 0 : at;
        int end = scan.scan(chunk, at - off, to - off);
        if (end >= 0) {
          assertThat(end + off).as("the closing bracket of " + array).isEqualTo(b.length - 1);
          return scan.count();
        }
        at = to;
      }
    } catch (IllegalArgumentException e) {
      assertThat(e).hasMessageContaining("where a number belongs");
      return -1;
    }
    throw new AssertionError("no closing bracket found in " + array);
  }

  private static final com.fasterxml.jackson.databind.ObjectMapper PLAIN =
      new com.fasterxml.jackson.databind.ObjectMapper();

  /** What a plain JSON parser says of the same text: the count, or -1 when it is not numbers. */
  static int jackson(String array) {
    try {
      JsonNode node = PLAIN.readTree(array);
      for (JsonNode e : node) {
        if (!e.isNumber()) {
          return -1;
        }
      }
      return node.size();
    } catch (Exception e) {
      return -1;
    }
  }

  @Test
  void longVectorsInLargeChunksAreCountedExactly() {
    SplittableRandom rnd = new SplittableRandom(11);
    for (int round = 0; round < 40; round++) {
      int n = rnd.nextInt(1, 3_072);
      String v = vector(rnd, n);
      assertThat(outcome(v, rnd)).as(v).isEqualTo(n);
      assertThat(count(v, v.length())).isEqualTo(n); // whole, in one piece
    }
  }

  @Test
  void everyInvalidElementIsRefusedInTheMiddleOfALongVector() {
    SplittableRandom rnd = new SplittableRandom(12);
    String[] bad = {
      "01",
      "-01",
      "1.",
      ".5",
      "--1",
      "1e",
      "1e+",
      "1E-",
      "NaN",
      "true",
      "\"1\"",
      "+1",
      "1.2.3",
      "1e5.0",
      "0x10",
      "Infinity",
      "-",
      "1e5e5",
      "00",
      "1..2",
      "1.e5",
      "-.5",
      "1 2"
    };
    for (String e : bad) {
      for (int round = 0; round < 8; round++) {
        String head = vector(rnd, rnd.nextInt(1, 300));
        String tail = vector(rnd, rnd.nextInt(1, 300));
        String v = head.substring(0, head.length() - 1) + "," + e + "," + tail.substring(1);
        assertThat(outcome(v, rnd)).as(v).isEqualTo(-1);
        assertThatThrownBy(() -> count(v, v.length())).isInstanceOf(IllegalArgumentException.class);
      }
    }
  }

  @Test
  void aMutatedVectorIsAcceptedExactlyWhenAJsonParserAcceptsIt() {
    SplittableRandom rnd = new SplittableRandom(13);
    String alphabet = "0123456789.-+eE, \n x";
    for (int round = 0; round < 3_000; round++) {
      StringBuilder v = new StringBuilder(vector(rnd, rnd.nextInt(1, 200)));
      for (int m = rnd.nextInt(1, 3); m > 0; m--) {
        int at = rnd.nextInt(1, v.length() - 1);
        char c = alphabet.charAt(rnd.nextInt(alphabet.length()));
        switch (rnd.nextInt(3)) {
          case 0 -> v.setCharAt(at, c);
          case 1 -> v.insert(at, c);
          default -> v.deleteCharAt(at);
        }
      }
      String text = v.toString();
      if (text.indexOf(']') != text.length() - 1) {
        continue; // a bracket mutated away: not a vector any more
      }
      assertThat(outcome(text, rnd)).as(text).isEqualTo(jackson(text));
    }
  }
}
