package dev.switchboard.server.storage;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * {@link KeyStore} on SQLite or PostgreSQL. Changes run on the writer thread; reads use the read
 * pool. Lookups go through a Caffeine cache that this store refreshes itself after every change it
 * commits, so a disabled or deleted key fails at once. Usage comes from the in-memory {@link
 * UsageBook}.
 */
final class SqlKeyStore implements KeyStore {

  /** How long an unknown hash stays cached: short, so a key created by another process works. */
  private static final Duration UNKNOWN_TTL = Duration.ofSeconds(2);

  private static final String COLUMNS =
      "hash, name, label, kind, disabled, limit_nanos, limit_reset, include_byok_in_limit,"
          + " created_at_us, updated_at_us, expires_at_us, creator_user_id";

  private final StoreWriter writer;
  private final ReadPool reads;
  private final UsageBook usage;
  private final StorageOptions options;
  private final Cache<String, Optional<ApiKey>> cache;

  SqlKeyStore(StoreWriter writer, ReadPool reads, UsageBook usage, StorageOptions options) {
    this.writer = writer;
    this.reads = reads;
    this.usage = usage;
    this.options = options;
    Duration ttl = options.keyCacheTtl();
    this.cache =
        Caffeine.newBuilder()
            .maximumSize(options.keyCacheSize())
            .expireAfter(
                Expiry.<String, Optional<ApiKey>>writing(
                    (hash, key) -> key.isPresent() ? ttl : min(ttl, UNKNOWN_TTL)))
            // Upkeep on the reading thread, not the common pool (a wake-up of a pool thread every
            // few requests; the gateway's Admission.perKey says more).
            .executor(Runnable::run)
            .build();
  }

  /** Forgets every cached key, so the next lookups read the database (another node's changes). */
  void invalidateCache() {
    cache.invalidateAll();
  }

  @Override
  public void forget(String hash) {
    if (Keys.isHash(hash)) {
      cache.invalidate(hash.toLowerCase(Locale.ROOT));
    }
  }

  @Override
  public Optional<ApiKey> findByHash(String hash) {
    if (!Keys.isHash(hash)) {
      return Optional.empty();
    }
    String h = hash.toLowerCase(Locale.ROOT);
    return cache.get(h, this::load).map(k -> k.withUsage(usage.usage(h)));
  }

  @Override
  public ApiKey create(NewKey spec) {
    ApiKey key = spec.toApiKey(options.clock().instant());
    writer.call(
        "create key",
        c -> {
          // Two nodes may create the same key at once (a master key at start): the loser's
          // insert does nothing instead of failing on the primary key.
          try (PreparedStatement ps =
              c.prepareStatement(
                  "INSERT INTO api_keys ("
                      + COLUMNS
                      + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                      + " ON CONFLICT (hash) DO NOTHING")) {
            bindAll(ps, key);
            if (ps.executeUpdate() == 0) {
              throw StorageErrors.invalid("a key with this hash already exists");
            }
          }
          return key;
        },
        created -> cache.put(created.hash(), Optional.of(created)));
    return key.withUsage(usage.usage(key.hash()));
  }

  @Override
  public Optional<ApiKey> update(String hash, KeyPatch patch) {
    String h = Keys.requireHash(hash);
    Optional<ApiKey> updated =
        writer.call(
            "update key",
            c -> {
              Optional<ApiKey> current = select(c, h);
              if (current.isEmpty() || patch.isEmpty()) {
                return current;
              }
              ApiKey next = patch.applyTo(current.get(), options.clock().instant());
              try (PreparedStatement ps =
                  c.prepareStatement(
                      "UPDATE api_keys SET name = ?, disabled = ?, limit_nanos = ?,"
                          + " limit_reset = ?, include_byok_in_limit = ?, updated_at_us = ?"
                          + " WHERE hash = ?")) {
                ps.setString(1, next.name());
                SqlValues.setBool(ps, 2, next.disabled());
                SqlValues.setMoney(ps, 3, next.limit());
                ps.setString(4, next.limitReset());
                SqlValues.setBool(ps, 5, next.includeByokInLimit());
                SqlValues.setMicros(ps, 6, next.updatedAt());
                ps.setString(7, h);
                ps.executeUpdate();
              }
              return Optional.of(next);
            },
            // After the commit, on the writer thread, so cache writes follow commit order. A put
            // waits for any load of the same key in flight, so a stale load cannot win.
            result -> cache.put(h, result));
    return updated.map(k -> k.withUsage(usage.usage(h)));
  }

