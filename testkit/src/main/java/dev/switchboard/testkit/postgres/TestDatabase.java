package dev.switchboard.testkit.postgres;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.UUID;

/**
 * A PostgreSQL database of one test: created as {@code sb_<random>} on a server (the machine's
 * shared one by default, {@code 127.0.0.1:5432}, user {@code postgres}, trust auth; or a {@link
 * PrivatePostgres}), and dropped by {@link #close()}, connections and all. It never touches a
 * database it did not create.
 *
 * <p>The shared server is {@code SWITCHBOARD_TEST_PG_HOST}, {@code SWITCHBOARD_TEST_PG_PORT} and
 * {@code SWITCHBOARD_TEST_PG_USER} when set. A test that needs it fails when it cannot be reached:
 * {@code .ci/run} starts it.
 */
public final class TestDatabase implements AutoCloseable {

  private final String host;
  private final int port;
  private final String user;
  private final String name;
  private boolean dropped;

  private TestDatabase(String host, int port, String user) {
    this.host = host;
    this.port = port;
    this.user = user;
    this.name = "sb_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
    admin("CREATE DATABASE " + name);
  }

  /** A new database on the shared server. */
  public static TestDatabase create() {
    return new TestDatabase(
        env("SWITCHBOARD_TEST_PG_HOST", "127.0.0.1"),
        Integer.parseInt(env("SWITCHBOARD_TEST_PG_PORT", "5432")),
        env("SWITCHBOARD_TEST_PG_USER", "postgres"));
  }

  /** A new database on the server at {@code host:port}. */
  public static TestDatabase on(String host, int port, String user) {
    return new TestDatabase(host, port, user);
  }

  public String name() {
    return name;
  }

  public String user() {
    return user;
  }

  /** Its JDBC URL, for {@code storage.url}. */
  public String url() {
    return "jdbc:postgresql://" + host + ":" + port + "/" + name;
  }

  /** A plain connection to it (the caller closes it). */
  public Connection connect() throws SQLException {
    return DriverManager.getConnection(url() + "?user=" + user);
  }

  /** One count query, for assertions ({@code SELECT COUNT(*) FROM generations WHERE ...}). */
  public long count(String sql) {
    try (Connection c = connect();
        Statement s = c.createStatement();
        var rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    } catch (SQLException e) {
      throw new IllegalStateException(sql + ": " + e.getMessage(), e);
    }
  }

  /** The first column of every row of one query, as strings. */
  public java.util.List<String> strings(String sql) {
    try (Connection c = connect();
        Statement s = c.createStatement();
        var rs = s.executeQuery(sql)) {
      var out = new java.util.ArrayList<String>();
      while (rs.next()) {
        out.add(rs.getString(1));
      }
      return out;
    } catch (SQLException e) {
      throw new IllegalStateException(sql + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    if (dropped) {
      return;
    }
    dropped = true;
    admin("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
  }

  private void admin(String sql) {
    String url = "jdbc:postgresql://" + host + ":" + port + "/postgres?user=" + user;
    try (Connection c = DriverManager.getConnection(url);
        Statement s = c.createStatement()) {
      s.execute(sql);
    } catch (SQLException e) {
      throw new IllegalStateException(
          sql.toLowerCase(Locale.ROOT).startsWith("create")
              ? "cannot create a test database on PostgreSQL at "
                  + host
                  + ":"
                  + port
                  + " ("
                  + e.getMessage()
                  + "); .ci/run starts one, or set SWITCHBOARD_TEST_PG_HOST/PORT/USER"
              : sql + ": " + e.getMessage(),
          e);
    }
  }

  private static String env(String name, String fallback) {
    String v = System.getenv(name);
    return v == null || v.isBlank() ? fallback : v;
  }
}
