package dev.switchboard.server.storage;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Objects;
import java.util.Set;

/**
 * A USD budget for one end user (the request's {@code user}) or one session ({@code session_id}, an
 * agent run). Subject {@value #DEFAULT_SUBJECT} is the rule for every subject of the scope that has
 * none of its own.
 *
 * @param scope {@code user} or {@code session}
 * @param subject the user or session id, or {@value #DEFAULT_SUBJECT}
 * @param limitUsd USD, not negative
 * @param resetInterval {@code daily|weekly|monthly}, or null for a lifetime budget
 * @param updatedAt when it was last set
 */
public record BudgetRule(
    String scope, String subject, BigDecimal limitUsd, String resetInterval, Instant updatedAt) {

  /** The scopes. */
  public static final Set<String> SCOPES = Set.of("user", "session");

  /** The subject of the default rule of a scope. */
  public static final String DEFAULT_SUBJECT = "*";

  public BudgetRule {
    if (!SCOPES.contains(scope)) {
      throw StorageErrors.invalid("scope must be user or session");
    }
    Objects.requireNonNull(subject, "subject");
    if (subject.isEmpty() || subject.length() > 256) {
      throw StorageErrors.invalid("subject must be 1 to 256 characters");
    }
    if (limitUsd == null || limitUsd.signum() < 0) {
      throw StorageErrors.invalid("limit_usd must be a non-negative number");
    }
    limitUsd = Usd.normalize(limitUsd);
    ApiKey.requireLimitReset(resetInterval);
    updatedAt = ApiKey.micros(Objects.requireNonNull(updatedAt, "updatedAt"));
  }
}
