package dev.switchboard.server.limits;

import java.math.BigDecimal;

/**
 * An admitted request's credit hold and what settling it needs. Finish it exactly once, with {@link
 * Admission#settle} or {@link Admission#release} (later calls do nothing).
 */
public final class Reservation implements Admission.Outcome {

  private final Hold hold;
  private final String keyHash;
  private final String user;
  private final String sessionId;
  private final KeyPolicy policy;
  private final WorstCase worstCase;
  private final String tokenBucket;
  private final RateLimiter.Rate tokenRate;
  private final long tokensTaken;

  Reservation(
      Hold hold,
      String keyHash,
      String user,
      String sessionId,
      KeyPolicy policy,
      WorstCase worstCase,
      String tokenBucket,
      RateLimiter.Rate tokenRate,
      long tokensTaken) {
    this.hold = hold;
    this.keyHash = keyHash;
    this.user = user;
    this.sessionId = sessionId;
    this.policy = policy;
    this.worstCase = worstCase;
    this.tokenBucket = tokenBucket;
    this.tokenRate = tokenRate;
    this.tokensTaken = tokensTaken;
  }

  /** The key's combined guardrails: the plan stage applies them to the provider preferences. */
  public KeyPolicy policy() {
    return policy;
  }

  /** The worst case that was reserved. */
  public WorstCase worstCase() {
    return worstCase;
  }

  /** USD held while the request runs. */
  public BigDecimal amount() {
    return hold.amount();
  }

  /** Whether it was settled or released already. */
  public boolean finished() {
    return hold.finished();
  }

  Hold hold() {
    return hold;
  }

  String keyHash() {
    return keyHash;
  }

  String user() {
    return user;
  }

  String sessionId() {
    return sessionId;
  }

  String tokenBucket() {
    return tokenBucket;
  }

  RateLimiter.Rate tokenRate() {
    return tokenRate;
  }

  long tokensTaken() {
    return tokensTaken;
  }
}
