package dev.switchboard.server.storage;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * The record writer as cluster mode uses it: N request threads, each recording a generation and its
 * usage charge, then waiting for {@link Storage#durable()} before its next one, as a reply waits
 * for its record's commit (issue 12). Prints records/s, the commit wait (p50/p99), records per
 * transaction and the process's CPU per record, per engine and concurrency. Not a test and not run
 * by default:
 *
 * <pre>
 * ./mvnw -pl storage -am verify -Dtest=DurableWriterBench -Dstorage.bench=true \
 *     -Dsurefire.failIfNoSpecifiedTests=false [-Dbench.engines=sqlite,postgres-batches,postgres]
 *     [-Dbench.rounds=1]
 *     [-Dbench.threads=16,64] [-Dbench.seconds=10]
 * </pre>
 *
 * PostgreSQL is the test kit's (a database of its own, dropped at the end). bench/writer.sh runs
 * it.
 */
@EnabledIfSystemProperty(named = "storage.bench", matches = "true")
class DurableWriterBench {

  @Test
  void recordsPerSecondWithRequestsWaitingForTheirCommit() throws Exception {
    String[] engines =
        System.getProperty("bench.engines", "sqlite,postgres-batches,postgres").split(",");
    int[] threads =
        Arrays.stream(System.getProperty("bench.threads", "16,64").split(","))
            .mapToInt(Integer::parseInt)
            .toArray();
    int seconds = Integer.getInteger("bench.seconds", 10);
    System.out.printf(
        "writer bench: %d s per point, %d cpus, load %s%n",
        seconds, Runtime.getRuntime().availableProcessors(), loadAverage());
    System.out.println(
        "engine | threads | records/s | wait p50 ms | wait p99 ms | records/tx | cpu µs/record");
    int rounds = Integer.getInteger("bench.rounds", 1);
    for (int round = 1; round <= rounds; round++) {
      for (String engine : engines) {
        for (int n : threads) {
          Path dir = Files.createTempDirectory("switchboard-writer-bench");
          // postgres-batches: the per-table executeBatch and COMMIT the writer sent before.
          String kind = engine.startsWith("postgres") ? "postgres" : engine;
          WriteTransaction.postgresOneStatement = !engine.equals("postgres-batches");
          try (Backend backend = Backend.of(kind, dir)) {
            run(backend, engine, n, 3, false); // warm-up
            run(backend, engine, n, seconds, true);
          } finally {
            WriteTransaction.postgresOneStatement = true;
            deleteRecursively(dir);
          }
        }
      }
      System.out.printf("round %d done, load %s%n", round, loadAverage());
    }
  }

  private static void run(Backend backend, String engine, int threads, int seconds, boolean print)
      throws Exception {
    try (Storage storage = backend.open(StorageOptions.defaults())) {
      String keyHash = Keys.hash("sk-sb-v1-writer-bench");
      AtomicBoolean stop = new AtomicBoolean();
      long[][] waits = new long[threads][];
      int[] counts = new int[threads];
      CountDownLatch started = new CountDownLatch(threads);
      List<Thread> workers = new ArrayList<>();
      long batchesBefore = storage.stats().batches();
      long writtenBefore = storage.stats().written();
      for (int t = 0; t < threads; t++) {
        int me = t;
        Thread w =
            Thread.ofPlatform()
                .start(
                    () -> {
                      long[] mine = new long[1 << 16];
                      int i = 0;
                      started.countDown();
                      while (!stop.get()) {
                        String id = "gen-wb-" + System.nanoTime() + "-" + me + "-" + i;
                        Instant at = Instant.now();
                        storage.generations().record(Generations.full(id, keyHash, at));
                        storage
                            .keys()
                            .charge(
                                new UsageCharge(
                                    keyHash, new BigDecimal("0.000123"), BigDecimal.ZERO, at, id));
                        long t0 = System.nanoTime();
                        storage.durable().toCompletableFuture().join();
                        if (i < mine.length) {
                          mine[i] = System.nanoTime() - t0;
                        }
                        i++;
                      }
                      waits[me] = mine;
                      counts[me] = i;
                    });
        workers.add(w);
      }
      started.await();
      long cpu0 = processCpuNanos();
      long start = System.nanoTime();
      Thread.sleep(seconds * 1000L);
      stop.set(true);
      for (Thread w : workers) {
        w.join();
      }
      long elapsed = System.nanoTime() - start;
      long cpu = processCpuNanos() - cpu0;
      if (!print) {
        return;
      }
      long total = Arrays.stream(counts).asLongStream().sum();
      long[] all =
          java.util.stream.IntStream.range(0, threads)
              .boxed()
              .flatMapToLong(t -> Arrays.stream(waits[t], 0, Math.min(counts[t], waits[t].length)))
              .sorted()
              .toArray();
      long batches = storage.stats().batches() - batchesBefore;
      long written = storage.stats().written() - writtenBefore;
      System.out.printf(
          "%s | %d | %,.0f | %.2f | %.2f | %.1f | %.0f%n",
          engine,
          threads,
          total / (elapsed / 1e9),
          all[all.length / 2] / 1e6,
          all[(int) (all.length * 0.99)] / 1e6,
          batches == 0 ? 0.0 : written / 2.0 / batches,
          cpu / 1e3 / total);
    }
  }

  private static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean)
            java.lang.management.ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  private static String loadAverage() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).trim();
    } catch (IOException e) {
      return "n/a";
    }
  }

  private static void deleteRecursively(Path dir) throws IOException {
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
