package dev.switchboard.server.storage;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * The seam between the stores and an SQL engine: where connections come from, how the schema is
 * migrated, and the {@link Dialect} for what little SQL differs. Every store runs on either
 * implementation with the same statements ({@link SqliteDatabase}, {@link PostgresDatabase}).
 */
interface Database extends AutoCloseable {

  Dialect dialect();

  /** Where the data lives, for logs; never holds a password. */
  String describe();

  /** Applies pending migrations; a no-op when the schema is current. */
  void migrate();

  /**
   * A connection for the writer thread, which may ask for another when the engine dropped this one
   * (PostgreSQL restarted).
   */
  Connection openWriter() throws SQLException;

  /** Connections for reads. */
  ReadPool reads();

  /** Null while the database answers; else why it does not (PostgreSQL unreachable). */
  String unreachable();

  @Override
  void close();
}
