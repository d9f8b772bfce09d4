package dev.switchboard.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Watches processes (a gateway, nginx, Portkey) during a run the way {@code bench/load.sh -p} does:
 * each PID with its direct children, CPU time over the measured window, peak RSS sampled every 0.2
 * s, and VmHWM (peak RSS since the process started). Linux {@code /proc} only.
 */
final class ProcWatch implements AutoCloseable {

  private final List<ProcessHandle> handles;
  private volatile long peakKb;
  private final AtomicLong intervalPeakKb = new AtomicLong();
  private volatile boolean sampling;
  private Thread sampler;

  private ProcWatch(List<ProcessHandle> handles) {
    this.handles = handles;
  }

  /** The processes and their direct children; fails when one is not running. */
  static ProcWatch of(List<Long> pids) {
    List<ProcessHandle> out = new ArrayList<>();
    for (long pid : pids) {
      ProcessHandle h =
          ProcessHandle.of(pid)
              .filter(ProcessHandle::isAlive)
              .orElseThrow(() -> new IllegalArgumentException("pid " + pid + " not running"));
      out.add(h);
      h.children().forEach(out::add);
    }
    return new ProcWatch(List.copyOf(out));
  }

  boolean isEmpty() {
    return handles.isEmpty();
  }

  /** CPU time (user + system) of the watched processes so far, nanoseconds. */
  long cpuNanos() {
    long sum = 0;
    for (ProcessHandle h : handles) {
      sum += h.info().totalCpuDuration().map(Duration::toNanos).orElse(0L);
    }
    return sum;
  }

  long rssKb() {
    return statusKb("VmRSS:");
  }

  long hwmKb() {
    return statusKb("VmHWM:");
  }

  long peakKb() {
    return peakKb;
  }

  /** The peak RSS sampled since the last call (or since sampling started), then starts anew. */
  long takeIntervalPeakKb() {
    return Math.max(intervalPeakKb.getAndSet(0), rssKb());
  }

  /** Starts sampling RSS every 200 ms on a daemon thread. */
  void startSampling() {
    sampling = true;
    sampler =
        Thread.ofPlatform()
            .daemon()
            .name("rss-sampler")
            .start(
                () -> {
                  while (sampling) {
                    long rss = rssKb();
                    peakKb = Math.max(peakKb, rss);
                    intervalPeakKb.accumulateAndGet(rss, Math::max);
                    try {
                      Thread.sleep(200);
                    } catch (InterruptedException e) {
                      return;
                    }
                  }
                });
  }

  /** Stops sampling (one last sample is taken). */
  void stopSampling() {
    sampling = false;
    if (sampler != null) {
      sampler.interrupt();
      peakKb = Math.max(peakKb, rssKb());
    }
  }

  @Override
  public void close() {
    stopSampling();
  }

  private long statusKb(String field) {
    long sum = 0;
    for (ProcessHandle h : handles) {
      sum += statusField(h.pid(), field);
    }
    return sum;
  }

  private static long statusField(long pid, String field) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
        if (line.startsWith(field)) {
          String[] parts = line.substring(field.length()).trim().split("\\s+");
          return Long.parseLong(parts[0]);
        }
      }
    } catch (IOException | RuntimeException e) {
      // the process is gone or /proc is not there: nothing to add
    }
    return 0;
  }

  /** The machine's CPU counters from {@code /proc/stat}: {total, idle + iowait} in ticks. */
  static long[] machineTicks() {
    try {
      String first = Files.readAllLines(Path.of("/proc/stat")).get(0);
      String[] f = first.trim().split("\\s+");
      long total = 0;
      for (int i = 1; i < f.length; i++) {
        total += Long.parseLong(f[i]);
      }
      return new long[] {total, Long.parseLong(f[4]) + Long.parseLong(f[5])};
    } catch (IOException | RuntimeException e) {
      return new long[] {0, 0};
    }
  }
}
