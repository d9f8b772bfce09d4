package dev.switchboard.server.storage;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * A partial update of a key ({@code PATCH /keys/{hash}}). Fields left unset keep their value.
 * {@code limit} and {@code limitReset} can be set to null (unlimited, never resets), so each has a
 * {@code ...Set} flag; build patches with {@link #empty()} and the {@code with...} methods:
 *
 * <pre>{@code KeyPatch.empty().withDisabled(true).withLimit(null)}</pre>
 */
public record KeyPatch(
    String name,
    Boolean disabled,
    boolean limitSet,
    BigDecimal limit,
    boolean limitResetSet,
    String limitReset,
    Boolean includeByokInLimit) {

  private static final KeyPatch EMPTY = new KeyPatch(null, null, false, null, false, null, null);

  public KeyPatch {
    if (name != null && name.isBlank()) {
      throw StorageErrors.invalid("name must not be empty");
    }
    if (limit != null && limit.signum() < 0) {
      throw StorageErrors.invalid("limit must not be negative");
    }
    limit = Usd.normalize(limit);
    ApiKey.requireLimitReset(limitReset);
  }

  /** A patch that changes nothing. */
  public static KeyPatch empty() {
    return EMPTY;
  }

  public KeyPatch withName(String newName) {
    return new KeyPatch(
        newName, disabled, limitSet, limit, limitResetSet, limitReset, includeByokInLimit);
  }

  public KeyPatch withDisabled(boolean newDisabled) {
    return new KeyPatch(
        name, newDisabled, limitSet, limit, limitResetSet, limitReset, includeByokInLimit);
  }

  /** Sets the limit; null makes the key unlimited. */
  public KeyPatch withLimit(BigDecimal newLimit) {
    return new KeyPatch(
        name, disabled, true, newLimit, limitResetSet, limitReset, includeByokInLimit);
  }

  /** Sets the reset window; null means the limit never resets. */
  public KeyPatch withLimitReset(String newLimitReset) {
    return new KeyPatch(name, disabled, limitSet, limit, true, newLimitReset, includeByokInLimit);
  }

  public KeyPatch withIncludeByokInLimit(boolean include) {
    return new KeyPatch(name, disabled, limitSet, limit, limitResetSet, limitReset, include);
  }

  /** True when the patch changes nothing. */
  public boolean isEmpty() {
    return equals(EMPTY);
  }

  /** {@code key} with this patch applied; {@code updatedAt} becomes {@code now} unless empty. */
  ApiKey applyTo(ApiKey key, Instant now) {
    if (isEmpty()) {
      return key;
    }
    return new ApiKey(
        key.hash(),
        name != null ? name : key.name(),
        key.label(),
        key.kind(),
        disabled != null ? disabled : key.disabled(),
        limitSet ? limit : key.limit(),
        limitResetSet ? limitReset : key.limitReset(),
        includeByokInLimit != null ? includeByokInLimit : key.includeByokInLimit(),
        key.createdAt(),
        now,
        key.expiresAt(),
        key.creatorUserId(),
        key.usage());
  }
}
