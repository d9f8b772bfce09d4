package dev.switchboard.server.storage;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A fixed set of read-only connections, lent to one caller at a time. In WAL mode readers never
 * wait for the writer and see every committed transaction. Callers block while all connections are
 * lent.
 */
final class SqliteReadPool implements ReadPool {

  private final List<Connection> all;
  private final BlockingQueue<Connection> idle;
  private final AtomicInteger waiting = new AtomicInteger();
  private volatile boolean closed;

  SqliteReadPool(SqliteConnections connections, int size) throws SQLException {
    this.all = new ArrayList<>(size);
    this.idle = new ArrayBlockingQueue<>(size);
    try {
      for (int i = 0; i < size; i++) {
        Connection c = connections.openReader();
        all.add(c);
        idle.add(c);
      }
    } catch (SQLException e) {
      close();
      throw e;
    }
  }

  @Override
  public <T> T read(String what, SqlFunction<T> work) {
    if (closed) {
      throw StorageErrors.closed();
    }
    Connection connection;
    waiting.incrementAndGet();
    try {
      connection = idle.take();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw StorageErrors.internal(what + " interrupted", e);
    } finally {
      waiting.decrementAndGet();
    }
    try {
      return work.apply(connection);
    } catch (SQLException e) {
      throw closed ? StorageErrors.closed() : StorageErrors.internal(what, e);
    } finally {
      idle.add(connection);
    }
  }

  @Override
  public ConnectionPoolStats stats() {
    return new ConnectionPoolStats() {
      @Override
      public String name() {
        return "sqlite-read";
      }

      @Override
      public int active() {
        return Math.max(0, all.size() - idle.size());
      }

      @Override
      public int idle() {
        return idle.size();
      }

      @Override
      public int pending() {
        return waiting.get();
      }

      @Override
      public int max() {
        return all.size();
      }
    };
  }

  @Override
  public void close() {
    closed = true;
    for (Connection c : all) {
      try {
        c.close();
      } catch (SQLException ignored) {
        // closing a read-only connection cannot lose data
      }
    }
  }
}
