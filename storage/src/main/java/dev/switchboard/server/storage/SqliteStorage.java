package dev.switchboard.server.storage;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link Storage} on an embedded SQLite file: migrates the schema, loads the usage counters, starts
 * the writer thread and wires the stores. See {@code docs/adr/0003-storage.md}.
 */
final class SqliteStorage implements Storage {

  private static final Logger log = LoggerFactory.getLogger(SqliteStorage.class);

  private final DataFolder folder;
  private final SqliteWriter writer;
  private final ReadPool reads;
  private final SqliteKeyStore keys;
  private final SqliteGenerationStore generations;
  private final Books books;
  private final SqliteActivity activity;
  private final AtomicBoolean closed = new AtomicBoolean();

  /** The money-and-limits stores: in memory, loaded at open, written through the writer. */
  private record Books(
      CreditBook credits, GuardrailBook guardrails, BudgetBook budgets, KeyLimitBook keyLimits) {

    static Books load(
        Connection c, SqliteWriter writer, ReadPool reads, UsageBook usage, StorageOptions o)
        throws SQLException {
      Books b =
          new Books(
              new CreditBook(o.clock(), writer, reads, usage),
              new GuardrailBook(writer),
              new BudgetBook(o.clock(), writer),
              new KeyLimitBook(o.clock(), writer));
      b.credits.load(c);
      b.guardrails.load(c);
      b.budgets.load(c, UsageRows.today(o));
      b.keyLimits.load(c);
      return b;
    }
  }

  private SqliteStorage(
      DataFolder folder,
      SqliteWriter writer,
      ReadPool reads,
      UsageBook usage,
      Books books,
      StorageOptions o) {
    this.folder = folder;
    this.writer = writer;
    this.reads = reads;
    this.keys = new SqliteKeyStore(writer, reads, usage, o);
    this.generations = new SqliteGenerationStore(writer, reads);
    this.books = books;
    this.activity = new SqliteActivity(reads);
  }

  /**
   * Locks the data folder (see {@link DataFolder}), migrates the database and starts the writer.
   * Throws {@link DataFolderException} when the folder cannot be used.
   */
  static SqliteStorage open(Path dataDir, StorageOptions options) {
    DataFolder folder = DataFolder.open(dataDir, SQLITE_FILE_NAME);
    try {
      return open(folder, options);
    } catch (RuntimeException e) {
      folder.close();
      throw e;
    }
  }

  private static SqliteStorage open(DataFolder folder, StorageOptions options) {
    Path file = folder.path().resolve(SQLITE_FILE_NAME);
    SqliteConnections connections = new SqliteConnections(file, options);
    try {
      connections.migrate();
    } catch (RuntimeException e) {
      throw StorageErrors.internal("cannot migrate " + file + ": " + rootCause(e), e);
    }
    Connection writerConnection = null;
    ReadPool reads = null;
    try {
      writerConnection = connections.openWriter();
      ChargeRecovery.recover(writerConnection, recoveryWindow(options));
      UsageBook usage = new UsageBook(options.clock());
      UsageRows.load(writerConnection, usage, UsageRows.today(options));
      reads = new ReadPool(connections, options.readConnections());
      SqliteWriter writer = new SqliteWriter(writerConnection, options);
      Books books = Books.load(writerConnection, writer, reads, usage, options);
      writer.start();
      log.atInfo().addKeyValue("file", file).log("storage opened");
      return new SqliteStorage(folder, writer, reads, usage, books, options);
    } catch (SQLException e) {
      if (reads != null) {
        reads.close();
      }
      closeQuietly(writerConnection);
      throw StorageErrors.internal("cannot open " + file + ": " + rootCause(e), e);
    }
  }

  /**
   * How many of the newest generation rows {@link ChargeRecovery} checks: a charge lost to a kill
   * -9 belongs to a generation of the last batches committed, so ten batches' worth is ample.
   */
  static int recoveryWindow(StorageOptions options) {
    return Math.max(10_000, 10 * options.maxBatchSize());
  }

  /** The innermost cause's message: what SQLite or the file system actually said. */
  private static String rootCause(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root.getMessage() != null ? root.getMessage() : root.getClass().getSimpleName();
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
  public BudgetStore budgets() {
    return books.budgets();
  }

  @Override
  public KeyLimitStore keyLimits() {
    return books.keyLimits();
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
  public void close() {
    generations.close();
    writer.close(); // waits for the drain, also when another thread is closing
    if (closed.compareAndSet(false, true)) {
      reads.close();
      folder.close(); // last: another gateway may take the folder from here on
    }
  }

  private static void closeQuietly(Connection connection) {
    if (connection != null) {
      try {
        connection.close();
      } catch (SQLException ignored) {
        // already failing; the original error is reported
      }
    }
  }
}
