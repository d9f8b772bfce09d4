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
 * (computed per round, against the baseline of the same round, then the median), and the two
 * targets of the performance requirement with PASS or FAIL.
 *
 * <p>Input lines look like {@code round=1 mode=ns upstream=nginx target=gateway point=c16 LABEL
 * tool=wrk c=16 ... rps=... p50=...}; lines not starting with {@code round=} are ignored.
 *
 * <pre>java -cp switchboard-bench-all.jar dev.switchboard.bench.Report summary.txt</pre>
 */
public final class Report {

  /** Non-streaming throughput through the gateway at 16 and 64 connections, over Portkey's. */
  static final double THROUGHPUT_TARGET = 10.0;

  /** Added p50 latency at one connection over the direct call, milliseconds. */
  static final double ADDED_P50_TARGET_MS = 0.5;

  /** Machine busy % (100 = all cores) just before a run above which it counts as disturbed. */
  static final double DISTURBED_BUSY_PCT = 20;

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

    /** Another build or test JVM ran, or the machine was busy before the run started. */
    boolean disturbed() {
      return num("others") > 0 || num("pre_busy") > DISTURBED_BUSY_PCT;
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
    List<Double> out = new ArrayList<>();
    for (Row t : target) {
      for (Row b : baseline) {
        if (b.get("round").equals(t.get("round"))) {
          out.add(f.apply(t, b));
        }
      }
    }
    return median(out);
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
                + " CPU % of watched | peak RSS of watched | disturbed rounds |\n");
        out.append("|---|---|---|---|---|---|---|---|---|---|---|\n");
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
                    "| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n",
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
            "\nDisturbed runs: %d of %d (another maven/test JVM running, or the machine more than"
                + " %.0f%% busy just before the run).\n",
            disturbed,
            rows.size(),
            DISTURBED_BUSY_PCT));
    out.append(targets(rows));
    return out.toString();
  }

  /** The two targets, judged on the nginx upstream (bench/upstream.sh's fixed answers). */
  static String targets(List<Row> rows) {
    StringBuilder out = new StringBuilder("\n### Targets\n\n");
    for (String p : List.of("c16", "c64")) {
      double ratio =
          perRound(
              cell(rows, "ns", "nginx", p, "gateway"),
              cell(rows, "ns", "nginx", p, "portkey"),
              (a, b) -> a.num("rps") / b.num("rps"));
      double gw = med(cell(rows, "ns", "nginx", p, "gateway"), "rps");
      double pk = med(cell(rows, "ns", "nginx", p, "portkey"), "rps");
      out.append(
          String.format(
              Locale.ROOT,
              "- Non-streaming throughput at %s connections ≥ %.0f× Portkey: gateway %s req/s,"
                  + " Portkey %s req/s, ratio %s× → **%s**\n",
              p.substring(1),
              THROUGHPUT_TARGET,
              f0(gw),
              f0(pk),
              f1(ratio),
              verdict(ratio, r -> r >= THROUGHPUT_TARGET)));
    }
    for (String up : List.of("nginx", "sim")) {
      List<Row> g = cell(rows, "ns", up, "c1", "gateway");
      List<Row> d = cell(rows, "ns", up, "c1", "direct");
      if (g.isEmpty() || d.isEmpty()) {
        continue;
      }
      double added = perRound(g, d, (a, b) -> a.num("p50") - b.num("p50"));
      out.append(
          String.format(
              Locale.ROOT,
              "- Added p50 at 1 connection ≤ %.1f ms (non-streaming, upstream %s): gateway %s ms,"
                  + " direct %s ms, added %s ms → **%s**\n",
              ADDED_P50_TARGET_MS,
              up,
              f3(med(g, "p50")),
              f3(med(d, "p50")),
              f3(added),
              verdict(added, a -> a <= ADDED_P50_TARGET_MS)));
    }
    double peak =
        rows.stream()
            .filter(r -> "gateway".equals(r.get("target")) && !r.error())
            .mapToDouble(r -> r.num("w_rss_peak_MB"))
            .filter(v -> !Double.isNaN(v))
            .max()
            .orElse(Double.NaN);
    double hwm =
        rows.stream()
            .filter(r -> "gateway".equals(r.get("target")) && !r.error())
            .mapToDouble(r -> r.num("w_hwm_MB"))
            .filter(v -> !Double.isNaN(v))
            .max()
            .orElse(Double.NaN);
    double portkey =
        rows.stream()
            .filter(r -> "portkey".equals(r.get("target")) && !r.error())
            .mapToDouble(r -> r.num("w_rss_peak_MB"))
            .filter(v -> !Double.isNaN(v))
            .max()
            .orElse(Double.NaN);
    out.append(
        String.format(
            Locale.ROOT,
            "- Gateway peak RSS over all runs: %s MB (VmHWM %s MB); Portkey: %s MB\n",
            f0(peak),
            f0(hwm),
            f0(portkey)));
    return out.toString();
  }

  private static String verdict(double v, java.util.function.DoublePredicate ok) {
    if (Double.isNaN(v)) {
      return "NOT MEASURED";
    }
    return ok.test(v) ? "PASS" : "FAIL";
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

  private static String f3(double v) {
    return Double.isNaN(v) ? "–" : String.format(Locale.ROOT, "%.3f", v);
  }
}
