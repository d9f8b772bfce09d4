package dev.switchboard.server.pipeline;

import dev.switchboard.core.model.LlmRequest;
import dev.switchboard.core.model.ProviderPreferences;
import java.math.BigDecimal;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * What admission holds for a request while it runs (credit against every budget, rate-limit
 * tokens), settled exactly once by the settle stage: with the request's bill when it was answered
 * or produced output, with {@link Bill#NONE} when it failed, was refused after admission or
 * produced nothing (everything held goes back).
 */
public interface Reservation {

  /** Nothing held: a request refused before admission. */
  Reservation NONE = bill -> {};

  /**
   * The provider preferences the plan stage routes with: the request's own, narrowed by what the
   * key's policy allows (guardrail provider lists, ZDR, data collection).
   */
  default ProviderPreferences providers(ProviderPreferences requested) {
    return requested;
  }

  /**
   * Makes the hold cover {@code spentUsd} (what the request has cost so far) plus the worst case of
   * {@code next}, a further model round (null: none), extending it when needed; completes with
   * false when a budget cannot take the extension. Always covered by default (nothing is limited).
   */
  default CompletionStage<Boolean> cover(BigDecimal spentUsd, LlmRequest next) {
    return CompletableFuture.completedFuture(true);
  }

  /** Settles the request at its bill (USD exact, tokens used) and frees the rest. */
  void settle(Bill bill);
}
