package dev.switchboard.server.storage;

import java.sql.Connection;
import java.sql.SQLException;

/** Work done with a JDBC connection. */
@FunctionalInterface
interface SqlFunction<T> {
  T apply(Connection connection) throws SQLException;
}
