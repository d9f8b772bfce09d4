package dev.switchboard.server.config;

import java.math.BigDecimal;
import java.util.Objects;

/**
 * The {@code limits} section of the configuration.
 *
 * @param requestsPerMinute each key's requests per minute unless the key sets its own; 0 for none
 * @param tokensPerMinute each key's tokens per minute unless the key sets its own; 0 for none
 * @param freeModels the limits of {@code :free} models
 * @param inFlightRetryAfterSeconds the {@code Retry-After} of a 402 caused by reservations in
 *     flight
 */
public record LimitsConfig(
    int requestsPerMinute,
    int tokensPerMinute,
    FreeModels freeModels,
    long inFlightRetryAfterSeconds) {

  /** No per-key rate limit; OpenRouter's free-model limits; retry a full budget after a second. */
  public static final LimitsConfig DEFAULT = new LimitsConfig(0, 0, FreeModels.DEFAULT, 1);

  public LimitsConfig {
    if (requestsPerMinute < 0 || tokensPerMinute < 0) {
      throw new IllegalArgumentException("rate limits must not be negative");
    }
    Objects.requireNonNull(freeModels, "freeModels");
    if (inFlightRetryAfterSeconds < 1) {
      throw new IllegalArgumentException("in-flight retry-after must be at least one second");
    }
  }

  /**
   * The limits of {@code :free} models for the whole organisation (checklist 133 to 135; more keys
   * do not raise them, checklist 137).
   *
   * @param enabled whether they apply
   * @param perMinute requests per minute
   * @param perDayLow requests per UTC day while less than {@code creditsThreshold} USD was bought
   * @param perDayHigh requests per UTC day once it was, or while credits are unlimited
   * @param creditsThreshold USD of credits bought that unlocks {@code perDayHigh}
   */
  public record FreeModels(
      boolean enabled, int perMinute, int perDayLow, int perDayHigh, BigDecimal creditsThreshold) {

    public static final FreeModels DEFAULT = new FreeModels(true, 20, 50, 1_000, BigDecimal.TEN);

    public FreeModels {
      if (perMinute < 1 || perDayLow < 1 || perDayHigh < 1) {
        throw new IllegalArgumentException("free-model limits must be at least 1");
      }
      Objects.requireNonNull(creditsThreshold, "creditsThreshold");
    }
  }
}
