package dev.switchboard.server.limits;

import java.math.BigDecimal;
import java.security.SecureRandom;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An amount held against some holders until the request ends. Finished exactly once, by a settle or
 * a release; the flag makes a second call a no-op (a hedge loser and its winner, a cancellation
 * racing the end of a stream).
 */
public final class Hold {

  // Local holds are named by this process's random prefix and a sequence number, built only when
  // asked for: a random UUID per request costs a SecureRandom call on the hot path.
  private static final String NODE = Long.toHexString(new SecureRandom().nextLong()) + "-";
  private static final AtomicLong SEQUENCE = new AtomicLong();

  private String id;
  private final long sequence;
  private final BigDecimal amount;
  private final Set<Holder> holders;
  private final AtomicBoolean finished = new AtomicBoolean();

  public Hold(String id, BigDecimal amount, Set<Holder> holders) {
    this.id = id;
    this.sequence = -1;
    this.amount = amount;
    this.holders = Set.copyOf(holders);
  }

  private Hold(BigDecimal amount, Set<Holder> holders) {
    this.sequence = SEQUENCE.incrementAndGet();
    this.amount = amount;
    this.holders = Set.copyOf(holders);
  }

  /** A hold named uniquely within this process and, by its random prefix, across processes. */
  static Hold local(BigDecimal amount, Set<Holder> holders) {
    return new Hold(amount, holders);
  }

  /** A unique id (a shared store expires holds by it). */
  public String id() {
    String s = id;
    if (s == null) {
      s = NODE + sequence; // a benign race: every thread builds the same string
      id = s;
    }
    return s;
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
  boolean finish() {
    return finished.compareAndSet(false, true);
  }

  public boolean finished() {
    return finished.get();
  }
}
