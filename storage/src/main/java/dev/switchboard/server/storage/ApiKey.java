package dev.switchboard.server.storage;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.Set;

/**
 * A stored API key. The plaintext is never stored: a key is addressed by {@code hash}, the
 * lowercase hex SHA-256 of the full key string ({@link Keys#hash}), and shown by {@code label}, its
 * masked form ({@code sk-sb-v1-abc...123}).
 *
 * @param hash lowercase hex SHA-256 of the key (64 characters)
 * @param name the name the creator gave it
 * @param label the masked key
 * @param kind inference or management
 * @param disabled a disabled key fails authentication
 * @param limit spending limit in USD at scale {@value Usd#SCALE}; null means unlimited
 * @param limitReset {@code daily}, {@code weekly}, {@code monthly} or null (the limit never resets)
 * @param includeByokInLimit whether BYOK spend counts against {@code limit}
 * @param createdAt creation time (microsecond precision)
 * @param updatedAt time of the last update, null if never updated
 * @param expiresAt the key fails authentication from this instant on; null means never
 * @param creatorUserId who created it, may be null
 * @param usage spend as of the moment the key was read
 */
public record ApiKey(
    String hash,
    String name,
    String label,
    KeyKind kind,
    boolean disabled,
    BigDecimal limit,
    String limitReset,
    boolean includeByokInLimit,
    Instant createdAt,
    Instant updatedAt,
    Instant expiresAt,
    String creatorUserId,
    KeyUsage usage) {

  /** The accepted values of {@code limitReset} besides null. */
  public static final Set<String> LIMIT_RESETS = Set.of("daily", "weekly", "monthly");

  public ApiKey {
    hash = Keys.requireHash(hash);
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(label, "label");
    Objects.requireNonNull(kind, "kind");
    limit = Usd.normalize(limit);
    requireLimitReset(limitReset);
    createdAt = micros(Objects.requireNonNull(createdAt, "createdAt"));
    updatedAt = micros(updatedAt);
    expiresAt = micros(expiresAt);
    usage = usage == null ? KeyUsage.ZERO : usage;
  }

  /** True when {@link #expiresAt} is set and {@code now} is at or after it. */
  public boolean isExpired(Instant now) {
    return expiresAt != null && !now.isBefore(expiresAt);
  }

  /** True when the key may authenticate at {@code now}: not disabled and not expired. */
  public boolean isActive(Instant now) {
    return !disabled && !isExpired(now);
  }

  /**
   * What is left of {@link #limit} in the current reset window, never below zero; null when the key
   * is unlimited.
   */
  public BigDecimal limitRemaining() {
    if (limit == null) {
      return null;
    }
    BigDecimal left = limit.subtract(usage.inWindow(limitReset, includeByokInLimit));
    return left.signum() < 0 ? Usd.ZERO : left;
  }

  /** This key with {@code newUsage}. */
  public ApiKey withUsage(KeyUsage newUsage) {
    return new ApiKey(
        hash,
        name,
        label,
        kind,
        disabled,
        limit,
        limitReset,
        includeByokInLimit,
        createdAt,
        updatedAt,
        expiresAt,
        creatorUserId,
        newUsage);
  }

  static void requireLimitReset(String limitReset) {
    if (limitReset != null && !LIMIT_RESETS.contains(limitReset)) {
      throw StorageErrors.invalid(
          "limit_reset must be one of daily, weekly, monthly or null, got: " + limitReset);
    }
  }

  static Instant micros(Instant instant) {
    return instant == null ? null : instant.truncatedTo(ChronoUnit.MICROS);
  }
}
