package dev.switchboard.server.storage;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** {@link KeyLimitStore}: in memory, written through to {@code key_rate_limits}. */
final class KeyLimitBook implements KeyLimitStore {

  private final Clock clock;
  private final StoreWriter writer; // null: in memory only
  private final Map<String, KeyRateLimits> byKey = new ConcurrentHashMap<>();

  KeyLimitBook(Clock clock, StoreWriter writer) {
    this.clock = clock;
    this.writer = writer;
  }

  /** Loads every key's limits: at open, and on {@link Storage#refresh()}. */
  void load(Connection c) throws SQLException {
    Map<String, KeyRateLimits> loaded = new java.util.HashMap<>();
    try (PreparedStatement ps =
            c.prepareStatement(
                "SELECT key_hash, requests_per_minute, tokens_per_minute FROM key_rate_limits");
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        loaded.put(
            rs.getString(1),
            new KeyRateLimits(
                SqlValues.getInt(rs, "requests_per_minute"),
                SqlValues.getInt(rs, "tokens_per_minute")));
      }
    }
    synchronized (this) {
      byKey.keySet().retainAll(loaded.keySet());
      byKey.putAll(loaded);
    }
  }

  @Override
  public KeyRateLimits get(String keyHash) {
    return byKey.getOrDefault(keyHash, KeyRateLimits.DEFAULTS);
  }

  @Override
  public synchronized KeyRateLimits put(String keyHash, KeyRateLimits limits) {
    String h = Keys.requireHash(keyHash);
    boolean clear = limits.equals(KeyRateLimits.DEFAULTS);
    if (writer != null) {
      java.time.Instant now = clock.instant();
      writer.call(
          "store key rate limits",
          c -> {
            try (PreparedStatement del =
                c.prepareStatement("DELETE FROM key_rate_limits WHERE key_hash = ?")) {
              del.setString(1, h);
              del.executeUpdate();
            }
            if (!clear) {
              try (PreparedStatement ps =
                  c.prepareStatement(
                      "INSERT INTO key_rate_limits (key_hash, requests_per_minute,"
                          + " tokens_per_minute, updated_at_us) VALUES (?, ?, ?, ?)")) {
                ps.setString(1, h);
                SqlValues.setInt(ps, 2, limits.requestsPerMinute());
                SqlValues.setInt(ps, 3, limits.tokensPerMinute());
                SqlValues.setMicros(ps, 4, now);
                ps.executeUpdate();
              }
            }
            return null;
          });
    }
    if (clear) {
      byKey.remove(h);
    } else {
      byKey.put(h, limits);
    }
    return limits;
  }
}
