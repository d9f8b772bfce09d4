package dev.switchboard.server.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SqliteGenerationStoreTest {

  static final String KEY_HASH = Keys.hash("sk-sb-v1-generation-test");
  static final Instant T0 = Instant.parse("2025-03-05T10:00:00.123456789Z");

  @TempDir Path dir;
  Storage storage;

  @AfterEach
  void closeStorage() {
    if (storage != null) {
      storage.close();
    }
  }

  Storage open(StorageOptions options) {
    storage = Storage.sqlite(dir, options);
    return storage;
  }

  Storage reopen() {
    storage.close();
    return open(StorageOptions.defaults());
  }

  long rows() throws SQLException {
    return Long.parseLong(
        SqliteKeyStoreTest.query(
            dir.resolve(Storage.SQLITE_FILE_NAME), "SELECT COUNT(*) FROM generations"));
  }

  @Test
  void findsARecordRightAfterRecordingItBeforeItIsWritten() throws SQLException {
    GenerationStore generations =
        open(StorageOptions.defaults().withBatching(500, Duration.ofSeconds(10))).generations();
    GenerationRecord record = Generations.full("gen-1741168800-a", KEY_HASH, T0);

    generations.record(record);

    assertThat(generations.find(record.id())).contains(record);
    assertThat(rows()).isZero();

    generations.flush();

    assertThat(rows()).isEqualTo(1);
    assertThat(generations.find(record.id())).contains(record);
  }

  @Test
  void keepsEveryFieldExactlyThroughTheDatabase() {
    GenerationRecord full = Generations.full("gen-full", KEY_HASH, T0);
    GenerationRecord minimal = Generations.minimal("gen-minimal", KEY_HASH, T0);
    GenerationRecord failed =
        Generations.minimal("gen-failed", KEY_HASH, T0).toBuilder()
            .errorStatus(502)
            .errorMessage("Provider returned error")
            .cancelled(true)
            .build();
    open(StorageOptions.defaults());
    List.of(full, minimal, failed).forEach(storage.generations()::record);

    GenerationStore reopened = reopen().generations();

    assertThat(reopened.find("gen-full")).contains(full);
    assertThat(reopened.find("gen-minimal")).contains(minimal);
    assertThat(reopened.find("gen-failed")).contains(failed);
    assertThat(full.createdAt()).isEqualTo(Instant.parse("2025-03-05T10:00:00.123456Z"));
    assertThat(minimal.apiType()).isEqualTo("completions");
  }

  @Test
  void findsNothingForAnUnknownId() {
    GenerationStore generations = open(StorageOptions.defaults()).generations();

    assertThat(generations.find("gen-unknown")).isEmpty();
    assertThat(generations.find("")).isEmpty();
  }

  @Test
  void losesNoRecordOfABurstFromSeveralThreadsAcrossCloseAndReopen() throws Exception {
    int threads = 8;
    int perThread = 2_500;
    GenerationStore generations = open(StorageOptions.defaults()).generations();
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    List<Future<?>> producers = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int thread = t;
      producers.add(
          pool.submit(
              () -> {
                start.await();
                for (int i = 0; i < perThread; i++) {
                  generations.record(
                      Generations.full("gen-" + thread + "-" + i, KEY_HASH, T0.plusMillis(i)));
                }
                return null;
              }));
    }
    start.countDown();
    for (Future<?> producer : producers) {
      producer.get(30, TimeUnit.SECONDS);
    }
    pool.shutdown();
    WriteBehindStats beforeClose = storage.stats();

    storage.close();
    WriteBehindStats afterClose = storage.stats();
    GenerationStore reopened = reopen().generations();

    assertThat(rows()).isEqualTo(threads * perThread);
    assertThat(reopened.find("gen-0-0")).isPresent();
    assertThat(reopened.find("gen-7-2499"))
        .contains(Generations.full("gen-7-2499", KEY_HASH, T0.plusMillis(2499)));
    assertThat(beforeClose.enqueued()).isEqualTo(threads * perThread);
    assertThat(afterClose.written()).isEqualTo(threads * perThread);
    assertThat(afterClose.dropped()).isZero();
    assertThat(afterClose.failed()).isZero();
    assertThat(afterClose.batches()).isLessThan(threads * perThread / 10);
  }

  @Test
  void flushMakesEveryRecordSoFarDurableWithoutClosing() throws SQLException {
    GenerationStore generations = open(StorageOptions.defaults()).generations();
    for (int i = 0; i < 100; i++) {
      generations.record(Generations.minimal("gen-flush-" + i, KEY_HASH, T0));
    }

    generations.flush();

    assertThat(rows()).isEqualTo(100);
  }

  @Test
  void recordsWaitForTheBatchDelayTogetherAndAFlushEndsTheWaitAtOnce() throws Exception {
    GenerationStore generations =
        open(StorageOptions.defaults().withBatching(500, Duration.ofSeconds(10))).generations();
    long batchesBefore = storage.stats().batches();
    generations.record(Generations.minimal("gen-first", KEY_HASH, T0));
    Thread.sleep(100); // the writer took the first and sleeps for the rest of the delay
    for (int i = 0; i < StoreWriter.COMMIT_OPS - 14; i++) { // fewer than end the wait
      generations.record(Generations.minimal("gen-wait-" + i, KEY_HASH, T0));
    }
    Thread.sleep(200);
    assertThat(rows()).as("nothing committed before the delay or a flush").isZero();

    long started = System.nanoTime();
    generations.flush();
    long tookMs = (System.nanoTime() - started) / 1_000_000;

    assertThat(tookMs).as("the flush woke the sleeping writer (delay 10 s)").isLessThan(5_000);
    assertThat(rows()).isEqualTo(StoreWriter.COMMIT_OPS - 13);
    assertThat(storage.stats().batches() - batchesBefore)
        .as("one commit for all of them")
        .isEqualTo(1);
  }

  @Test
  void enoughQueuedRecordsEndTheWaitBeforeTheDelay() throws Exception {
    GenerationStore generations =
        open(StorageOptions.defaults().withBatching(500, Duration.ofSeconds(30))).generations();
    for (int i = 0; i < StoreWriter.COMMIT_OPS * 3; i++) {
      generations.record(Generations.minimal("gen-many-" + i, KEY_HASH, T0));
    }
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (rows() < StoreWriter.COMMIT_OPS && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertThat(rows())
        .as("committed within the 30 s delay")
        .isGreaterThanOrEqualTo(StoreWriter.COMMIT_OPS);
    generations.flush();
    assertThat(rows()).isEqualTo(StoreWriter.COMMIT_OPS * 3);
  }

  @Test
  void aFullBatchIsCommittedWithoutWaitingForTheDelay() throws Exception {
    GenerationStore generations =
        open(StorageOptions.defaults().withBatching(10, Duration.ofSeconds(30))).generations();
    for (int i = 0; i < 25; i++) {
      generations.record(Generations.minimal("gen-full-" + i, KEY_HASH, T0));
    }
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (rows() < 20 && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertThat(rows()).as("two full batches of 10 written within the 30 s delay").isEqualTo(20);
    generations.flush();
    assertThat(rows()).isEqualTo(25);
  }

  @Test
  void aDuplicateIdFailsAloneAndTheRestOfItsBatchIsWritten() {
    GenerationStore generations =
        open(StorageOptions.defaults().withBatching(500, Duration.ofSeconds(10))).generations();
    GenerationRecord first = Generations.minimal("gen-dup", KEY_HASH, T0);
    generations.record(first);
    generations.flush();

    generations.record(Generations.minimal("gen-before", KEY_HASH, T0));
    generations.record(first.toBuilder().model("other/model").build());
    generations.record(Generations.minimal("gen-after", KEY_HASH, T0));
    generations.flush();

    assertThat(storage.stats().failed()).isEqualTo(1);
    assertThat(generations.find("gen-before")).isPresent();
    assertThat(generations.find("gen-after")).isPresent();
    assertThat(generations.find("gen-dup")).contains(first);
  }

  @Test
  void rejectsRecordsAfterCloseWithoutThrowingAndCountsThem() {
    GenerationStore generations = open(StorageOptions.defaults()).generations();
    generations.close();

    assertThatCode(() -> generations.record(Generations.minimal("gen-late", KEY_HASH, T0)))
        .doesNotThrowAnyException();
    assertThat(storage.stats().rejected()).isEqualTo(1);
    assertThat(generations.find("gen-late")).isEmpty();
    generations.close();
  }

  @Test
  void closeIsIdempotentAndWaitsForTheDrainWhenCalledFromSeveralThreads() throws Exception {
    open(StorageOptions.defaults());
    for (int i = 0; i < 1_000; i++) {
      storage.generations().record(Generations.minimal("gen-close-" + i, KEY_HASH, T0));
    }
    ExecutorService pool = Executors.newFixedThreadPool(4);
    List<Future<Long>> closers = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      closers.add(
          pool.submit(
              () -> {
                storage.close();
                return rows();
              }));
    }

    for (Future<Long> closer : closers) {
      assertThat(closer.get(30, TimeUnit.SECONDS)).isEqualTo(1_000);
    }
    pool.shutdown();
    storage.close();
  }

  @Test
  void readsRunWhileTheWriterWrites() throws Exception {
    open(StorageOptions.defaults());
    ApiKey key =
        storage.keys().create(NewKey.of(Keys.generateInferenceKey(), "k", KeyKind.INFERENCE));
    ConcurrentLinkedQueue<String> recorded = new ConcurrentLinkedQueue<>();
    AtomicBoolean writing = new AtomicBoolean(true);
    ExecutorService pool = Executors.newFixedThreadPool(4);
    Future<?> writer =
        pool.submit(
            () -> {
              for (int i = 0; i < 5_000; i++) {
                String id = "gen-rw-" + i;
                storage.generations().record(Generations.minimal(id, KEY_HASH, T0));
                storage.keys().addUsage(key.hash(), Usd.fromNanos(1_000), T0);
                recorded.add(id);
              }
              writing.set(false);
            });
    List<Future<Integer>> readers = new ArrayList<>();
    for (int r = 0; r < 3; r++) {
      readers.add(
          pool.submit(
              () -> {
                int reads = 0;
                List<String> seen = new ArrayList<>();
                while (writing.get() || reads < 100) {
                  String id = recorded.peek();
                  if (id != null) {
                    seen.add(id);
                  }
                  if (!seen.isEmpty()) {
                    String pick = seen.get(ThreadLocalRandom.current().nextInt(seen.size()));
                    assertThat(storage.generations().find(pick)).as(pick).isPresent();
                  }
                  assertThat(storage.keys().list(0, 100, true)).hasSize(1);
                  assertThat(storage.keys().findByHash(key.hash())).isPresent();
                  reads++;
                }
                return reads;
              }));
    }

    writer.get(30, TimeUnit.SECONDS);
    for (Future<Integer> reader : readers) {
      assertThat(reader.get(30, TimeUnit.SECONDS)).isGreaterThanOrEqualTo(100);
    }
    pool.shutdown();
    storage.generations().flush();
    assertThat(rows()).isEqualTo(5_000);
    assertThat(storage.keys().usage(key.hash()).total()).isEqualTo(Usd.fromNanos(5_000_000));
  }

  @Test
  void spillsAboveTheQueueCapacityWithoutBlockingOrDropping() {
    GenerationStore generations =
        open(StorageOptions.defaults()
                .withBatching(500, Duration.ofMillis(200))
                .withQueue(10, 10_000))
            .generations();

    for (int i = 0; i < 600; i++) {
      generations.record(Generations.minimal("gen-spill-" + i, KEY_HASH, T0));
    }
    generations.flush();

    WriteBehindStats stats = storage.stats();
    assertThat(stats.spilled()).isPositive();
    assertThat(stats.dropped()).isZero();
    assertThat(stats.written()).isEqualTo(600);
  }

  @Test
  void dropsAndCountsRecordsOnlyBeyondTheHardBacklog() {
    GenerationStore generations =
        open(StorageOptions.defaults().withBatching(1, Duration.ZERO).withQueue(5, 20))
            .generations();

    for (int i = 0; i < 2_000; i++) {
      generations.record(Generations.minimal("gen-drop-" + i, KEY_HASH, T0));
    }
    generations.flush();

    WriteBehindStats stats = storage.stats();
    assertThat(stats.dropped()).isPositive();
    assertThat(stats.written() + stats.dropped()).isEqualTo(2_000);
    assertThat(stats.backlog()).isZero();
  }
}
