package dev.switchboard.server.routing;

import dev.switchboard.core.error.FailureClass;
import dev.switchboard.core.error.GatewayError;
import dev.switchboard.server.stats.EndpointStats;
import dev.switchboard.server.stats.LiveStats;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.function.DoubleSupplier;

/**
 * Walks a request's planned candidates: starts each {@link Attempt} through a {@link Launcher},
 * learns how it ended, feeds the live stats, and decides what comes next with the {@link
 * AttemptPolicy} (next candidate, next model, retry after a backoff or the upstream's {@code
 * Retry-After}, stop). An endpoint whose circuit breaker is open is skipped while others remain.
 *
 * <p>Hedging: when the plan asks for it, a second candidate starts if the first has produced
 * nothing within the hedge delay; the first to produce output {@link #claim claims} the request and
 * the other is cancelled. At most two attempts run at once.
 *
 * <p>The commit point: once a stream's first output reached the client ({@link #commit}), nothing
 * is retried or fallen back; a failure then ends the request.
 *
 * <p>The deadline: the request has {@code deadlineMs} from its start to get an answer across all
 * its attempts (the whole answer when it does not stream, the first output when it does). When it
 * passes, everything in flight is cancelled and the loop gives up with a 408; a retry that could
 * only start after it is not made (the loop gives up at once with the failure that asked for it).
 * Each attempt also has the upstream client's own time-outs (connect, first byte, idle), whichever
 * comes first.
 *
 * <p>It knows nothing of HTTP or Vert.x: time and timers come from a {@link Scheduler}, so it is
 * unit-tested like {@link AttemptPolicy}. Confined to one thread (the request's event loop).
 */
public final class AttemptLoop {

  /** The hedge delay when neither the request nor the stats give one. */
  static final long DEFAULT_HEDGE_DELAY_MS = 1_000;

  /** Starts an attempt's upstream call; it reports back with {@link #claim}, {@link #failed}... */
  public interface Launcher {
    void launch(Attempt attempt);
  }

  /** Told once when the loop gives up without an answer. */
  public interface Listener {
    void gaveUp(GatewayError error);
  }

  private final RoutePlan plan;
  private final List<Candidate> candidates;
  private final AttemptPolicy policy;
  private final LiveStats stats;
  private final Scheduler scheduler;
  private final DoubleSupplier jitter;
  private final List<Attempt> attempts = new ArrayList<>(2);
  private final List<Attempt> running = new ArrayList<>(2);
  private Launcher launcher;
  private Listener listener;
  private int next;
  private boolean hedged;
  private Scheduler.Timer hedgeTimer;
  private Scheduler.Timer retryTimer;
  private Scheduler.Timer deadlineTimer;
  private final long deadlineMs;
  private long deadlineAtNanos;
  private Attempt winner;
  private boolean over;
  private boolean committed;
  private long upstreamNanos;

  /**
   * @param jitter numbers in [0, 1) for the backoff jitter
   * @param deadlineMs how long the request may wait for its answer, from {@link #start}
   */
  public AttemptLoop(
      RoutePlan plan,
      AttemptPolicy policy,
      LiveStats stats,
      Scheduler scheduler,
      DoubleSupplier jitter,
      long deadlineMs) {
    this.deadlineMs = deadlineMs;
    this.plan = plan;
    this.candidates = plan.candidates();
    this.policy = policy;
    this.stats = stats;
    this.scheduler = scheduler;
    this.jitter = jitter;
  }

  /** Starts the first candidate. */
  public void start(Launcher launcher, Listener listener) {
    this.launcher = launcher;
    this.listener = listener;
    deadlineAtNanos = scheduler.nanoTime() + deadlineMs * 1_000_000;
    deadlineTimer = scheduler.schedule(deadlineMs, this::deadlinePassed);
    launchNext(null);
  }

  /**
   * Claims the request for {@code attempt} when it produces its first output. True for the first
   * claimer (and again for it later); any other running attempt is then cancelled as a lost hedge.
   */
  public boolean claim(Attempt attempt) {
    if (winner != null) {
      return winner == attempt;
    }
    if (!attempt.live()) {
      return false;
    }
    winner = attempt;
    cancelHedge();
    for (Attempt other : List.copyOf(running)) {
      if (other != attempt) {
        abandon(other, "lost the hedge race");
      }
    }
    return true;
  }

  /** No fallback from here on: the stream's first output reached the client. */
  public void commit() {
    committed = true;
    cancelHedge();
    cancelDeadline();
  }

  /**
   * The attempt answered in full. False when it lost (another attempt claimed the request first, or
   * it was cancelled): its answer must then be dropped.
   */
  public boolean succeeded(Attempt attempt, int status, Outcomes.Sample sample) {
    if (over || !claim(attempt)) {
      return false;
    }
    over = true;
    cancelTimers();
    end(attempt, Attempt.State.SUCCEEDED, status, null);
    Outcomes.success(stats, attempt.candidate(), sample);
    return true;
  }

