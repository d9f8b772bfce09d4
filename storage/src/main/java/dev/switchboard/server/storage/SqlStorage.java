package dev.switchboard.server.storage;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link Storage} on an SQL {@link Database}, SQLite or PostgreSQL with the same stores and
 * statements: migrates the schema, loads the usage counters, starts the writer thread, wires the
 * stores and prunes old rows when a retention is set. See {@code docs/adr/0003-storage.md} and
 * {@code docs/adr/0005-postgresql.md}.
 */
final class SqlStorage implements Storage {

  private static final Logger log = LoggerFactory.getLogger(SqlStorage.class);

  private final DataFolder folder; // SQLite only
  private final Database database;
  private final StoreWriter writer;
  private final SqlKeyStore keys;
  private final SqlGenerationStore generations;
  private final Books books;
  private final SqlActivity activity;
  private final SqlInsights insights;
  private final StorageOptions options;
  private final UsageBook usage;
  private final ScheduledExecutorService background;
  private final ScheduledExecutorService compactor;
  private final LatencyCompaction compaction; // pruning, and refreshing on PostgreSQL
  private final AtomicBoolean closed = new AtomicBoolean();
  private final AtomicBoolean refreshQueued = new AtomicBoolean();

  /** The money-and-limits stores: in memory, loaded at open, written through the writer. */
  private record Books(
      CreditBook credits,
      GuardrailBook guardrails,
      BudgetBook budgets,
      KeyLimitBook keyLimits,
      PresetBook presets) {

    static Books load(
        Connection c, StoreWriter writer, ReadPool reads, UsageBook usage, StorageOptions o)
        throws SQLException {
      Books b =
          new Books(
              new CreditBook(o.clock(), writer, reads, usage),
              new GuardrailBook(writer),
              new BudgetBook(o.clock(), writer),
              new KeyLimitBook(o.clock(), writer),
              new PresetBook(o.clock(), writer));
      b.credits.load(c);
      b.guardrails.load(c);
      b.budgets.load(c, UsageRows.today(o));
      b.keyLimits.load(c);
      b.presets.load(c);
      return b;
    }
  }

  private SqlStorage(
      DataFolder folder,
      Database database,
      StoreWriter writer,
      UsageBook usage,
      Books books,
      StorageOptions o) {
    this.folder = folder;
    this.database = database;
    this.writer = writer;
    this.usage = usage;
    this.keys = new SqlKeyStore(writer, database.reads(), usage, o);
    this.generations = new SqlGenerationStore(writer, database.reads());
    this.books = books;
    this.activity = new SqlActivity(database.reads());
    this.insights = new SqlInsights(database.reads());
    this.options = o;
    this.background = startBackground(o.retentionDays() > 0, shared());
    this.compaction = new LatencyCompaction(database.reads(), writer, o.clock());
    this.compactor = startCompaction();
  }