  @Override
  public boolean delete(String hash) {
    String h = Keys.requireHash(hash);
    boolean deleted =
        writer.call(
            "delete key",
            c -> {
              try (PreparedStatement ps =
                  c.prepareStatement("DELETE FROM api_keys WHERE hash = ?")) {
                ps.setString(1, h);
                return ps.executeUpdate() > 0;
              }
            },
            result -> {
              cache.put(h, Optional.empty());
              usage.remove(h);
            });
    return deleted;
  }

  @Override
  public List<ApiKey> list(int offset, int limit, boolean includeDisabled) {
    if (offset < 0 || limit < 0) {
      throw StorageErrors.invalid("offset and limit must not be negative");
    }
    List<ApiKey> keys =
        reads.read(
            "list keys",
            c -> {
              String sql =
                  "SELECT "
                      + COLUMNS
                      + " FROM api_keys"
                      + (includeDisabled ? "" : " WHERE NOT disabled")
                      + " ORDER BY created_at_us DESC, hash DESC LIMIT ? OFFSET ?";
              try (PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setInt(1, limit);
                ps.setInt(2, offset);
                try (ResultSet rs = ps.executeQuery()) {
                  List<ApiKey> page = new ArrayList<>();
                  while (rs.next()) {
                    page.add(read(rs));
                  }
                  return page;
                }
              }
            });
    return keys.stream().map(k -> k.withUsage(usage.usage(k.hash()))).toList();
  }

  @Override
  public KeyUsage usage(String hash) {
    return Keys.isHash(hash) ? usage.usage(hash.toLowerCase(Locale.ROOT)) : KeyUsage.ZERO;
  }

  @Override
  public void charge(UsageCharge charge) {
    usage.addUnwritten(charge);
    writer.enqueue(charge);
  }

  private Optional<ApiKey> load(String hash) {
    return reads.read("find key", c -> select(c, hash));
  }

  private static Optional<ApiKey> select(Connection c, String hash) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("SELECT " + COLUMNS + " FROM api_keys WHERE hash = ?")) {
      ps.setString(1, hash);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(read(rs)) : Optional.empty();
      }
    }
  }

  private static void bindAll(PreparedStatement ps, ApiKey key) throws SQLException {
    ps.setString(1, key.hash());
    ps.setString(2, key.name());
    ps.setString(3, key.label());
    ps.setString(4, key.kind().name());
    SqlValues.setBool(ps, 5, key.disabled());
    SqlValues.setMoney(ps, 6, key.limit());
    ps.setString(7, key.limitReset());
    SqlValues.setBool(ps, 8, key.includeByokInLimit());
    SqlValues.setMicros(ps, 9, key.createdAt());
    SqlValues.setMicros(ps, 10, key.updatedAt());
    SqlValues.setMicros(ps, 11, key.expiresAt());
    ps.setString(12, key.creatorUserId());
  }

  private static ApiKey read(ResultSet rs) throws SQLException {
    return new ApiKey(
        rs.getString("hash"),
        rs.getString("name"),
        rs.getString("label"),
        KeyKind.valueOf(rs.getString("kind")),
        SqlValues.getBool(rs, "disabled"),
        SqlValues.getMoney(rs, "limit_nanos"),
        rs.getString("limit_reset"),
        SqlValues.getBool(rs, "include_byok_in_limit"),
        SqlValues.getMicros(rs, "created_at_us"),
        SqlValues.getMicros(rs, "updated_at_us"),
        SqlValues.getMicros(rs, "expires_at_us"),
        rs.getString("creator_user_id"),
        KeyUsage.ZERO);
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }
}
