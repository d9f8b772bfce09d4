package dev.switchboard.server.storage;

import java.io.IOException;
import java.nio.file.Files;
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

  private final SqliteWriter writer;
  private final ReadPool reads;
  private final SqliteKeyStore keys;
  private final SqliteGenerationStore generations;
  private final AtomicBoolean closed = new AtomicBoolean();

  private SqliteStorage(SqliteWriter writer, ReadPool reads, UsageBook usage, StorageOptions o) {
    this.writer = writer;
    this.reads = reads;
    this.keys = new SqliteKeyStore(writer, reads, usage, o);
    this.generations = new SqliteGenerationStore(writer, reads);
  }

  static SqliteStorage open(Path dataDir, StorageOptions options) {
    Path file = dataDir.resolve(SQLITE_FILE_NAME);
    try {
      Files.createDirectories(dataDir);
    } catch (IOException e) {
      throw StorageErrors.internal("cannot create data folder " + dataDir, e);
    }
    SqliteConnections connections = new SqliteConnections(file, options);
    try {
      connections.migrate();
    } catch (RuntimeException e) {
      throw StorageErrors.internal("cannot migrate " + file, e);
    }
    Connection writerConnection = null;
    ReadPool reads = null;
    try {
      writerConnection = connections.openWriter();
      UsageBook usage = new UsageBook(options.clock());
      UsageRows.load(writerConnection, usage, UsageRows.today(options));
      reads = new ReadPool(connections, options.readConnections());
      SqliteWriter writer = new SqliteWriter(writerConnection, options);
      writer.start();
      log.atInfo().addKeyValue("file", file).log("storage opened");
      return new SqliteStorage(writer, reads, usage, options);
    } catch (SQLException e) {
      if (reads != null) {
        reads.close();
      }
      closeQuietly(writerConnection);
      throw StorageErrors.internal("cannot open " + file, e);
    }
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
  public WriteBehindStats stats() {
    return writer.stats();
  }

  @Override
  public void close() {
    generations.close();
    writer.close(); // waits for the drain, also when another thread is closing
    if (closed.compareAndSet(false, true)) {
      reads.close();
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
