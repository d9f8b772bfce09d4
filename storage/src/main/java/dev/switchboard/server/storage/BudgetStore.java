package dev.switchboard.server.storage;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * End-user and session budgets: the rules (in memory, written through) and the spend per subject
 * (in memory, written behind per UTC day like key usage).
 */
public interface BudgetStore {

  /** The rule for a subject: its own, else the scope's default, else empty. Never blocks. */
  Optional<BudgetRule> ruleFor(String scope, String subject);

  /** Every rule. Never blocks. */
  List<BudgetRule> list();

  /** Stores or replaces a rule. Blocking. */
  BudgetRule put(BudgetRule rule);

  /** Deletes a rule; false when none existed. Blocking. */
  boolean delete(String scope, String subject);

  /** What a subject spent: all time and in the current day, week and month. Never blocks. */
  KeyUsage spent(String scope, String subject);

  /** Books a charge to a subject. Never blocks; written behind. */
  void charge(String scope, String subject, BigDecimal cost, BigDecimal byokCost, Instant at);
}
