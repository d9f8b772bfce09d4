package dev.switchboard.server.storage;

/**
 * A key's own rate limits. Null means "the configured default"; zero means "no limit".
 *
 * @param requestsPerMinute requests per minute
 * @param tokensPerMinute prompt plus completion tokens per minute
 */
public record KeyRateLimits(Integer requestsPerMinute, Integer tokensPerMinute) {

  /** Both from the configured defaults. */
  public static final KeyRateLimits DEFAULTS = new KeyRateLimits(null, null);

  public KeyRateLimits {
    if (requestsPerMinute != null && requestsPerMinute < 0) {
      throw StorageErrors.invalid("requests_per_minute must not be negative");
    }
    if (tokensPerMinute != null && tokensPerMinute < 0) {
      throw StorageErrors.invalid("tokens_per_minute must not be negative");
    }
  }
}