  /**
   * Packs the dashboard's closed latency histograms ({@link LatencyCompaction}) on a daemon thread
   * of its own, {@code switchboard-storage-compaction}: everything 5 s after start and then hourly,
   * the last two days every minute (what a record written late, or the hour just ended, left to
   * pack).
   */
  private ScheduledExecutorService startCompaction() {
    ScheduledExecutorService s =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "switchboard-storage-compaction");
              t.setDaemon(true);
              return t;
            });
    s.scheduleWithFixedDelay(() -> compactQuietly(0), 5, 3_600, TimeUnit.SECONDS);
    s.scheduleWithFixedDelay(
        () -> compactQuietly(SqlValues.micros(options.clock().instant().minus(Duration.ofDays(2)))),
        65,
        60,
        TimeUnit.SECONDS);
    return s;
  }

  private void compactQuietly(long fromUs) {
    try {
      if (database.unreachable() == null) {
        compaction.compact(fromUs);
      }
    } catch (RuntimeException e) {
      log.atWarn()
          .setCause(e)
          .log("packing the dashboard's latency histograms failed; it runs again in a minute");
    }
  }

  @Override
  public int compactDashboard() {
    return compaction.compact(0);
  }

  /**
   * Locks the data folder (see {@link DataFolder}), migrates the database and starts the writer.
   * Throws {@link DataFolderException} when the folder cannot be used.
   */
  static SqlStorage open(Path dataDir, StorageOptions options) {
    DataFolder folder = DataFolder.open(dataDir, SQLITE_FILE_NAME);
    try {
      Path file = folder.path().resolve(SQLITE_FILE_NAME);
      return open(() -> new SqliteDatabase(file, options), folder, options);
    } catch (RuntimeException e) {
      folder.close();
      throw e;
    }
  }

  /** Opens the stores on {@code database}; {@code folder} (SQLite) is released at close. */
  static SqlStorage open(Supplier<Database> database, DataFolder folder, StorageOptions options) {
    Database db;
    try {
      db = database.get();
    } catch (RuntimeException e) {
      throw StorageErrors.unavailable(
          "opening the database (" + StorageErrors.rootMessage(e) + ")", e);
    }
    try {
      return open(db, folder, options);
    } catch (RuntimeException e) {
      db.close();
      throw e;
    }
  }

  static SqlStorage open(Database db, DataFolder folder, StorageOptions options) {
    try {
      db.migrate();
    } catch (RuntimeException e) {
      throw StorageErrors.internal(
          "cannot migrate " + db.describe() + ": " + StorageErrors.rootMessage(e), e);
    }
    try {
      if (db instanceof SqliteDatabase sqlite) {
        try (Connection c = db.openWriter()) {
          ChargeRecovery.recover(c, recoveryWindow(options));
        }
        sqlite.openReads(options.readConnections());
      }
      StoreWriter writer = new StoreWriter(db, options);
      UsageBook usage = new UsageBook(options.clock());
      writer.onChargeDone(usage::written);
      Books books =
          db.reads()
              .read(
                  "load usage",
                  c -> {
                    UsageRows.load(c, usage, UsageRows.today(options));
                    return Books.load(c, writer, db.reads(), usage, options);
                  });
      writer.start();
      log.atInfo().addKeyValue("database", db.describe()).log("storage opened");
      return new SqlStorage(folder, db, writer, usage, books, options);
    } catch (SQLException e) {
      throw StorageErrors.internal(
          "cannot open " + db.describe() + ": " + StorageErrors.rootMessage(e), e);
    }
  }

  /**
   * How many of the newest generation rows {@link ChargeRecovery} checks: a charge lost to a kill
   * -9 belongs to a generation of the last batches committed, so ten batches' worth is ample.
   *
   * <p>SQLite only: there one process owns the file, so a record without its charge at open was
   * left by a kill. On a shared PostgreSQL database another node may be about to commit the very
   * charge, so booking it at open could charge twice; there a reply waits for the commit of its
   * record and charge, which the writer commits in one transaction unless a full batch (500 ops)
   * splits them.
   */
  static int recoveryWindow(StorageOptions options) {
    return Math.max(10_000, 10 * options.maxBatchSize());
  }

  /**
   * The background work, on one daemon thread: with a retention, pruning (10 s after start, then
   * hourly, through the writer); on a shared database, {@link #refresh()} every {@value
   * Storage#REFRESH_SECONDS} seconds. Null when there is none.
   */
  private ScheduledExecutorService startBackground(boolean prune, boolean refresh) {
    if (!prune && !refresh) {
      return null;
    }
    ScheduledExecutorService s =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "switchboard-storage-background");
              t.setDaemon(true);
              return t;
            });
    if (prune) {
      s.scheduleWithFixedDelay(
          () -> {
            try {
              prune();
            } catch (RuntimeException e) {
              log.atWarn().setCause(e).log("retention pruning failed; it runs again in an hour");
            }
          },
          10,
          3_600,
          TimeUnit.SECONDS);
    }
    if (refresh) {
      s.scheduleWithFixedDelay(
          () -> {
            try {
              if (database.unreachable() == null) {
                refresh();
              }
            } catch (RuntimeException e) {
              log.atDebug().setCause(e).log("refresh failed; it runs again shortly");
            }
          },
          REFRESH_SECONDS,
          REFRESH_SECONDS,
          TimeUnit.SECONDS);
    }
    return s;
  }

  /**
   * Deletes generation records and ledger rows older than the retention, in slices so that no
   * transaction holds the writer long, and the dashboard's hourly and daily roll-ups of the same
   * past; the daily usage roll-ups (usage, activity) are kept. Returns how many records and ledger
   * rows went.
   */
  long prune() {
    long cutoff =
        SqlValues.micros(options.clock().instant().minus(Duration.ofDays(options.retentionDays())));
    long total = 0;
    for (String table : new String[] {"generations", "key_usage_ledger"}) {
      String at = table.equals("generations") ? "created_at_us" : "at_us";
      String idColumn = "id";
      String sql =
          "DELETE FROM "
              + table
              + " WHERE "
              + idColumn
              + " IN (SELECT "
              + idColumn
              + " FROM "
              + table
              + " WHERE "
              + at
              + " < ? LIMIT 5000)";
      for (int deleted = -1; deleted != 0; ) {
        deleted =
            writer.call(
                "prune " + table,
                c -> {
                  try (var ps = c.prepareStatement(sql)) {
                    ps.setLong(1, cutoff);
                    return ps.executeUpdate();
                  }
                });
        total += deleted;
      }
    }
    // The dashboard's roll-ups of the hours and days wholly past the cutoff go with their records
    // (the one hour and day the cutoff falls in keep theirs until the next pruning).
    long rollups = 0;
    for (String sql :
        new String[] {
          DashboardRollup.PRUNE_ROLLUP, DashboardRollup.PRUNE_LATENCY, LatencyCompaction.PRUNE
        }) {
      rollups +=
          writer.call(
              "prune the dashboard's roll-ups",
              c -> {
                try (var ps = c.prepareStatement(sql)) {
                  ps.setLong(1, cutoff);
                  return ps.executeUpdate();
                }
              });
    }
    if (total > 0) {
      log.atInfo()
          .addKeyValue("rows", total)
          .addKeyValue("rollup_rows", rollups)
          .addKeyValue("retention_days", options.retentionDays())
          .log("pruned generation records and ledger rows past the retention");
    }
    return total;
  }

  @Override
  public List<ConnectionPoolStats> connectionPools() {
    return List.of(database.reads().stats());
  }

  @Override
  public KeyStore keys() {
    return keys;
  }

  @Override
  public GenerationStore generations() {
    return generations;
  }

  @Override
  public CreditStore credits() {
    return books.credits();
  }

  @Override
  public GuardrailStore guardrails() {
    return books.guardrails();
  }

  @Override
  public PresetStore presets() {
    return books.presets();
  }

  @Override
  public BudgetStore budgets() {
    return books.budgets();
  }

  @Override
  public KeyLimitStore keyLimits() {
    return books.keyLimits();
  }

  @Override
  public InsightStore insights() {
    return insights;
  }

  @Override
  public ActivityStore activity() {
    return activity;
  }

  @Override
  public WriteBehindStats stats() {
    return writer.stats();
  }

  @Override
  public StorageHealth health() {
    String reason = database.unreachable();
    if (reason == null) {
      reason = writer.outage();
    }
    long backlog = writer.backlog();
    if (reason == null && backlog >= options.maxBacklog()) {
      reason = "storage backlog full (" + backlog + " writes waiting)";
    }
    return new StorageHealth(reason == null, reason, backlog, options.maxBacklog());
  }

  @Override
  public void refresh() {
    database
        .reads()
        .read(
            "refresh",
            c -> {
              books.guardrails().load(c);
              books.budgets().loadRules(c);
              books.keyLimits().load(c);
              books.credits().load(c);
              books.presets().load(c);
              return null;
            });
    if (shared()) {
      // On the writer thread: every charge of this node is then either committed (in the rows) or
      // still unwritten (kept on top), never both.
      writer.call(
          "refresh usage",
          c -> {
            usage.reload(c, UsageRows.today(options));
            return null;
          });
    }
    keys.invalidateCache();
  }

  @Override
  public void refreshSoon(Runnable then) {
    if (background == null) {
      then.run();
      return;
    }
    if (!refreshQueued.compareAndSet(false, true)) {
      // One is queued and has not started: it reads what this request would have read.
      background.execute(then);
      return;
    }
    background.execute(
        () -> {
          refreshQueued.set(false);
          try {
            refresh();
          } catch (RuntimeException e) {
            log.atWarn()
                .setCause(e)
                .log("refresh on invalidation failed; the periodic one follows");
          } finally {
            then.run();
          }
        });
  }

  @Override
  public boolean shared() {
    return database.dialect() == Dialect.POSTGRES;
  }

  @Override
  public CompletionStage<Void> durable() {
    return writer.durable();
  }

  @Override
  public void together(Runnable work) {
    writer.together(work);
  }

  @Override
  public CompletionStage<Void> durableWithBatch() {
    return writer.durable(false);
  }

  @Override
  public void close() {
    if (background != null) {
      background.shutdownNow();
    }
    compactor.shutdownNow();
    generations.close();
    writer.close(); // waits for the drain, also when another thread is closing
    if (closed.compareAndSet(false, true)) {
      database.close();
      if (folder != null) {
        folder.close(); // last: another gateway may take the folder from here on
      }
    }
  }
}
