package dev.switchboard.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ReportTest {

  private static String line(int round, String target, String point, double rps, double p50) {
    return "round="
        + round
        + " mode=ns upstream=nginx target="
        + target
        + " point="
        + point
        + " "
        + target
        + " tool=wrk c=1 t=1 R=- d=20 rps="
        + rps
        + " p50="
        + p50
        + " p90=1 p99=2 n=10 err=0 non2xx=0 w_rss_peak_MB=100.0 w_hwm_MB=120.0";
  }

  @Test
  void mediansAndPerRoundRatiosDecideTheTargets() {
    List<String> lines =
        List.of(
            "# header lines are ignored",
            line(1, "direct", "c1", 20000, 0.040),
            line(1, "gateway", "c1", 3000, 0.300),
            line(1, "portkey", "c1", 700, 1.2),
            line(2, "direct", "c1", 22000, 0.050),
            line(2, "gateway", "c1", 3100, 0.400),
            line(2, "portkey", "c1", 720, 1.3),
            line(1, "gateway", "c16", 9000, 1.0),
            line(1, "portkey", "c16", 850, 15),
            line(2, "gateway", "c16", 8000, 1.0),
            line(2, "portkey", "c16", 900, 15),
            line(1, "gateway", "c64", 12000, 4.0),
            line(1, "portkey", "c64", 900, 60).replace(" portkey tool", " others=1 portkey tool"),
            "round=2 mode=ns upstream=nginx target=gateway point=c64 gateway ERROR probe failed");
    List<Report.Row> rows = Report.parse(lines);
    assertThat(rows).hasSize(13);
    String out = Report.render(rows);
    // added p50 per round: 0.26 and 0.35 -> median 0.305
    assertThat(out).contains("added 0.305 ms → **PASS**");
    // c16 ratios 10.588 and 8.889 -> median 9.7: fails
    assertThat(out).contains("ratio 9.7× → **FAIL**");
    // c64: only round 1 succeeded for the gateway
    assertThat(out).contains("ratio 13.3× → **PASS**");
    assertThat(out).contains("(1 run(s) failed)");
    assertThat(out).contains("Gateway peak RSS over all runs: 100 MB (VmHWM 120 MB)");
    assertThat(out).contains("Disturbed runs: 1 of 13");
  }

  @Test
  void medianOfEvenAndOddCounts() {
    assertThat(Report.median(List.of(3.0, 1.0, 2.0))).isEqualTo(2.0);
    assertThat(Report.median(List.of(4.0, 1.0))).isEqualTo(2.5);
    assertThat(Report.median(List.of())).isNaN();
  }

  @Test
  void namesLoadPoints() {
    assertThat(Report.pointName("c16")).isEqualTo("16 conn");
    assertThat(Report.pointName("R1000x64")).isEqualTo("1000 req/s (64 conn)");
  }
}
