package dev.switchboard.server.storage;

import java.math.BigDecimal;
import java.util.List;

/**
 * The organisation's credits: a ledger of fundings (with who and why), and the usage every key
 * charge adds. The balance is {@code totalCredits - totalUsage}; an organisation that was never
 * funded has no balance at all (unlimited).
 *
 * <p>Threads: {@link #totalCredits}, {@link #totalUsage} and {@link #totalBought} are in memory and
 * never block; {@link #add} and {@link #ledger} do I/O (worker threads).
 */
public interface CreditStore {

  /** USD added over all time (corrections included), or null when never funded (unlimited). */
  BigDecimal totalCredits();

  /** USD charged to every key over all time (BYOK excluded). */
  BigDecimal totalUsage();

  /** USD of positive fundings only: what decides the free-model daily limit. */
  BigDecimal totalBought();

  /**
   * Books {@code amount} USD (negative to correct a mistake) and returns the ledger row. Throws a
   * 400-class error when the amount is zero or would take the total below zero. Durable when it
   * returns.
   */
  CreditEntry add(BigDecimal amount, String actor, String note);

  /** A page of the ledger, newest first. */
  List<CreditEntry> ledger(int offset, int limit);
}
