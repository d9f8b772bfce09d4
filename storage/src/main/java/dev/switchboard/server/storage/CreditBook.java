package dev.switchboard.server.storage;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * {@link CreditStore}: totals in memory, the ledger in the {@code credit_ledger} table (written
 * through on the writer thread) or, without a database, in a list. Usage is the key usage book's
 * grand total, so it moves with every key charge and never needs its own write.
 */
final class CreditBook implements CreditStore {

  private static final BigDecimal MAX = new BigDecimal("1000000000");

  private final Clock clock;
  private final StoreWriter writer; // null: in memory only
  private final ReadPool reads;
  private final UsageBook usage;
  private final List<CreditEntry> memory = new ArrayList<>();
  // Read on the request path without a lock; replaced whole by add(), which is serialised.
  private volatile Totals totals = new Totals(false, 0, 0);

  private record Totals(boolean funded, long creditsNanos, long boughtNanos) {}

  CreditBook(Clock clock, StoreWriter writer, ReadPool reads, UsageBook usage) {
    this.clock = clock;
    this.writer = writer;
    this.reads = reads;
    this.usage = usage;
  }

  /** Loads the totals from the ledger (at open). */
  /**
   * Loads the totals from the ledger: at open, and on {@link Storage#refresh()} (another node may
   * have added credits).
   */
  synchronized void load(Connection c) throws SQLException {
    totals = select(c);
  }

  private static Totals select(Connection c) throws SQLException {
    try (Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT COUNT(*), COALESCE(SUM(amount_nanos), 0),"
                    + " COALESCE(SUM(CASE WHEN amount_nanos > 0 THEN amount_nanos END), 0)"
                    + " FROM credit_ledger")) {
      rs.next();
      return new Totals(rs.getLong(1) > 0, rs.getLong(2), rs.getLong(3));
    }
  }

  @Override
  public BigDecimal totalCredits() {
    Totals t = totals;
    return t.funded() ? Usd.fromNanos(t.creditsNanos()) : null;
  }

  @Override
  public BigDecimal totalUsage() {
    return Usd.fromNanos(usage.totalNanos());
  }

  @Override
  public BigDecimal totalBought() {
    return Usd.fromNanos(totals.boughtNanos());
  }

  @Override
  public synchronized CreditEntry add(BigDecimal amount, String actor, String note) {
    if (amount == null || amount.signum() == 0 || amount.abs().compareTo(MAX) > 0) {
      throw StorageErrors.invalid("amount must be a non-zero number of USD up to 1,000,000,000");
    }
    if (note != null && note.length() > 500) {
      throw StorageErrors.invalid("note must be at most 500 characters");
    }
    long nanos = Usd.toNanos(amount);
    if (nanos == 0) {
      throw StorageErrors.invalid("amount must be at least one nano-dollar");
    }
    if (writer == null) {
      requireNotNegative(totals.creditsNanos(), nanos, amount);
      CreditEntry entry = new CreditEntry(memory.size() + 1L, amount, clock.instant(), actor, note);
      memory.add(entry);
      totals =
          new Totals(
              true, totals.creditsNanos() + nanos, totals.boughtNanos() + Math.max(0, nanos));
      return entry;
    }
    java.time.Instant at = clock.instant();
    // The check reads the ledger in the transaction that appends to it, under the credit lock:
    // other gateways on the same database may have added credits since this one loaded its totals.
    record Added(long id, Totals totals) {}
    Added added =
        writer.call(
            "add credits",
            c -> {
              writer.dialect().lockCredits(c);
              Totals current = select(c);
              requireNotNegative(current.creditsNanos(), nanos, amount);
              long id;
              try (PreparedStatement ps =
                  c.prepareStatement(
                      "INSERT INTO credit_ledger (at_us, amount_nanos, actor, note)"
                          + " VALUES (?, ?, ?, ?)",
                      Statement.RETURN_GENERATED_KEYS)) {
                SqlValues.setMicros(ps, 1, at);
                ps.setLong(2, nanos);
                ps.setString(3, actor);
                ps.setString(4, note);
                ps.executeUpdate();
                try (ResultSet keys = ps.getGeneratedKeys()) {
                  keys.next();
                  id = keys.getLong(1);
                }
              }
              return new Added(
                  id,
                  new Totals(
                      true,
                      current.creditsNanos() + nanos,
                      current.boughtNanos() + Math.max(0, nanos)));
            });
    totals = added.totals();
    return new CreditEntry(added.id(), amount, at, actor, note);
  }

  private static void requireNotNegative(long creditsNanos, long nanos, BigDecimal amount) {
    if (creditsNanos + nanos < 0) {
      throw StorageErrors.invalid(
          "a correction of "
              + amount.toPlainString()
              + " would take total credits below zero (they are "
              + Usd.fromNanos(creditsNanos).toPlainString()
              + ")");
    }
  }

  @Override
  public List<CreditEntry> ledger(int offset, int limit) {
    if (offset < 0 || limit < 0) {
      throw StorageErrors.invalid("offset and limit must not be negative");
    }
    if (writer == null) {
      synchronized (this) {
        List<CreditEntry> out = new ArrayList<>();
        for (int i = memory.size() - 1 - offset; i >= 0 && out.size() < limit; i--) {
          out.add(memory.get(i));
        }
        return out;
      }
    }
    return reads.read(
        "list credits",
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT id, at_us, amount_nanos, actor, note FROM credit_ledger"
                      + " ORDER BY id DESC LIMIT ? OFFSET ?")) {
            ps.setInt(1, limit);
            ps.setInt(2, offset);
            try (ResultSet rs = ps.executeQuery()) {
              List<CreditEntry> out = new ArrayList<>();
              while (rs.next()) {
                out.add(
                    new CreditEntry(
                        rs.getLong(1),
                        Usd.fromNanos(rs.getLong(3)),
                        SqlValues.instant(rs.getLong(2)),
                        rs.getString(4),
                        rs.getString(5)));
              }
              return out;
            }
          }
        });
  }
}
