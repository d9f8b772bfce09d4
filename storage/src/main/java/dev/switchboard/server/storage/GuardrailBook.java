package dev.switchboard.server.storage;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.api.json.ApiJson;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@link GuardrailStore}: guardrails and assignments in memory (the request path reads them without
 * I/O), written through to the {@code guardrails} and {@code guardrail_keys} tables on the writer
 * thread when there is a database. Changes are serialised; readers see whole snapshots.
 */
final class GuardrailBook implements GuardrailStore {

  private static final String COLUMNS =
      "id, name, description, limit_nanos, reset_interval, include_byok_in_budgets,"
          + " allowed_models, ignored_models, allowed_providers, ignored_providers, enforce_zdr,"
          + " deny_data_collection, created_at_us, updated_at_us";

  private final StoreWriter writer; // null: in memory only
  private final Map<String, Guardrail> byId = new ConcurrentHashMap<>();
  private final Map<String, Set<String>> keysById = new ConcurrentHashMap<>();
  private volatile Map<String, List<Guardrail>> byKey = Map.of();

  GuardrailBook(StoreWriter writer) {
    this.writer = writer;
  }

  /**
   * Loads every guardrail and assignment: at open, and again when another node may have changed
   * them ({@link Storage#refresh()}). The tables are read first and the maps replaced under the
   * monitor, so readers never see a half-loaded set.
   */
  void load(Connection c) throws SQLException {
    Map<String, Guardrail> guardrails = new java.util.HashMap<>();
    try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM guardrails");
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        Guardrail g = read(rs);
        guardrails.put(g.id(), g);
      }
    }
    Map<String, Set<String>> assignments = new java.util.HashMap<>();
    try (PreparedStatement ps =
            c.prepareStatement("SELECT guardrail_id, key_hash FROM guardrail_keys");
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        if (guardrails.containsKey(rs.getString(1))) {
          assignments
              .computeIfAbsent(rs.getString(1), k -> ConcurrentHashMap.newKeySet())
              .add(rs.getString(2));
        }
      }
    }
    synchronized (this) {
      byId.keySet().retainAll(guardrails.keySet());
      byId.putAll(guardrails);
      keysById.keySet().retainAll(assignments.keySet());
      keysById.putAll(assignments);
      reindex();
    }
  }

  @Override
  public List<Guardrail> list() {
    return byId.values().stream()
        .sorted(Comparator.comparing(Guardrail::createdAt).thenComparing(Guardrail::id))
        .toList();
  }

  @Override
  public Optional<Guardrail> find(String id) {
    return id == null ? Optional.empty() : Optional.ofNullable(byId.get(id));
  }

  @Override
  public List<Guardrail> forKey(String keyHash) {
    return byKey.getOrDefault(keyHash, List.of());
  }

  @Override
  public Set<String> keys(String id) {
    Set<String> keys = keysById.get(id);
    return keys == null ? Set.of() : Set.copyOf(keys);
  }

  @Override
  public synchronized Guardrail put(Guardrail g) {
    if (writer != null) {
      writer.call(
          "store guardrail",
          c -> {
            // Updated in place: a delete and insert would cascade to guardrail_keys (PostgreSQL
            // enforces the foreign key) and drop the guardrail's key assignments.
            try (PreparedStatement ps =
                c.prepareStatement(
                    "INSERT INTO guardrails ("
                        + COLUMNS
                        + ") VALUES ("
                        + "?, ".repeat(13)
                        + "?) ON CONFLICT (id) DO UPDATE SET name = excluded.name,"
                        + " description = excluded.description,"
                        + " limit_nanos = excluded.limit_nanos,"
                        + " reset_interval = excluded.reset_interval,"
                        + " include_byok_in_budgets = excluded.include_byok_in_budgets,"
                        + " allowed_models = excluded.allowed_models,"
                        + " ignored_models = excluded.ignored_models,"
                        + " allowed_providers = excluded.allowed_providers,"
                        + " ignored_providers = excluded.ignored_providers,"
                        + " enforce_zdr = excluded.enforce_zdr,"
                        + " deny_data_collection = excluded.deny_data_collection,"
                        + " created_at_us = excluded.created_at_us,"
                        + " updated_at_us = excluded.updated_at_us")) {
              bind(ps, g);
              ps.executeUpdate();
            }
            return null;
          });
    }
    byId.put(g.id(), g);
    reindex();
    return g;
  }

  @Override
  public synchronized boolean delete(String id) {
    if (!byId.containsKey(id)) {
      return false;
    }
    if (writer != null) {
      writer.call(
          "delete guardrail",
          c -> {
            try (PreparedStatement ps =
                c.prepareStatement("DELETE FROM guardrail_keys WHERE guardrail_id = ?")) {
              ps.setString(1, id);
              ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM guardrails WHERE id = ?")) {
              ps.setString(1, id);
              ps.executeUpdate();
            }
            return null;
          });
    }
    byId.remove(id);
    keysById.remove(id);
    reindex();
    return true;
  }

  @Override
  public synchronized int assign(String id, Collection<String> keyHashes) {
    requireKnown(id);
    Set<String> current = keysById.getOrDefault(id, Set.of());
    List<String> fresh = new ArrayList<>();
    for (String h : new LinkedHashSet<>(keyHashes)) {
      String hash = Keys.requireHash(h);
      if (!current.contains(hash)) {
        fresh.add(hash);
      }
    }
    if (writer != null && !fresh.isEmpty()) {
      writer.call(
          "assign guardrail",
          c -> {
            try (PreparedStatement ps =
                c.prepareStatement(
                    "INSERT INTO guardrail_keys (guardrail_id, key_hash) VALUES (?, ?)"
                        + " ON CONFLICT DO NOTHING")) {
              for (String h : fresh) {
                ps.setString(1, id);
                ps.setString(2, h);
                ps.addBatch();
              }
              ps.executeBatch();
            }
            return null;
          });
    }
    keysById.computeIfAbsent(id, k -> ConcurrentHashMap.newKeySet()).addAll(fresh);
    reindex();
    return fresh.size();
  }

  @Override
  public synchronized int unassign(String id, Collection<String> keyHashes) {
    requireKnown(id);
    Set<String> current = keysById.getOrDefault(id, Set.of());
    List<String> gone = new ArrayList<>();
    for (String h : new LinkedHashSet<>(keyHashes)) {
      String hash = Keys.requireHash(h);
      if (current.contains(hash)) {
        gone.add(hash);
      }
    }
    if (writer != null && !gone.isEmpty()) {
      writer.call(
          "unassign guardrail",
          c -> {
            try (PreparedStatement ps =
                c.prepareStatement(
                    "DELETE FROM guardrail_keys WHERE guardrail_id = ? AND key_hash = ?")) {
              for (String h : gone) {
                ps.setString(1, id);
                ps.setString(2, h);
                ps.addBatch();
              }
              ps.executeBatch();
            }
            return null;
          });
    }
    gone.forEach(keysById.getOrDefault(id, new HashSet<>())::remove);
    reindex();
    return gone.size();
  }

  private void requireKnown(String id) {
    if (!byId.containsKey(id)) {
      throw new dev.switchboard.core.error.GatewayException(
          dev.switchboard.core.error.GatewayError.of(
              dev.switchboard.core.error.FailureClass.NOT_FOUND, 404, "Guardrail not found"));
    }
  }

  /** Rebuilds the key → guardrails index; called under the monitor after every change. */
  private void reindex() {
    Map<String, List<Guardrail>> index = new java.util.HashMap<>();
    for (Guardrail g : list()) {
      for (String key : keysById.getOrDefault(g.id(), Set.of())) {
        index.computeIfAbsent(key, k -> new ArrayList<>()).add(g);
      }
    }
    index.replaceAll((k, v) -> List.copyOf(v));
    byKey = Map.copyOf(index);
  }

  private static void bind(PreparedStatement ps, Guardrail g) throws SQLException {
    ps.setString(1, g.id());
    ps.setString(2, g.name());
    ps.setString(3, g.description());
    SqlValues.setMoney(ps, 4, g.limitUsd());
    ps.setString(5, g.resetInterval());
    SqlValues.setBool(ps, 6, g.includeByokInBudgets());
    ps.setString(7, json(g.allowedModels()));
    ps.setString(8, json(g.ignoredModels()));
    ps.setString(9, json(g.allowedProviders()));
    ps.setString(10, json(g.ignoredProviders()));
    SqlValues.setBool(ps, 11, g.enforceZdr());
    SqlValues.setBool(ps, 12, g.denyDataCollection());
    SqlValues.setMicros(ps, 13, g.createdAt());
    SqlValues.setMicros(ps, 14, g.updatedAt());
  }

  private static Guardrail read(ResultSet rs) throws SQLException {
    return new Guardrail(
        rs.getString("id"),
        rs.getString("name"),
        rs.getString("description"),
        SqlValues.getMoney(rs, "limit_nanos"),
        rs.getString("reset_interval"),
        SqlValues.getBool(rs, "include_byok_in_budgets"),
        list(rs.getString("allowed_models")),
        list(rs.getString("ignored_models")),
        list(rs.getString("allowed_providers")),
        list(rs.getString("ignored_providers")),
        SqlValues.getBool(rs, "enforce_zdr"),
        SqlValues.getBool(rs, "deny_data_collection"),
        SqlValues.getMicros(rs, "created_at_us"),
        SqlValues.getMicros(rs, "updated_at_us"));
  }

  private static String json(List<String> list) {
    return list == null ? null : ApiJson.string(list);
  }

  private static List<String> list(String json) throws SQLException {
    if (json == null) {
      return null;
    }
    try {
      List<String> out = new ArrayList<>();
      for (JsonNode n : ApiJson.tree(json)) {
        out.add(n.asText());
      }
      return out;
    } catch (IOException e) {
      throw new SQLException("bad list in guardrails: " + json, e);
    }
  }
}
