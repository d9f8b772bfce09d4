package dev.switchboard.server.storage;

import java.math.BigDecimal;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;

/**
 * Conversions between Java values and the column encodings: instants as epoch microseconds, money
 * as nano-dollars ({@link Usd}), booleans as BOOLEAN or 0/1, nullable numbers as SQL NULL.
 */
final class SqlValues {

  private SqlValues() {}

  static long micros(Instant instant) {
    return Math.addExact(
        Math.multiplyExact(instant.getEpochSecond(), 1_000_000L), instant.getNano() / 1_000);
  }

  static Instant instant(long micros) {
    return Instant.ofEpochSecond(
        Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1_000L);
  }

  static void setMicros(PreparedStatement ps, int index, Instant instant) throws SQLException {
    setLong(ps, index, instant == null ? null : micros(instant));
  }

  static Instant getMicros(ResultSet rs, String column) throws SQLException {
    Long value = getLong(rs, column);
    return value == null ? null : instant(value);
  }

  static void setMoney(PreparedStatement ps, int index, BigDecimal amount) throws SQLException {
    setLong(ps, index, Usd.toNanosOrNull(amount));
  }

  static BigDecimal getMoney(ResultSet rs, String column) throws SQLException {
    return Usd.fromNanosOrNull(getLong(rs, column));
  }

  static void setLong(PreparedStatement ps, int index, Long value) throws SQLException {
    if (value == null) {
      ps.setNull(index, Types.BIGINT);
    } else {
      ps.setLong(index, value);
    }
  }

  static Long getLong(ResultSet rs, String column) throws SQLException {
    long value = rs.getLong(column);
    return rs.wasNull() ? null : value;
  }

  static void setInt(PreparedStatement ps, int index, Integer value) throws SQLException {
    if (value == null) {
      ps.setNull(index, Types.INTEGER);
    } else {
      ps.setInt(index, value);
    }
  }

  static Integer getInt(ResultSet rs, String column) throws SQLException {
    int value = rs.getInt(column);
    return rs.wasNull() ? null : value;
  }

  /** A boolean: PostgreSQL's BOOLEAN, SQLite's 0/1 (its driver binds and reads it so). */
  static void setBool(PreparedStatement ps, int index, boolean value) throws SQLException {
    ps.setBoolean(index, value);
  }

  static boolean getBool(ResultSet rs, String column) throws SQLException {
    return rs.getBoolean(column);
  }
}
