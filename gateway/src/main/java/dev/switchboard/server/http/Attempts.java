package dev.switchboard.server.http;

import dev.switchboard.core.error.FailureClass;
import dev.switchboard.core.error.GatewayError;
import dev.switchboard.server.routing.Attempt;
import dev.switchboard.server.routing.AttemptPolicy;
import dev.switchboard.server.routing.Candidate;
import dev.switchboard.server.routing.Outcomes;
import dev.switchboard.server.stats.EndpointStats;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;

/**
 * Walks a request's candidates for {@link CompletionCall} and {@link StreamRelay}: launches each
 * attempt, records it, feeds the live stats, applies the {@link AttemptPolicy} after a failure
 * (next candidate, next model, retry after a backoff, stop), skips endpoints whose circuit breaker
 * is open while others remain, and runs the hedge: when the plan asks for it, a second candidate
 * starts if the first has produced nothing within the hedge delay; the first to produce wins
 * ({@link #claim}), the other is cancelled and recorded. At most two attempts run at once. Confined
 * to the request's event loop.
 */
final class Attempts {

  /** The hedge delay when neither the request nor the stats give one. */
  static final long DEFAULT_HEDGE_DELAY_MS = 1_000;

  /** One attempt on one candidate. */
  final class Slot {
    private final Candidate candidate;
    private final int index;
    private final int retries;
    private final boolean hedge;
    private final long startNanos = System.nanoTime();
    private Runnable cancel = () -> {};
    private boolean abandoned;
    private boolean finished;

    private Slot(Candidate candidate, int index, int retries, boolean hedge) {
      this.candidate = candidate;
      this.index = index;
      this.retries = retries;
      this.hedge = hedge;
    }

    Candidate candidate() {
      return candidate;
    }

    /** Whether this attempt lost (a hedge race, the client left): ignore whatever it reports. */
    boolean abandoned() {
      return abandoned;
    }

    void onCancel(Runnable cancel) {
      this.cancel = cancel;
    }

    long elapsedMs() {
      return (System.nanoTime() - startNanos) / 1_000_000;
    }

    long elapsedNanos() {
      return System.nanoTime() - startNanos;
    }

    long startNanos() {
      return startNanos;
    }
  }

  private final Vertx vertx;
  private final Services services;
  private final Exchange ex;
  private final AttemptPolicy policy;
  private final List<Slot> running = new ArrayList<>(2);
  private Consumer<Slot> launcher;
  private Consumer<GatewayError> giveUp;
  private int next;
  private boolean hedged;
  private long hedgeTimer = -1;
  private Slot winner;
  private boolean over;
  private boolean committed;

  Attempts(Vertx vertx, Services services, Exchange ex) {
    this.vertx = vertx;
    this.services = services;
    this.ex = ex;
    this.policy =
        new AttemptPolicy(
            services.config().routing().maxRetries(),
            AttemptPolicy.DEFAULT.baseBackoffMs(),
            AttemptPolicy.DEFAULT.maxRetryAfterMs());
  }

  void start(Consumer<Slot> launcher, Consumer<GatewayError> giveUp) {
    this.launcher = launcher;
    // errors.expose-raw: false withholds the upstream's body (metadata.raw) from every response.
    this.giveUp =
        services.config().errors().exposeRaw() ? giveUp : e -> giveUp.accept(e.withoutRaw());
    launchNext(null);
  }

  /** No fallback from here on: the stream's first byte reached the client. */
  void commit() {
    committed = true;
    cancelHedgeTimer();
  }

  /**
   * Claims the win for {@code slot} when it produces its first output. True for the first claimer;
   * any other running attempt is then cancelled and recorded as a lost hedge.
   */
  boolean claim(Slot slot) {
    if (winner != null) {
      return winner == slot;
    }
    if (slot.abandoned) {
      return false;
    }
    winner = slot;
    cancelHedgeTimer();
    for (Slot other : List.copyOf(running)) {
      if (other != slot) {
        abandon(other, "lost the hedge race");
      }
    }
    return true;
  }

  /** The attempt answered: recorded with {@code status}. */
  void succeeded(Slot slot, int status) {
    claim(slot);
    slot.finished = true;
    running.remove(slot);
    ex.upstreamNanos += slot.elapsedNanos();
    ex.attempts.add(attempt(slot, status, null));
  }

