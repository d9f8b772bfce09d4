package dev.switchboard.server.limits;

import java.math.BigDecimal;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * An amount held against some holders until the request ends. Finished exactly once, by a settle or
 * a release; the flag makes a second call a no-op (a hedge loser and its winner, a cancellation
 * racing the end of a stream).
 */
public final class Hold {

  private final String id;
  private final BigDecimal amount;
  private final Set<Holder> holders;
  private final AtomicBoolean finished = new AtomicBoolean();

  public Hold(String id, BigDecimal amount, Set<Holder> holders) {
    this.id = id;
    this.amount = amount;
    this.holders = Set.copyOf(holders);
  }

  /**
   * The worst case of a request that no limit applies to, held against no one: settling it still
   * books the charge.
   */
  public static Hold againstNoOne(BigDecimal amount) {
    return new Hold(java.util.UUID.randomUUID().toString(), amount, Set.of());
  }

  /** A unique id (a shared store expires holds by it). */
  public String id() {
    return id;
  }

  /** USD held. */
  public BigDecimal amount() {
    return amount;
  }

  /** Whom it is held against. */
  public Set<Holder> holders() {
    return holders;
  }

  /** True the first time only: the caller then finishes the hold. */
  public boolean finish() {
    return finished.compareAndSet(false, true);
  }

  public boolean finished() {
    return finished.get();
  }
}
