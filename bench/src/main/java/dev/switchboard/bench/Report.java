package dev.switchboard.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Turns the {@code summary.txt} of {@code bench/run.sh} into markdown: per mode and upstream, the
 * median over rounds of each measured value, the ratios against the direct call and against Portkey
 * (computed per round, against the baseline of the same round, then the median), and issue 16's
 * targets with each round's value and PASS, FAIL or "FAIL in k of n".
 *
 * <p>Input lines look like {@code round=1 mode=ns upstream=nginx target=gateway point=c16 LABEL
 * tool=wrk c=16 ... rps=... p50=...}; lines not starting with {@code round=} are ignored.
 *
 * <pre>java -cp switchboard-bench-all.jar dev.switchboard.bench.Report summary.txt</pre>
 */
public final class Report {

  /** Non-streaming throughput at 16 and 64 connections, over Portkey's in the same round. */
  static final double PORTKEY_RATIO_TARGET = 20.0;

  /** Non-streaming throughput at 64 connections, over the direct call's in the same round. */
  static final double DIRECT_SHARE_TARGET = 0.25;

  /** Added latency at one connection over the direct call, milliseconds. */
  static final double ADDED_P50_TARGET_MS = 0.1;

  static final double ADDED_P99_TARGET_MS = 0.5;

  /** p99 at a fixed 5,000 requests a second, milliseconds. */
  static final double FIXED_P99_TARGET_MS = 2.0;

  /** CPU a stream costs over a non-streaming request's, at the same connection count. */
  static final double STREAM_CPU_TARGET = 1.5;

  /** Streaming time to first byte added over the direct call at 1,000/s, milliseconds. */
  static final double ADDED_TTFB_TARGET_MS = 0.3;

  /** Streams a second at 16 and 64 connections when issue 16 was filed (another machine). */
  static final double STREAMS_BEFORE_C16 = 3442;

  static final double STREAMS_BEFORE_C64 = 2418;

  /** Gateway peak RSS in the 64-connection non-streaming run, MB. */
  static final double PEAK_RSS_TARGET_MB = 256;

  /** Machine busy % (100 = all cores) just before a run above which it counts as disturbed. */
  static final double DISTURBED_BUSY_PCT = 20;

  /** CPU share the host stole from the machine during a run above which it counts as disturbed. */
  static final double DISTURBED_STEAL_PCT = 5;

  /** One measured run. */
  record Row(Map<String, String> f) {
    String get(String key) {
      return f.get(key);
    }

    boolean error() {
      return f.containsKey("ERROR");
    }

    double num(String key) {
      String v = f.get(key);
      if (v == null) {
        return Double.NaN;
      }
      try {
        return Double.parseDouble(v);
      } catch (NumberFormatException e) {
        return Double.NaN;
      }
    }

    /**
     * Another build or test JVM ran, the machine was busy before the run started, the host stole
     * CPU during it, or the virtual machine was forked or restored (paused) meanwhile.
     */
    boolean disturbed() {
      return !why().isEmpty();
    }

    /** What disturbed the run, empty when nothing did (fields absent from older summaries). */
    String why() {
      List<String> out = new ArrayList<>();
      if (num("others") > 0) {
        out.add(f0(num("others")) + " other maven/test JVM(s)");
      }
      if (num("pre_busy") > DISTURBED_BUSY_PCT) {
        out.add("machine " + f0(num("pre_busy")) + " % busy before");
      }
      if (num("steal") > DISTURBED_STEAL_PCT) {
        out.add("host stole " + f1(num("steal")) + " % of the CPU");
      }
      if (num("vm_forks") > 0) {
        out.add("the virtual machine was forked or restored (kernel log)");
      }
      return String.join(", ", out);
    }

    String key() {
      return get("mode") + "|" + get("upstream") + "|" + get("point") + "|" + get("target");
    }
  }

  private Report() {}

  public static void main(String[] args) throws IOException {
    if (args.length != 1) {
      System.err.println("usage: Report summary.txt");
      System.exit(2);
    }
    System.out.print(render(parse(Files.readAllLines(Path.of(args[0])))));
  }

  static List<Row> parse(List<String> lines) {
    List<Row> rows = new ArrayList<>();
    for (String line : lines) {
      if (!line.startsWith("round=")) {
        continue;
      }
      Map<String, String> f = new LinkedHashMap<>();
      for (String tok : line.trim().split("\\s+")) {
        int eq = tok.indexOf('=');
        if (eq > 0) {
          f.putIfAbsent(tok.substring(0, eq), tok.substring(eq + 1));
        } else if (tok.equals("ERROR")) {
          f.put("ERROR", line.substring(line.indexOf("ERROR")));
        }
      }
      rows.add(new Row(f));
    }
    return rows;
  }

