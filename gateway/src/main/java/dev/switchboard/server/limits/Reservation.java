package dev.switchboard.server.limits;

import java.math.BigDecimal;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

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
  private final List<BudgetLine> lines;
  // Holds added while the request runs (one per extra server-tool round that needed more).
  private final List<Hold> extensions = new CopyOnWriteArrayList<>();

  Reservation(
      Hold hold,
      String keyHash,
      String user,
      String sessionId,
      KeyPolicy policy,
      WorstCase worstCase,
      String tokenBucket,
      RateLimiter.Rate tokenRate,
      long tokensTaken,
      List<BudgetLine> lines) {
    this.hold = hold;
    this.lines = lines == null ? List.of() : List.copyOf(lines);
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

  /** USD held while the request runs: the admission's hold and every extension since. */
  public BigDecimal amount() {
    BigDecimal total = hold.amount();
    for (Hold h : extensions) {
      total = total.add(h.amount());
    }
    return total;
  }

  /** The budget lines the hold is against (empty: no budget applies). */
  List<BudgetLine> lines() {
    return lines;
  }

  List<Hold> extensions() {
    return extensions;
  }

  void extended(Hold more) {
    extensions.add(more);
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
