package dev.switchboard.server.storage;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@link BudgetStore}: rules in memory, written through to {@code budget_rules}; spend per subject
 * in a {@link UsageBook} (the same day buckets as key usage), written behind to {@code
 * budget_usage_daily} through the writer's queue.
 */
final class BudgetBook implements BudgetStore {

  static final String UPSERT_DAILY =
      "INSERT INTO budget_usage_daily (scope, subject, day, cost_nanos, byok_nanos, charges)"
          + " VALUES (?, ?, ?, ?, ?, 1)"
          + " ON CONFLICT (scope, subject, day) DO UPDATE SET"
          + " cost_nanos = budget_usage_daily.cost_nanos + excluded.cost_nanos,"
          + " byok_nanos = budget_usage_daily.byok_nanos + excluded.byok_nanos,"
          + " charges = budget_usage_daily.charges + 1";

  private final StoreWriter writer; // null: in memory only
  private final UsageBook spend;
  private final Map<String, BudgetRule> rules = new ConcurrentHashMap<>();

  BudgetBook(Clock clock, StoreWriter writer) {
    this.writer = writer;
    this.spend = new UsageBook(clock);
  }

  /** Loads the rules and the recent spend (at open). */
  void load(Connection c, LocalDate today) throws SQLException {
    loadRules(c);
    loadSpend(c, today);
  }

  /** Loads the rules: at open, and on {@link Storage#refresh()}. */
  void loadRules(Connection c) throws SQLException {
    Map<String, BudgetRule> loaded = new java.util.HashMap<>();
    try (PreparedStatement ps =
            c.prepareStatement(
                "SELECT scope, subject, limit_nanos, reset_interval, updated_at_us"
                    + " FROM budget_rules");
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        BudgetRule r =
            new BudgetRule(
                rs.getString(1),
                rs.getString(2),
                Usd.fromNanos(rs.getLong(3)),
                rs.getString(4),
                SqlValues.instant(rs.getLong(5)));
        loaded.put(id(r.scope(), r.subject()), r);
      }
    }
    synchronized (this) {
      rules.keySet().retainAll(loaded.keySet());
      rules.putAll(loaded);
    }
  }

  private void loadSpend(Connection c, LocalDate today) throws SQLException {
    try (PreparedStatement ps =
            c.prepareStatement(
                "SELECT scope, subject, SUM(cost_nanos), SUM(byok_nanos) FROM budget_usage_daily"
                    + " GROUP BY scope, subject");
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        spend.loadTotal(id(rs.getString(1), rs.getString(2)), rs.getLong(3), rs.getLong(4));
      }
    }
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT scope, subject, day, cost_nanos, byok_nanos FROM budget_usage_daily"
                + " WHERE day > ?")) {
      ps.setString(1, UsageRows.dayText(today.toEpochDay() - UsageBook.KEEP_DAYS));
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          spend.loadDay(
              id(rs.getString(1), rs.getString(2)),
              LocalDate.parse(rs.getString(3)).toEpochDay(),
              rs.getLong(4),
              rs.getLong(5));
        }
      }
    }
  }

  @Override
  public Optional<BudgetRule> ruleFor(String scope, String subject) {
    BudgetRule own = rules.get(id(scope, subject));
    return Optional.ofNullable(
        own != null ? own : rules.get(id(scope, BudgetRule.DEFAULT_SUBJECT)));
  }

  @Override
  public List<BudgetRule> list() {
    return rules.values().stream()
        .sorted(Comparator.comparing(BudgetRule::scope).thenComparing(BudgetRule::subject))
        .toList();
  }

  @Override
  public synchronized BudgetRule put(BudgetRule rule) {
    if (writer != null) {
      writer.call(
          "store budget",
          c -> {
            try (PreparedStatement ps =
                c.prepareStatement(
                    "INSERT INTO budget_rules (scope, subject, limit_nanos, reset_interval,"
                        + " updated_at_us) VALUES (?, ?, ?, ?, ?)"
                        + " ON CONFLICT (scope, subject) DO UPDATE SET"
                        + " limit_nanos = excluded.limit_nanos,"
                        + " reset_interval = excluded.reset_interval,"
                        + " updated_at_us = excluded.updated_at_us")) {
              ps.setString(1, rule.scope());
              ps.setString(2, rule.subject());
              SqlValues.setMoney(ps, 3, rule.limitUsd());
              ps.setString(4, rule.resetInterval());
              SqlValues.setMicros(ps, 5, rule.updatedAt());
              ps.executeUpdate();
            }
            return null;
          });
    }
    rules.put(id(rule.scope(), rule.subject()), rule);
    return rule;
  }

  @Override
  public synchronized boolean delete(String scope, String subject) {
    if (!rules.containsKey(id(scope, subject))) {
      return false;
    }
    if (writer != null) {
      writer.call(
          "delete budget",
          c -> {
            try (PreparedStatement ps =
                c.prepareStatement("DELETE FROM budget_rules WHERE scope = ? AND subject = ?")) {
              ps.setString(1, scope);
              ps.setString(2, subject);
              ps.executeUpdate();
            }
            return null;
          });
    }
    rules.remove(id(scope, subject));
    return true;
  }

  @Override
  public KeyUsage spent(String scope, String subject) {
    return spend.usage(id(scope, subject));
  }

  @Override
  public void charge(String scope, String subject, BigDecimal cost, BigDecimal byok, Instant at) {
    BudgetCharge c =
        new BudgetCharge(
            scope, subject, Usd.normalize(cost), byok == null ? Usd.ZERO : Usd.normalize(byok), at);
    spend.add(id(scope, subject), c.epochDay(), Usd.toNanos(c.cost()), Usd.toNanos(c.byokCost()));
    if (writer != null) {
      writer.enqueue(c);
    }
  }

  private static String id(String scope, String subject) {
    return scope + '\u0000' + subject;
  }
}
