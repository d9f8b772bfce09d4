package dev.switchboard.server.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class PercentilesTest {

  /** The nearest-rank percentile over a sorted map, the definition the packed form must keep. */
  private static Long reference(TreeMap<Long, Long> counts, double q) {
    long total = counts.values().stream().mapToLong(Long::longValue).sum();
    if (total == 0) {
      return null;
    }
    long rank = Math.max(1, (long) Math.ceil(q * total));
    long seen = 0;
    for (Map.Entry<Long, Long> e : counts.entrySet()) {
      seen += e.getValue();
      if (seen >= rank) {
        return e.getKey();
      }
    }
    return counts.lastKey();
  }

  @Test
  void matchesTheNearestRankDefinitionOverRandomHistograms() {
    Random random = new Random(42);
    for (int round = 0; round < 200; round++) {
      Percentiles p = new Percentiles();
      TreeMap<Long, Long> counts = new TreeMap<>();
      int rows = random.nextInt(round < 100 ? 50 : 20_000);
      int spread = 1 + random.nextInt(3_000);
      for (int i = 0; i < rows; i++) {
        long ms = random.nextInt(spread);
        long n = random.nextInt(4) == 0 ? 1 : 1 + random.nextInt(1_000);
        p.add(ms, n);
        counts.merge(ms, n, Long::sum);
      }
      for (double q : new double[] {0.0, 0.01, 0.5, 0.95, 0.99, 1.0}) {
        assertThat(p.at(q)).as("round %d q %s", round, q).isEqualTo(reference(counts, q));
      }
    }
  }

  @Test
  void countsBeyondThirtyTwoBitsAndAnEmptyHistogram() {
    Percentiles p = new Percentiles();
    assertThat(p.at(0.5)).isNull();
    p.add(10, 6_000_000_000L);
    p.add(20, 4_000_000_000L);
    p.add(30, 1);
    assertThat(p.at(0.5)).isEqualTo(10L);
    assertThat(p.at(0.95)).isEqualTo(20L);
    assertThat(p.at(1.0)).isEqualTo(30L);
  }

  @Test
  void percentilesCanBeAskedBetweenAdds() {
    Percentiles p = new Percentiles();
    p.add(100, 1);
    assertThat(p.at(0.5)).isEqualTo(100L);
    p.add(5, 3);
    assertThat(p.at(0.5)).isEqualTo(5L);
    assertThat(p.at(1.0)).isEqualTo(100L);
  }
}
