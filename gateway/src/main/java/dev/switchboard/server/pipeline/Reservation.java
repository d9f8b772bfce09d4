package dev.switchboard.server.pipeline;

import java.math.BigDecimal;

/**
 * What admission holds for a request while it runs (credit, rate-limit tokens), settled exactly
 * once by the settle stage: with the request's exact cost when it was answered or produced output,
 * with zero when it failed, was refused after admission or produced nothing.
 */
public interface Reservation {

  /** Nothing held: what the open admission gives. */
  Reservation NONE = actualCost -> {};

  /** Settles the request at {@code actualCost} (USD, exact) and frees the rest. */
  void settle(BigDecimal actualCost);
}
