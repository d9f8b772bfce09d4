package dev.switchboard.server.storage;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Measures write-behind throughput of generation records: batched transactions against one
 * transaction per record. Not a test and not run by default; the numbers go to the log:
 *
 * <pre>./mvnw -pl gateway test -Dtest=WriteBehindBench -Dstorage.bench=true</pre>
 *
 * Each run records {@value #RECORDS} pre-built records from one thread into a fresh database, then
 * flushes; the rate is records divided by the time from the first {@code record()} to the end of
 * {@code flush()}. The median of {@value #RUNS} runs is reported, with the producer's cost per
 * {@code record()} call (what an event loop pays).
 */
@EnabledIfSystemProperty(named = "storage.bench", matches = "true")
class WriteBehindBench {

  private static final Logger log = LoggerFactory.getLogger(WriteBehindBench.class);
  private static final int RECORDS = 20_000;
  private static final int RUNS = 5;

  @Test
  void measuresBatchedAgainstOneTransactionPerRecord() throws IOException {
    List<GenerationRecord> records = new ArrayList<>(RECORDS);
    String keyHash = Keys.hash("sk-sb-v1-bench");
    Instant t0 = Instant.parse("2025-03-05T10:00:00Z");
    for (int i = 0; i < RECORDS; i++) {
      records.add(Generations.full("gen-bench-" + i, keyHash, t0.plusMillis(i)));
    }
    run("warm-up", StorageOptions.defaults(), records);
    run("batched 500 / 50 ms", StorageOptions.defaults(), records);
    run(
        "group commit 500 / 0 ms",
        StorageOptions.defaults().withBatching(500, Duration.ZERO),
        records);
    run(
        "one transaction per record",
        StorageOptions.defaults().withBatching(1, Duration.ZERO).withQueue(RECORDS, RECORDS * 2),
        records);
  }

  private void run(String name, StorageOptions options, List<GenerationRecord> records)
      throws IOException {
    double[] perSecond = new double[RUNS];
    double[] recordNanos = new double[RUNS];
    long batches = 0;
    for (int run = 0; run < RUNS; run++) {
      Path dir = Files.createTempDirectory("switchboard-bench");
      try (Storage storage = Storage.sqlite(dir, options)) {
        GenerationStore generations = storage.generations();
        long start = System.nanoTime();
        for (GenerationRecord record : records) {
          generations.record(record);
        }
        long enqueued = System.nanoTime();
        generations.flush();
        long end = System.nanoTime();
        perSecond[run] = records.size() / ((end - start) / 1e9);
        recordNanos[run] = (enqueued - start) / (double) records.size();
        batches = storage.stats().batches();
      } finally {
        deleteRecursively(dir);
      }
    }
    log.atInfo()
        .addKeyValue("records", records.size())
        .addKeyValue("median_records_per_s", Math.round(median(perSecond)))
        .addKeyValue("runs_records_per_s", Arrays.toString(round(perSecond)))
        .addKeyValue("median_ns_per_record_call", Math.round(median(recordNanos)))
        .addKeyValue("transactions_last_run", batches)
        .log("bench {}", name);
  }

  private static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    return sorted[sorted.length / 2];
  }

  private static long[] round(double[] values) {
    return Arrays.stream(values).mapToLong(Math::round).toArray();
  }

  private static void deleteRecursively(Path dir) throws IOException {
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
