package dev.switchboard.server.storage;

import dev.switchboard.testkit.postgres.TestDatabase;
import java.nio.file.Path;

/**
 * One of the three storages the store contract runs on: SQLite in a folder, PostgreSQL in a
 * database of its own (dropped by {@link #close()}), or in memory. {@link #open} may be called
 * again after a close to see what survived (not in memory).
 */
final class Backend implements AutoCloseable {

  final String kind;
  private final Path dir;
  private final TestDatabase db;

  private Backend(String kind, Path dir, TestDatabase db) {
    this.kind = kind;
    this.dir = dir;
    this.db = db;
  }

  static Backend of(String kind, Path dir) {
    return new Backend(kind, dir, kind.equals("postgres") ? TestDatabase.create() : null);
  }

  boolean persistent() {
    return !kind.equals("memory");
  }

  TestDatabase database() {
    return db;
  }

  Storage open(MutableClock clock) {
    return open(StorageOptions.defaults().withClock(clock));
  }

  Storage open(StorageOptions options) {
    return switch (kind) {
      case "sqlite" -> Storage.sqlite(dir.resolve("data"), options);
      case "postgres" -> Storage.postgres(PostgresSettings.of(db.url(), db.user(), null), options);
      case "memory" -> Storage.inMemory(options.clock());
      default -> throw new IllegalArgumentException(kind);
    };
  }

  @Override
  public void close() {
    if (db != null) {
      db.close();
    }
  }

  @Override
  public String toString() {
    return kind;
  }
}
