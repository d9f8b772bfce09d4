package dev.switchboard.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * Rounds of one piece of work on the calling thread, for the in-process cost harnesses ({@link
 * StreamCodecCost}, {@link EmbeddingsCodecCost}): per round, the thread's CPU microseconds and the
 * kilobytes it allocated per unit of work, then the median round (by CPU). Round 0 warms up and is
 * not printed.
 */
final class CpuRounds {

  private CpuRounds() {}

  /**
   * Runs {@code work} (which does some units and returns how many) for {@code seconds} per round,
   * {@code rounds} rounds after the warm-up one, and prints {@code round=R <units>=N
   * cpu_us_per_<unit>=C alloc_kb_per_<unit>=A} per round and {@code median ...} with the load.
   */
  static void measure(String unit, String units, double seconds, int rounds, LongSupplier work)
      throws IOException {
    var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long tid = Thread.currentThread().threadId();
    List<double[]> results = new ArrayList<>();
    for (int r = 0; r <= rounds; r++) {
      long n = 0;
      long cpu0 = threads.getCurrentThreadCpuTime();
      long alloc0 = threads.getThreadAllocatedBytes(tid);
      long end = System.nanoTime() + (long) (seconds * 1e9);
      while (System.nanoTime() < end) {
        n += work.getAsLong();
      }
      double cpuUs = (threads.getCurrentThreadCpuTime() - cpu0) / 1e3 / n;
      double allocKb = (threads.getThreadAllocatedBytes(tid) - alloc0) / 1024.0 / n;
      if (r > 0) {
        results.add(new double[] {cpuUs, allocKb});
        System.out.printf(
            "round=%d %s=%d cpu_us_per_%s=%.1f alloc_kb_per_%s=%.1f%n",
            r, units, n, unit, cpuUs, unit, allocKb);
      }
    }
    results.sort((a, b) -> Double.compare(a[0], b[0]));
    double[] median = results.get(results.size() / 2);
    System.out.printf(
        "median cpu_us_per_%s=%.1f alloc_kb_per_%s=%.1f load=%s%n",
        unit, median[0], unit, median[1], Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
  }
}