  /** The attempt failed; decides what comes next. */
  void failed(Slot slot, GatewayError error, Integer status) {
    if (over || slot.abandoned || slot.finished) {
      return;
    }
    slot.finished = true;
    running.remove(slot);
    ex.upstreamNanos += slot.elapsedNanos();
    ex.attempts.add(attempt(slot, status, error));
    Outcomes.failure(services.stats(), slot.candidate, error.kind());
    if (winner == slot) {
      winner = null;
    }
    if (committed) {
      over = true;
      giveUp.accept(error);
      return;
    }
    if (!running.isEmpty()) {
      return; // the hedge partner is still going; its outcome decides
    }
    boolean othersLeft = next < ex.candidates.size();
    AttemptPolicy.Decision d =
        policy.decide(error, slot.retries, othersLeft, ThreadLocalRandom.current().nextDouble());
    switch (d) {
      case AttemptPolicy.Decision.Stop s -> finish(error);
      case AttemptPolicy.Decision.Next n -> launchNext(error);
      case AttemptPolicy.Decision.NextModel n -> {
        String model = slot.candidate.model().id();
        while (next < ex.candidates.size() && ex.candidates.get(next).model().id().equals(model)) {
          next++;
        }
        launchNext(error);
      }
      case AttemptPolicy.Decision.Retry r ->
          vertx.setTimer(
              Math.max(1, r.delayMs()),
              t -> {
                if (!over) {
                  launch(new Slot(slot.candidate, slot.index, slot.retries + 1, false));
                }
              });
    }
  }

  /** Remembers the provider for the conversation when sticky routing applies. */
  void stickIfCached(Candidate c, boolean cacheHit) {
    String session = ex.plan.sessionKey();
    if (session == null) {
      return;
    }
    var p = c.endpoint().pricing();
    boolean cachePriced =
        p.inputCacheRead() != null && p.inputCacheRead().compareTo(p.prompt()) < 0;
    if (cachePriced && (session.startsWith("s:") || cacheHit)) {
      services.sticky().succeeded(ex.key.hash(), c.model().id(), session, c.endpoint().provider());
    }
  }

  /** The client left: cancel everything in flight. */
  void cancelAll() {
    cancelAll("client closed the connection");
  }

  /** Cancels everything in flight; {@code why} goes into the attempts' record. */
  void cancelAll(String why) {
    over = true;
    cancelHedgeTimer();
    for (Slot s : List.copyOf(running)) {
      abandon(s, why);
    }
  }

  private void finish(GatewayError error) {
    over = true;
    cancelHedgeTimer();
    giveUp.accept(error);
  }

  private void launchNext(GatewayError previous) {
    long now = services.stats().nowMs();
    while (next < ex.candidates.size()) {
      Candidate c = ex.candidates.get(next);
      int index = next++;
      EndpointStats s = services.stats().of(c.model().id(), c.endpoint().provider());
      boolean lastResort = next >= ex.candidates.size() && running.isEmpty();
      if (!s.tryAcquire(now) && !lastResort) {
        ex.attempts.add(
            new Attempt(
                c.providerName(),
                c.target().providerSlug(),
                c.model().id(),
                null,
                null,
                0,
                "skipped: circuit breaker open"));
        continue;
      }
      launch(new Slot(c, index, 0, false));
      return;
    }
    if (running.isEmpty()) {
      finish(
          previous != null
              ? previous
              : GatewayError.of(FailureClass.NO_ROUTE, 503, "No endpoint is available right now")
                  .withMetadata("error_type", "provider_unavailable"));
    }
  }

  private void launch(Slot slot) {
    running.add(slot);
    if (ex.plan.hedge()
        && !hedged
        && !committed
        && running.size() == 1
        && next < ex.candidates.size()) {
      long delay = hedgeDelay(slot.candidate);
      hedgeTimer =
          vertx.setTimer(
              delay,
              t -> {
                hedgeTimer = -1;
                if (over || committed || winner != null || hedged || running.size() != 1) {
                  return;
                }
                hedged = true;
                if (next < ex.candidates.size()) {
                  Candidate c = ex.candidates.get(next);
                  launch(new Slot(c, next++, 0, true));
                }
              });
    }
    launcher.accept(slot);
  }

  /** The plan's fixed delay, else the first candidate's p90 time to first token, else a default. */
  private long hedgeDelay(Candidate c) {
    if (ex.plan.hedgeDelayMs() != null) {
      return Math.max(1, ex.plan.hedgeDelayMs());
    }
    Map<String, Double> ttft =
        services
            .stats()
            .of(c.model().id(), c.endpoint().provider())
            .ttftMs(services.stats().nowMs(), 5);
    Double p90 = ttft.get("p90");
    return p90 == null ? DEFAULT_HEDGE_DELAY_MS : Math.max(1, Math.round(p90));
  }

  private void abandon(Slot s, String why) {
    s.abandoned = true;
    running.remove(s);
    s.cancel.run();
    services.stats().of(s.candidate.model().id(), s.candidate.endpoint().provider()).release();
    ex.attempts.add(
        new Attempt(
            s.candidate.providerName(),
            s.candidate.target().providerSlug(),
            s.candidate.model().id(),
            null,
            null,
            s.elapsedMs(),
            "cancelled: " + why));
  }

  private void cancelHedgeTimer() {
    if (hedgeTimer >= 0) {
      vertx.cancelTimer(hedgeTimer);
      hedgeTimer = -1;
    }
  }

  private static Attempt attempt(Slot slot, Integer status, GatewayError error) {
    Candidate c = slot.candidate;
    return new Attempt(
        c.providerName(),
        c.target().providerSlug(),
        c.model().id(),
        status,
        error == null ? null : error.kind(),
        slot.elapsedMs());
  }
}
