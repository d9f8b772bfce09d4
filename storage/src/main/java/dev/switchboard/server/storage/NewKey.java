package dev.switchboard.server.storage;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Objects;

/**
 * What {@link KeyStore#create} needs. The caller generates the plaintext ({@link
 * Keys#generateInferenceKey}), shows it once, and passes only its {@link Keys#hash} and {@link
 * Keys#label} here.
 *
 * @param hash lowercase hex SHA-256 of the key
 * @param name non-blank
 * @param label the masked key
 * @param kind inference or management
 * @param limit USD, null for unlimited; must not be negative
 * @param limitReset {@code daily}, {@code weekly}, {@code monthly} or null
 * @param includeByokInLimit whether BYOK spend counts against the limit
 * @param expiresAt null for never
 * @param creatorUserId may be null
 */
public record NewKey(
    String hash,
    String name,
    String label,
    KeyKind kind,
    BigDecimal limit,
    String limitReset,
    boolean includeByokInLimit,
    Instant expiresAt,
    String creatorUserId) {

  public NewKey {
    hash = Keys.requireHash(hash);
    Objects.requireNonNull(name, "name");
    if (name.isBlank()) {
      throw StorageErrors.invalid("name must not be empty");
    }
    Objects.requireNonNull(label, "label");
    Objects.requireNonNull(kind, "kind");
    if (limit != null && limit.signum() < 0) {
      throw StorageErrors.invalid("limit must not be negative");
    }
    limit = Usd.normalize(limit);
    ApiKey.requireLimitReset(limitReset);
    expiresAt = ApiKey.micros(expiresAt);
  }

  /** An unlimited, non-expiring key of {@code kind} for the key string {@code plaintext}. */
  public static NewKey of(String plaintext, String name, KeyKind kind) {
    return new NewKey(
        Keys.hash(plaintext), name, Keys.label(plaintext), kind, null, null, false, null, null);
  }

  /** This spec with a spending limit and its reset window. */
  public NewKey withLimit(BigDecimal newLimit, String newLimitReset) {
    return new NewKey(
        hash,
        name,
        label,
        kind,
        newLimit,
        newLimitReset,
        includeByokInLimit,
        expiresAt,
        creatorUserId);
  }

  /** This spec expiring at {@code newExpiresAt}. */
  public NewKey withExpiresAt(Instant newExpiresAt) {
    return new NewKey(
        hash,
        name,
        label,
        kind,
        limit,
        limitReset,
        includeByokInLimit,
        newExpiresAt,
        creatorUserId);
  }

  /** The key this spec creates at {@code now}, with no usage. */
  ApiKey toApiKey(Instant now) {
    return new ApiKey(
        hash,
        name,
        label,
        kind,
        false,
        limit,
        limitReset,
        includeByokInLimit,
        now,
        null,
        expiresAt,
        creatorUserId,
        KeyUsage.ZERO);
  }
}
