package dev.switchboard.server.storage;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;

/** {@link Database} on one SQLite file (WAL): one writer connection, a fixed set of readers. */
final class SqliteDatabase implements Database {

  private final Path file;
  private final SqliteConnections connections;
  private SqliteReadPool reads;

  SqliteDatabase(Path file, StorageOptions options) {
    this.file = file;
    this.connections = new SqliteConnections(file, options);
  }

  /** Opens the read pool; call after {@link #migrate()}. */
  SqliteDatabase openReads(int size) throws SQLException {
    this.reads = new SqliteReadPool(connections, size);
    return this;
  }

  @Override
  public Dialect dialect() {
    return Dialect.SQLITE;
  }

  @Override
  public String describe() {
    return "SQLite " + file.toAbsolutePath().normalize();
  }

  @Override
  public void migrate() {
    connections.migrate();
  }

  @Override
  public Connection openWriter() throws SQLException {
    return connections.openWriter();
  }

  @Override
  public ReadPool reads() {
    return reads;
  }

  @Override
  public String unreachable() {
    return null;
  }

  @Override
  public void close() {
    if (reads != null) {
      reads.close();
    }
  }
}
