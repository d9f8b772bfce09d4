package dev.switchboard.server.storage;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.api.json.ApiJson;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@link PresetStore}: every version in memory, written through to the {@code presets} table on the
 * writer thread when there is a database. New versions are serialised.
 */
final class PresetBook implements PresetStore {

  private final Clock clock;
  private final StoreWriter writer; // null: in memory only
  private final Map<String, List<Preset>> bySlug = new ConcurrentHashMap<>();

  PresetBook(Clock clock, StoreWriter writer) {
    this.clock = clock;
    this.writer = writer;
  }

  /** Loads every version (at open, and again when a shared database is refreshed). */
  void load(Connection c) throws SQLException {
    java.util.Map<String, List<Preset>> loaded = new java.util.HashMap<>();
    try (PreparedStatement ps =
            c.prepareStatement(
                "SELECT slug, version, name, description, config, created_at_us FROM presets"
                    + " ORDER BY slug, version");
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        JsonNode config;
        try {
          config = ApiJson.tree(rs.getString(5));
        } catch (IOException e) {
          throw new SQLException("preset " + rs.getString(1) + " has a config that is not JSON", e);
        }
        long us = rs.getLong(6);
        Preset p =
            new Preset(
                rs.getString(1),
                rs.getInt(2),
                rs.getString(3),
                rs.getString(4),
                config,
                Instant.ofEpochSecond(us / 1_000_000, (us % 1_000_000) * 1_000));
        loaded.computeIfAbsent(p.slug(), s -> new ArrayList<>()).add(p);
      }
    }
    synchronized (this) {
      bySlug.clear();
      loaded.forEach((slug, versions) -> bySlug.put(slug, List.copyOf(versions)));
    }
  }

  @Override
  public List<Preset> list() {
    return bySlug.values().stream()
        .map(List::getLast)
        .sorted(Comparator.comparing(Preset::slug))
        .toList();
  }

  @Override
  public Optional<Preset> latest(String slug) {
    List<Preset> v = bySlug.get(slug);
    return v == null || v.isEmpty() ? Optional.empty() : Optional.of(v.getLast());
  }

  @Override
  public List<Preset> versions(String slug) {
    List<Preset> v = bySlug.get(slug);
    return v == null ? List.of() : List.copyOf(v);
  }

  @Override
  public Optional<Preset> version(String slug, int version) {
    return versions(slug).stream().filter(p -> p.version() == version).findFirst();
  }

  @Override
  public synchronized Preset add(String slug, String name, String description, JsonNode config) {
    List<Preset> existing = bySlug.getOrDefault(slug, List.of());
    int version = existing.isEmpty() ? 1 : existing.getLast().version() + 1;
    Instant now = clock.instant();
    Preset p = new Preset(slug, version, name, description, config.deepCopy(), now);
    if (writer != null) {
      writer.call(
          "store preset",
          c -> {
            try (PreparedStatement ps =
                c.prepareStatement(
                    "INSERT INTO presets (slug, version, name, description, config, created_at_us)"
                        + " VALUES (?, ?, ?, ?, ?, ?)")) {
              ps.setString(1, slug);
              ps.setInt(2, version);
              ps.setString(3, name);
              ps.setString(4, description);
              ps.setString(5, config.toString());
              ps.setLong(6, now.getEpochSecond() * 1_000_000 + now.getNano() / 1_000);
              ps.executeUpdate();
            }
            return null;
          });
    }
    List<Preset> next = new ArrayList<>(existing);
    next.add(p);
    bySlug.put(slug, List.copyOf(next));
    return p;
  }
}
