package dev.switchboard.server.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class LatencyPackingTest {

  @Test
  void randomHistogramsComeBackAsTheyWent() {
    SplittableRandom rnd = new SplittableRandom(5);
    for (int round = 0; round < 50; round++) {
      List<long[]> in = new ArrayList<>();
      LatencyPacking p = new LatencyPacking();
      long v = rnd.nextInt(3);
      int n = rnd.nextInt(2000);
      for (int i = 0; i < n; i++) {
        long count = rnd.nextInt(10) == 0 ? rnd.nextLong(1L << 40) : rnd.nextInt(1, 300);
        in.add(new long[] {v, count});
        p.add(v, count);
        v += 1 + (rnd.nextBoolean() ? rnd.nextInt(3) : rnd.nextInt(100_000));
      }
      List<long[]> out = new ArrayList<>();
      LatencyPacking.unpack(p.bytes(), (ms, c) -> out.add(new long[] {ms, c}));
      assertThat(out).usingRecursiveFieldByFieldElementComparator().containsExactlyElementsOf(in);
    }
  }

  @Test
  void anEmptyHistogramIsOneByte() {
    byte[] b = new LatencyPacking().bytes();
    assertThat(b).containsExactly(0);
    LatencyPacking.unpack(
        b,
        (ms, c) -> {
          throw new AssertionError("no values");
        });
  }

  @Test
  void valuesOutOfOrderAndDamagedBytesAreRefused() {
    LatencyPacking p = new LatencyPacking();
    p.add(5, 1);
    assertThatThrownBy(() -> p.add(5, 1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> p.add(-1, 1)).isInstanceOf(IllegalArgumentException.class);
    p.add(300, 2);
    byte[] b = p.bytes();
    assertThatThrownBy(
            () -> LatencyPacking.unpack(java.util.Arrays.copyOf(b, b.length - 1), (x, y) -> {}))
        .hasMessageContaining("ends inside a number");
    assertThatThrownBy(
            () -> LatencyPacking.unpack(java.util.Arrays.copyOf(b, b.length + 1), (x, y) -> {}))
        .hasMessageContaining("trailing bytes");
  }
}
