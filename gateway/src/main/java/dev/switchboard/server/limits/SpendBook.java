package dev.switchboard.server.limits;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The settled spend the budgets are measured against, and where settled charges go. The gateway's
 * implementation reads and writes the storage books (key usage, the organisation's usage, user and
 * session spend); every call is in memory and never blocks.
 */
public interface SpendBook {

  /** USD {@code holder} spent in the {@code window} containing {@code now}. */
  BigDecimal spent(Holder holder, Window window, boolean includeByok, Instant now);

  /** Books a settled charge against every holder it names. */
  void record(Charge charge);

  /**
   * Completes once the charges recorded before the call are committed where every node reads them
   * (a shared database), at once when nothing is shared. Never blocks.
   */
  default CompletionStage<Void> durable() {
    return CompletableFuture.completedFuture(null);
  }
}
