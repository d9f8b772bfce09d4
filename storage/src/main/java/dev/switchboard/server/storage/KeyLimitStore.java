package dev.switchboard.server.storage;

/** Per-key rate limits, held in memory and written through. */
public interface KeyLimitStore {

  /** The key's own limits, {@link KeyRateLimits#DEFAULTS} when none were set. Never blocks. */
  KeyRateLimits get(String keyHash);

  /** Sets them (both null removes the row). Blocking. */
  KeyRateLimits put(String keyHash, KeyRateLimits limits);
}