  /**
   * The attempt failed with {@code error} ({@code status} is the upstream's, or null when there was
   * no response); decides what comes next.
   */
  public void failed(Attempt attempt, GatewayError error, Integer status) {
    if (over || !attempt.live()) {
      return;
    }
    end(attempt, Attempt.State.FAILED, status, error.kind());
    Outcomes.failure(stats, attempt.candidate(), error.kind());
    if (winner == attempt) {
      winner = null;
    }
    if (committed) {
      giveUp(error);
      return;
    }
    if (!running.isEmpty()) {
      return; // the hedge partner is still going; its outcome decides
    }
    cancelHedge();
    boolean othersLeft = next < candidates.size();
    switch (policy.decide(error, attempt.retries(), othersLeft, jitter.getAsDouble())) {
      case AttemptPolicy.Decision.Stop s -> giveUp(error);
      case AttemptPolicy.Decision.Next n -> launchNext(error);
      case AttemptPolicy.Decision.NextModel n -> {
        String model = attempt.model();
        while (next < candidates.size() && candidates.get(next).model().id().equals(model)) {
          next++;
        }
        launchNext(error);
      }
      case AttemptPolicy.Decision.Retry r
          when scheduler.nanoTime() + r.delayMs() * 1_000_000 >= deadlineAtNanos ->
          giveUp(error); // the retry could only start after the deadline
      case AttemptPolicy.Decision.Retry r ->
          retryTimer =
              scheduler.schedule(
                  Math.max(1, r.delayMs()),
                  () -> {
                    retryTimer = null;
                    if (!over) {
                      launch(
                          Attempt.running(
                              attempt.candidate(),
                              attempt.retries() + 1,
                              false,
                              scheduler.nanoTime()));
                    }
                  });
    }
  }

  /** The client left: cancel everything in flight; nothing is reported after this. */
  public void cancelAll(String why) {
    over = true;
    cancelTimers();
    for (Attempt a : List.copyOf(running)) {
      abandon(a, why);
    }
  }

  /** Every attempt so far, in the order they started (skipped ones included). */
  public List<Attempt> attempts() {
    return Collections.unmodifiableList(attempts);
  }

  /** The attempt that claimed the request, or null. */
  public Attempt winner() {
    return winner;
  }

  public boolean committed() {
    return committed;
  }

  /** Whether the loop has ended (answered, gave up, or cancelled). */
  public boolean over() {
    return over;
  }

  /** Time spent in attempts that ended with an outcome, for the overhead header. */
  public long upstreamNanos() {
    return upstreamNanos;
  }

  private void launchNext(GatewayError previous) {
    long now = stats.nowMs();
    while (next < candidates.size()) {
      Candidate c = candidates.get(next++);
      EndpointStats s = stats.of(c.model().id(), c.endpoint().provider());
      boolean lastResort = next >= candidates.size() && running.isEmpty();
      if (!s.tryAcquire(now) && !lastResort) {
        attempts.add(Attempt.skipped(c, "skipped: circuit breaker open"));
        continue;
      }
      launch(Attempt.running(c, 0, false, scheduler.nanoTime()));
      return;
    }
    if (running.isEmpty()) {
      giveUp(
          previous != null
              ? previous
              : GatewayError.of(FailureClass.NO_ROUTE, 503, "No endpoint is available right now")
                  .withMetadata("error_type", "provider_unavailable"));
    }
  }

  private void launch(Attempt attempt) {
    attempts.add(attempt);
    running.add(attempt);
    if (plan.hedge() && !hedged && !committed && running.size() == 1 && next < candidates.size()) {
      hedgeTimer = scheduler.schedule(hedgeDelay(attempt.candidate()), this::hedge);
    }
    launcher.launch(attempt);
  }

  private void hedge() {
    hedgeTimer = null;
    if (over || committed || winner != null || hedged || running.size() != 1) {
      return;
    }
    hedged = true;
    if (next < candidates.size()) {
      launch(Attempt.running(candidates.get(next++), 0, true, scheduler.nanoTime()));
    }
  }

  /** The plan's fixed delay, else the first candidate's p90 time to first token, else a default. */
  private long hedgeDelay(Candidate c) {
    if (plan.hedgeDelayMs() != null) {
      return Math.max(1, plan.hedgeDelayMs());
    }
    Map<String, Double> ttft =
        stats.of(c.model().id(), c.endpoint().provider()).ttftMs(stats.nowMs(), 5);
    Double p90 = ttft.get("p90");
    return p90 == null ? DEFAULT_HEDGE_DELAY_MS : Math.max(1, Math.round(p90));
  }

  private void end(Attempt attempt, Attempt.State state, Integer status, FailureClass failure) {
    long now = scheduler.nanoTime();
    running.remove(attempt);
    attempt.end(state, status, failure, now, null);
    upstreamNanos += now - attempt.startNanos();
  }

  /** Cancels a running attempt that will have no outcome; its breaker probe, if any, is freed. */
  private void abandon(Attempt attempt, String why) {
    running.remove(attempt);
    attempt.cancel(scheduler.nanoTime(), why);
    stats.of(attempt.model(), attempt.candidate().endpoint().provider()).release();
  }

  private void giveUp(GatewayError error) {
    over = true;
    cancelTimers();
    listener.gaveUp(error);
  }

  /** No answer in time: cancel what runs and give up with a 408. */
  private void deadlinePassed() {
    deadlineTimer = null;
    if (over || committed) {
      return;
    }
    for (Attempt a : List.copyOf(running)) {
      abandon(a, "request deadline passed");
    }
    giveUp(
        GatewayError.of(
                FailureClass.TIMEOUT,
                408,
                "No answer within the request deadline of "
                    + deadlineMs
                    + " ms (X-Switchboard-Timeout-Ms, or routing.request-timeout-ms)")
            .withMetadata("deadline_ms", deadlineMs));
  }

  private void cancelDeadline() {
    if (deadlineTimer != null) {
      deadlineTimer.cancel();
      deadlineTimer = null;
    }
  }

  private void cancelTimers() {
    cancelHedge();
    cancelDeadline();
    if (retryTimer != null) {
      retryTimer.cancel();
      retryTimer = null;
    }
  }

  private void cancelHedge() {
    if (hedgeTimer != null) {
      hedgeTimer.cancel();
      hedgeTimer = null;
    }
  }
}