  static double median(List<Double> values) {
    double[] v = values.stream().filter(d -> !d.isNaN()).mapToDouble(Double::doubleValue).toArray();
    if (v.length == 0) {
      return Double.NaN;
    }
    Arrays.sort(v);
    int m = v.length / 2;
    return v.length % 2 == 1 ? v[m] : (v[m - 1] + v[m]) / 2;
  }

  /** The rows of one cell (mode, upstream, load point, target), one per round. */
  private static List<Row> cell(List<Row> rows, String mode, String up, String point, String t) {
    String key = mode + "|" + up + "|" + point + "|" + t;
    return rows.stream().filter(r -> r.key().equals(key) && !r.error()).toList();
  }

  /** The median over rounds of a value. */
  private static double med(List<Row> cell, String field) {
    return median(cell.stream().map(r -> r.num(field)).toList());
  }

  /**
   * The median over rounds of {@code f(target row, baseline row)}, pairing rows of the same round.
   */
  private static double perRound(
      List<Row> target, List<Row> baseline, java.util.function.BiFunction<Row, Row, Double> f) {
    return median(paired(target, baseline, f));
  }

  static String render(List<Row> rows) {
    StringBuilder out = new StringBuilder();
    Set<String> rounds = distinct(rows, r -> r.get("round"));
    out.append("Medians over ")
        .append(rounds.size())
        .append(" round(s); ratios and differences are taken per round against the baseline of")
        .append(" the same round, then the median. Latencies in ms; RSS in MB.\n");
    for (String mode : distinct(rows, r -> r.get("mode"))) {
      for (String up : distinct(rows, r -> r.get("upstream"))) {
        List<Row> these =
            rows.stream()
                .filter(r -> mode.equals(r.get("mode")) && up.equals(r.get("upstream")))
                .toList();
        if (these.isEmpty()) {
          continue;
        }
        out.append("\n### ")
            .append(mode.equals("s") ? "Streaming" : "Non-streaming")
            .append(", upstream ")
            .append(up)
            .append("\n\n");
        out.append(
            "| load | target | req/s | p50 | p90 | p99 | ttfb p50 | err / non-2xx / late |"
                + " CPU % of watched | CPU µs a request | peak RSS of watched | disturbed rounds |\n");
        out.append("|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        Set<String> points = distinct(these, r -> r.get("point"));
        Set<String> targets = distinct(these, r -> r.get("target"));
        for (String p : points) {
          for (String t : targets) {
            List<Row> c = cell(rows, mode, up, p, t);
            long failed =
                these.stream()
                    .filter(r -> r.error() && p.equals(r.get("point")) && t.equals(r.get("target")))
                    .count();
            if (c.isEmpty() && failed == 0) {
              continue;
            }
            out.append(
                String.format(
                    Locale.ROOT,
                    "| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n",
                    pointName(p),
                    t,
                    f0(med(c, "rps")),
                    f3(med(c, "p50")),
                    f3(med(c, "p90")),
                    f3(med(c, "p99")),
                    f3(med(c, "ttfb_p50")),
                    f0(med(c, "err"))
                        + " / "
                        + f0(med(c, "non2xx"))
                        + " / "
                        + f0(med(c, "late"))
                        + (failed > 0 ? " (" + failed + " run(s) failed)" : ""),
                    f0(med(c, "w_cpu%")),
                    f0(median(c.stream().map(Report::cpuMicros).toList())),
                    f0(med(c, "w_rss_peak_MB")),
                    c.stream().filter(Row::disturbed).count() + " of " + c.size()));
          }
        }
        if (!targets.contains("direct")) {
          continue;
        }
        out.append(
            "\n| load | gateway ÷ direct req/s | gateway − direct p50 | gateway − direct p99 |"
                + " gateway ÷ Portkey req/s | Portkey − direct p50 |\n");
        out.append("|---|---|---|---|---|---|\n");
        for (String p : points) {
          List<Row> d = cell(rows, mode, up, p, "direct");
          List<Row> g = cell(rows, mode, up, p, "gateway");
          List<Row> k = cell(rows, mode, up, p, "portkey");
          if (g.isEmpty() || d.isEmpty()) {
            continue;
          }
          out.append(
              String.format(
                  Locale.ROOT,
                  "| %s | %s | %s | %s | %s | %s |\n",
                  pointName(p),
                  f3(perRound(g, d, (a, b) -> a.num("rps") / b.num("rps"))),
                  f3(perRound(g, d, (a, b) -> a.num("p50") - b.num("p50"))),
                  f3(perRound(g, d, (a, b) -> a.num("p99") - b.num("p99"))),
                  k.isEmpty() ? "–" : f1(perRound(g, k, (a, b) -> a.num("rps") / b.num("rps"))),
                  k.isEmpty() ? "–" : f3(perRound(k, d, (a, b) -> a.num("p50") - b.num("p50")))));
        }
      }
    }
    long disturbed = rows.stream().filter(Row::disturbed).count();
    out.append(
        String.format(
            Locale.ROOT,
            "\nDisturbed runs: %d of %d (another maven/test JVM running, the machine more than"
                + " %.0f%% busy just before the run, the host stealing more than %.0f%% of the CPU"
                + " during it, or the virtual machine forked or restored meanwhile).\n",
            disturbed,
            rows.size(),
            DISTURBED_BUSY_PCT,
            DISTURBED_STEAL_PCT));
    for (Row r : rows) {
      if (r.disturbed()) {
        out.append(
            String.format(
                Locale.ROOT,
                "- round %s, %s, %s, %s: %s\n",
                r.get("round"),
                "s".equals(r.get("mode")) ? "streaming" : "non-streaming",
                r.get("target"),
                pointName(r.get("point")),
                r.why()));
      }
    }
    out.append(targets(rows));
    return out.toString();
  }

  /**
   * Issue 16's targets, judged on the nginx upstream (bench/upstream.sh's fixed answers): each with
   * its value in every round, the median, and PASS when every round meets it, FAIL when none does,
   * "FAIL in k of n" otherwise.
   */
  static String targets(List<Row> rows) {
    StringBuilder out = new StringBuilder("\n### Targets\n\n");
    String up = "nginx";
    List<Row> ns64 = cell(rows, "ns", up, "c64", "gateway");
    target(
        out,
        "Non-streaming throughput at 64 connections ≥ 25 % of the direct call (share)",
        paired(ns64, cell(rows, "ns", up, "c64", "direct"), (a, b) -> a.num("rps") / b.num("rps")),
        v -> v >= DIRECT_SHARE_TARGET,
        Report::f3);
    for (String p : List.of("c16", "c64")) {
      target(
          out,
          "Non-streaming throughput at " + p.substring(1) + " connections ≥ 20× Portkey",
          paired(
              cell(rows, "ns", up, p, "gateway"),
              cell(rows, "ns", up, p, "portkey"),
              (a, b) -> a.num("rps") / b.num("rps")),
          v -> v >= PORTKEY_RATIO_TARGET,
          Report::f1);
    }
    List<Row> g1 = cell(rows, "ns", up, "c1", "gateway");
    List<Row> d1 = cell(rows, "ns", up, "c1", "direct");
    target(
        out,
        "Added p50 at 1 connection ≤ 0.1 ms (ms over the direct call)",
        paired(g1, d1, (a, b) -> a.num("p50") - b.num("p50")),
        v -> v <= ADDED_P50_TARGET_MS,
        Report::f3);
    target(
        out,
        "Added p99 at 1 connection ≤ 0.5 ms (ms over the direct call)",
        paired(g1, d1, (a, b) -> a.num("p99") - b.num("p99")),
        v -> v <= ADDED_P99_TARGET_MS,
        Report::f3);
    List<Row> fixed = cell(rows, "ns", up, "R5000x64", "gateway");
    List<Double> fixedP99 = new ArrayList<>();
    int saturated = 0;
    for (Row r : fixed) {
      fixedP99.add(r.num("p99"));
      if (r.num("rps") < 0.95 * 5000) {
        saturated++;
      }
    }
    target(
        out,
        "Fixed 5,000 requests/s: p99 ≤ 2 ms"
            + (saturated > 0
                ? " (saturated in "
                    + saturated
                    + " of "
                    + fixed.size()
                    + ": >5 % short of the rate)"
                : ""),
        fixedP99,
        v -> v <= FIXED_P99_TARGET_MS,
        Report::f3);
    for (String p : List.of("c16", "c64")) {
      target(
          out,
          "Streaming CPU a request ≤ 1.5× a non-streaming request's at "
              + p.substring(1)
              + " connections (stream µs ÷ non-stream µs)",
          paired(
              cell(rows, "s", up, p, "gateway"),
              cell(rows, "ns", up, p, "gateway"),
              (a, b) -> cpuMicros(a) / cpuMicros(b)),
          v -> v <= STREAM_CPU_TARGET,
          Report::f2);
    }
    target(
        out,
        "Streaming time to first byte adds ≤ 0.3 ms at p50 (fixed 1,000/s, ms over the direct call)",
        paired(
            cell(rows, "s", up, "R1000x64", "gateway"),
            cell(rows, "s", up, "R1000x64", "direct"),
            (a, b) -> a.num("ttfb_p50") - b.num("ttfb_p50")),
        v -> v <= ADDED_TTFB_TARGET_MS,
        Report::f3);
    for (String p : List.of("c16", "c64")) {
      double before = p.equals("c16") ? STREAMS_BEFORE_C16 : STREAMS_BEFORE_C64;
      target(
          out,
          String.format(
              Locale.ROOT,
              "Streams/s at %s connections ≥ 2× the %,.0f measured when the issue was filed"
                  + " (another machine: a hint, not a same-run ratio)",
              p.substring(1),
              before),
          cell(rows, "s", up, p, "gateway").stream().map(r -> r.num("rps")).toList(),
          v -> v >= 2 * before,
          Report::f0);
    }
    target(
        out,
        "Peak RSS ≤ 256 MB in the 64-connection non-streaming run (MB)",
        ns64.stream().map(r -> r.num("w_rss_peak_MB")).toList(),
        v -> v <= PEAK_RSS_TARGET_MB,
        Report::f0);
    double peak = maxOf(rows, "gateway", "w_rss_peak_MB");
    out.append(
        String.format(
            Locale.ROOT,
            "\nGateway peak RSS over all runs: %s MB (VmHWM %s MB); Portkey: %s MB\n",
            f0(peak),
            f0(maxOf(rows, "gateway", "w_hwm_MB")),
            f0(maxOf(rows, "portkey", "w_rss_peak_MB"))));
    return out.toString();
  }

  /** The watched process's CPU time per completed request, microseconds. */
  static double cpuMicros(Row r) {
    return r.num("w_cpu%") * 1e4 / r.num("rps");
  }

  private static double maxOf(List<Row> rows, String target, String field) {
    return rows.stream()
        .filter(r -> target.equals(r.get("target")) && !r.error())
        .mapToDouble(r -> r.num(field))
        .filter(v -> !Double.isNaN(v))
        .max()
        .orElse(Double.NaN);
  }

  /** {@code f(target row, baseline row)} for each round both have, in round order. */
  private static List<Double> paired(
      List<Row> target, List<Row> baseline, java.util.function.BiFunction<Row, Row, Double> f) {
    List<Double> out = new ArrayList<>();
    for (Row t : target) {
      for (Row b : baseline) {
        if (b.get("round").equals(t.get("round"))) {
          out.add(f.apply(t, b));
        }
      }
    }
    return out;
  }

  private static void target(
      StringBuilder out,
      String name,
      List<Double> perRound,
      java.util.function.DoublePredicate ok,
      java.util.function.DoubleFunction<String> fmt) {
    List<Double> values = perRound.stream().filter(d -> !d.isNaN()).toList();
    out.append("- ").append(name).append(": ");
    if (values.isEmpty()) {
      out.append("**NOT MEASURED**\n");
      return;
    }
    long failed = values.stream().filter(v -> !ok.test(v)).count();
    out.append(fmt.apply(median(values)))
        .append(" (rounds: ")
        .append(String.join(", ", values.stream().map(fmt::apply).toList()))
        .append(") → **")
        .append(
            failed == 0
                ? "PASS"
                : failed == values.size() ? "FAIL" : "FAIL in " + failed + " of " + values.size())
        .append("**\n");
  }

  static String pointName(String p) {
    if (p.startsWith("c")) {
      return p.substring(1) + " conn";
    }
    if (p.startsWith("R")) {
      int x = p.indexOf('x');
      return x > 0
          ? p.substring(1, x) + " req/s (" + p.substring(x + 1) + " conn)"
          : p.substring(1) + " req/s";
    }
    return p;
  }

  private static Set<String> distinct(List<Row> rows, Function<Row, String> f) {
    Set<String> out = new LinkedHashSet<>();
    for (Row r : rows) {
      String v = f.apply(r);
      if (v != null) {
        out.add(v);
      }
    }
    return out;
  }

  private static String f0(double v) {
    return Double.isNaN(v) ? "–" : String.format(Locale.ROOT, "%,.0f", v);
  }

  private static String f1(double v) {
    return Double.isNaN(v) ? "–" : String.format(Locale.ROOT, "%.1f", v);
  }

  private static String f2(double v) {
    return Double.isNaN(v) ? "–" : String.format(Locale.ROOT, "%.2f", v);
  }

  private static String f3(double v) {
    return Double.isNaN(v) ? "–" : String.format(Locale.ROOT, "%.3f", v);
  }
}
