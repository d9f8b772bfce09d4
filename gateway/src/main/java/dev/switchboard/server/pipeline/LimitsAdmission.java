package dev.switchboard.server.pipeline;

import dev.switchboard.core.error.GatewayException;
import dev.switchboard.core.model.LlmRequest;
import dev.switchboard.core.model.ProviderPreferences;
import dev.switchboard.server.limits.AdmissionFacts;
import dev.switchboard.server.limits.Refusal;
import dev.switchboard.server.limits.Settlement;
import java.math.BigDecimal;
import java.time.Clock;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Stage 3 on the limits service ({@link dev.switchboard.server.limits.Admission}): guardrail model
 * lists, the balance, the worst-case reservation against every budget at once, and the rate limits.
 * A refusal fails the stage with its 402, 403 or 429 (status, {@code Retry-After}, {@code
 * X-RateLimit-*} and metadata come with the error). An admitted request holds a {@link Held}, which
 * gives the plan stage the key's guardrail provider filters and which the settle stage settles
 * once: with the exact cost when the request produced something, released whole when it produced
 * nothing. Runs on the event loop: in memory on one node; in a cluster the stage completes when
 * Redis answers (the pipeline resumes on the request's loop), never blocking it.
 */
public final class LimitsAdmission implements Admission {

  private final dev.switchboard.server.limits.Admission limits;
  private final Clock clock;

  public LimitsAdmission(dev.switchboard.server.limits.Admission limits, Clock clock) {
    this.limits = limits;
    this.clock = clock;
  }

  @Override
  public CompletionStage<Reservation> admit(Exchange ex) {
    // Completed by hand, not with thenCompose: the stage must fail with the GatewayException
    // itself (its status and headers), not with a CompletionException around it.
    CompletableFuture<Reservation> admitted = new CompletableFuture<>();
    limits
        .admitAsync(new AdmissionFacts(ex.key(), ex.request(), ex.header("x-session-id")))
        .whenComplete(
            (outcome, err) -> {
              if (err != null) {
                admitted.completeExceptionally(
                    err instanceof java.util.concurrent.CompletionException
                            && err.getCause() != null
                        ? err.getCause()
                        : err);
                return;
              }
              switch (outcome) {
                case Refusal r -> admitted.completeExceptionally(new GatewayException(r.error()));
                case dev.switchboard.server.limits.Reservation held ->
                    admitted.complete(new Held(held, ex.generationId()));
              }
            });
    return admitted;
  }

  /** What one admitted request holds until the settle stage. */
  private final class Held implements Reservation {

    private final dev.switchboard.server.limits.Reservation held;
    private final String generationId;

    Held(dev.switchboard.server.limits.Reservation held, String generationId) {
      this.held = held;
      this.generationId = generationId;
    }

    @Override
    public ProviderPreferences providers(ProviderPreferences requested) {
      return held.policy().applyTo(requested);
    }

    @Override
    public CompletionStage<Boolean> cover(BigDecimal spentUsd, LlmRequest next) {
      return limits.cover(held, spentUsd, next);
    }

    @Override
    public void settle(Bill bill) {
      BigDecimal cost = bill.cost().total();
      long tokens = bill.usage().promptTokens() + bill.usage().completionTokens();
      if (cost.signum() == 0 && tokens == 0) {
        limits.release(held); // nothing produced: the whole hold and the tokens taken go back
        return;
      }
      limits.settle(
          held, new Settlement(cost, BigDecimal.ZERO, tokens, clock.instant(), generationId));
    }
  }
}
