package dev.switchboard.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReportTest {

  /** One summary line as bench/run.sh writes it; {@code fields} are "key=value" tokens. */
  private static String line(int round, String mode, String target, String point, String fields) {
    return "round="
        + round
        + " mode="
        + mode
        + " upstream=nginx target="
        + target
        + " point="
        + point
        + " load=0.1 pre_busy=3 others=0 "
        + target
        + "-nginx tool=wrk c=1 t=1 R=- d=20 "
        + fields
        + " n=10 err=0 non2xx=0";
  }

  /** Two rounds where the gateway meets some targets in both, some in one, some in none. */
  private static List<String> twoRounds() {
    List<String> l = new ArrayList<>();
    l.add("# header lines are ignored");
    // 1 connection: added p50 0.08 and 0.12 (one of two fails), added p99 0.3 and 0.4 (pass)
    l.add(line(1, "ns", "direct", "c1", "rps=20000 p50=0.050 p90=0.1 p99=0.500"));
    l.add(line(1, "ns", "gateway", "c1", "rps=5000 p50=0.130 p90=0.2 p99=0.800"));
    l.add(line(2, "ns", "direct", "c1", "rps=20000 p50=0.050 p90=0.1 p99=0.500"));
    l.add(line(2, "ns", "gateway", "c1", "rps=5000 p50=0.170 p90=0.2 p99=0.900"));
    // 16 connections: Portkey ratios 25 and 21 (pass); 250 % CPU at 25,000/s = 100 µs a request
    l.add(line(1, "ns", "gateway", "c16", "rps=25000 p50=0.6 p90=1 p99=2 w_cpu%=250"));
    l.add(line(1, "ns", "portkey", "c16", "rps=1000 p50=15 p90=20 p99=30"));
    l.add(line(2, "ns", "gateway", "c16", "rps=21000 p50=0.7 p90=1 p99=2 w_cpu%=210"));
    l.add(line(2, "ns", "portkey", "c16", "rps=1000 p50=15 p90=20 p99=30"));
    // 64 connections: share of direct 0.2 (fail) both rounds; RSS 240 and 270 MB
    l.add(line(1, "ns", "direct", "c64", "rps=100000 p50=0.5 p90=1 p99=2"));
    l.add(line(1, "ns", "gateway", "c64", "rps=20000 p50=3 p90=4 p99=8 w_rss_peak_MB=240"));
    l.add(line(1, "ns", "portkey", "c64", "rps=1000 p50=60 p90=70 p99=90 w_rss_peak_MB=230"));
    l.add(line(2, "ns", "direct", "c64", "rps=100000 p50=0.5 p90=1 p99=2"));
    l.add(line(2, "ns", "gateway", "c64", "rps=20000 p50=3 p90=4 p99=8 w_rss_peak_MB=270"));
    l.add(line(2, "ns", "portkey", "c64", "rps=800 p50=60 p90=70 p99=90"));
    // fixed 5,000/s: round 2 fell more than 5 % short of the rate
    l.add(line(1, "ns", "gateway", "R5000x64", "rps=4990 p50=0.5 p90=1 p99=1.5"));
    l.add(line(2, "ns", "gateway", "R5000x64", "rps=4000 p50=0.5 p90=1 p99=40"));
    // streams at 16 connections: 200 % CPU at 10,000/s = 200 µs, twice the non-streaming 100 µs
    l.add(line(1, "s", "gateway", "c16", "rps=10000 p50=1 p90=2 p99=3 w_cpu%=200"));
    l.add(line(2, "s", "gateway", "c16", "rps=7000 p50=1 p90=2 p99=3 w_cpu%=140"));
    // ttfb at 1,000/s: added 0.25 and 0.2
    l.add(line(1, "s", "direct", "R1000x64", "rps=1000 p50=1 p90=2 p99=3 ttfb_p50=0.100"));
    l.add(line(1, "s", "gateway", "R1000x64", "rps=1000 p50=1 p90=2 p99=3 ttfb_p50=0.350"));
    l.add(line(2, "s", "direct", "R1000x64", "rps=1000 p50=1 p90=2 p99=3 ttfb_p50=0.100"));
    l.add(line(2, "s", "gateway", "R1000x64", "rps=1000 p50=1 p90=2 p99=3 ttfb_p50=0.300"));
    return l;
  }

  @Test
  void eachTargetShowsEveryRoundAndItsVerdict() {
    String out = Report.render(Report.parse(twoRounds()));
    assertThat(out)
        .contains(
            "Non-streaming throughput at 64 connections ≥ 25 % of the direct call (share):"
                + " 0.200 (rounds: 0.200, 0.200) → **FAIL**")
        .contains(
            "Non-streaming throughput at 16 connections ≥ 20× Portkey: 23.0 (rounds: 25.0, 21.0)"
                + " → **PASS**")
        .contains(
            "Non-streaming throughput at 64 connections ≥ 20× Portkey: 22.5 (rounds: 20.0, 25.0)"
                + " → **PASS**")
        .contains("Added p50 at 1 connection ≤ 0.1 ms (ms over the direct call): 0.100 (rounds:")
        .contains("→ **FAIL in 1 of 2**")
        .contains(
            "Added p99 at 1 connection ≤ 0.5 ms (ms over the direct call): 0.350 (rounds: 0.300,"
                + " 0.400) → **PASS**")
        .contains(
            "Fixed 5,000 requests/s: p99 ≤ 2 ms (saturated in 1 of 2: >5 % short of the rate):"
                + " 20.750 (rounds: 1.500, 40.000) → **FAIL in 1 of 2**")
        .contains(
            "at 16 connections (stream µs ÷ non-stream µs): 2.00 (rounds: 2.00, 2.00) → **FAIL**")
        .contains(
            "Streaming time to first byte adds ≤ 0.3 ms at p50 (fixed 1,000/s, ms over the direct"
                + " call): 0.225 (rounds: 0.250, 0.200) → **PASS**")
        .contains("Streams/s at 16 connections ≥ 2× the 3,442 measured")
        .contains(": 8,500 (rounds: 10,000, 7,000) → **PASS**")
        .contains("Streams/s at 64 connections ≥ 2× the 2,418 measured")
        .contains(
            "Peak RSS ≤ 256 MB in the 64-connection non-streaming run (MB): 255 (rounds: 240, 270)"
                + " → **FAIL in 1 of 2**")
        .contains("Gateway peak RSS over all runs: 270 MB");
    // streams at 64 connections were not measured in these rows
    assertThat(out).containsPattern("Streams/s at 64 connections[^\\n]*\\*\\*NOT MEASURED\\*\\*");
  }

  @Test
  void tablesShowCpuMicrosecondsARequestAndFailedRuns() {
    List<String> lines = new ArrayList<>(twoRounds());
    lines.add("round=3 mode=ns upstream=nginx target=gateway point=c16 gateway ERROR probe failed");
    String out = Report.render(Report.parse(lines));
    // 250 % at 25,000/s and 210 % at 21,000/s are both 100 µs a request
    assertThat(out)
        .containsPattern("\\| 16 conn \\| gateway \\| 23,000 \\|[^\\n]*\\| 230 \\| 100 \\|");
    assertThat(out).contains("(1 run(s) failed)");
    assertThat(out).contains("Disturbed runs: 0 of 23");
  }

  @Test
  void runsDisturbedByTheHostAreCountedAndNamed() {
    List<String> lines = new ArrayList<>(twoRounds());
    // a VM snapshot during round 1's gateway run at one connection; steal in a streaming run
    lines.set(2, lines.get(2).replace(" others=0 ", " others=0 steal=0.0 vm_forks=1 "));
    lines.set(
        lines.size() - 1,
        lines.get(lines.size() - 1).replace(" others=0 ", " others=0 steal=7.5 "));
    // a quiet run's fields say nothing
    lines.set(3, lines.get(3).replace(" others=0 ", " others=0 steal=0.4 vm_forks=0 "));
    String out = Report.render(Report.parse(lines));
    assertThat(out)
        .contains("Disturbed runs: 2 of 22")
        .contains(
            "- round 1, non-streaming, gateway, 1 conn: the virtual machine was forked or restored"
                + " (kernel log)")
        .contains(
            "- round 2, streaming, gateway, 1000 req/s (64 conn): host stole 7.5 % of the CPU")
        .doesNotContain("- round 2, non-streaming, direct, 1 conn");
  }

  @Test
  void cpuMicrosIsCpuTimeOverCompletedRequests() {
    Report.Row r =
        Report.parse(List.of(line(1, "ns", "gateway", "c16", "rps=2000 w_cpu%=50"))).get(0);
    assertThat(Report.cpuMicros(r)).isEqualTo(250.0);
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
