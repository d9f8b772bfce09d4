package dev.switchboard.server.routing;

import dev.switchboard.core.error.FailureClass;

/**
 * One attempt of a request on one candidate: the attempt loop starts it, the gateway's launcher
 * runs it (media, encode, upstream call, body), and it ends once: answered, failed, cancelled (lost
 * a hedge race, the client left, the deadline passed) or skipped before it started (an open circuit
 * breaker). What it ended with is what the generation record's {@code provider_responses} and
 * {@code openrouter_metadata.attempts} show. Confined to the request's event loop.
 */
public final class Attempt {

  /** Where an attempt is in its life. */
  public enum State {
    RUNNING,
    SUCCEEDED,
    FAILED,
    CANCELLED,
    SKIPPED
  }

  private final Candidate candidate;
  private final int retries;
  private final boolean hedge;
  private final long startNanos;
  private State state;
  private Integer status;
  private FailureClass failure;
  private long latencyMs;
  private String note;
  private Runnable cancel = () -> {};

  private Attempt(
      Candidate candidate, int retries, boolean hedge, long startNanos, State state, String note) {
    this.candidate = candidate;
    this.retries = retries;
    this.hedge = hedge;
    this.startNanos = startNanos;
    this.state = state;
    this.note = note;
  }

  static Attempt running(Candidate candidate, int retries, boolean hedge, long startNanos) {
    return new Attempt(candidate, retries, hedge, startNanos, State.RUNNING, null);
  }

  static Attempt skipped(Candidate candidate, String note) {
    return new Attempt(candidate, 0, false, 0, State.SKIPPED, note);
  }

  public Candidate candidate() {
    return candidate;
  }

  public String providerName() {
    return candidate.providerName();
  }

  public String providerSlug() {
    return candidate.target().providerSlug();
  }

  public String model() {
    return candidate.model().id();
  }

  /** How often this candidate was already retried before this attempt. */
  public int retries() {
    return retries;
  }

  /** Whether the hedge started it (a second candidate racing the first). */
  public boolean hedge() {
    return hedge;
  }

  /** When it started ({@link Scheduler#nanoTime()}). */
  public long startNanos() {
    return startNanos;
  }

  public State state() {
    return state;
  }

  /** Whether it still runs: once it ended, whatever its upstream reports is ignored. */
  public boolean live() {
    return state == State.RUNNING;
  }

  /** The upstream's HTTP status, or null when there was no response. */
  public Integer status() {
    return status;
  }

  /** The failure class when it failed, else null. */
  public FailureClass failure() {
    return failure;
  }

  /** How long it ran, once it ended. */
  public long latencyMs() {
    return latencyMs;
  }

  /** Why it did not run its course (skipped, cancelled), else null. */
  public String note() {
    return note;
  }

  /** What stops its upstream call; the launcher sets it once the call is open. */
  public void onCancel(Runnable cancel) {
    this.cancel = cancel;
  }

  void end(State outcome, Integer status, FailureClass failure, long nowNanos, String note) {
    this.state = outcome;
    this.status = status;
    this.failure = failure;
    this.latencyMs = (nowNanos - startNanos) / 1_000_000;
    this.note = note;
  }

  void cancel(long nowNanos, String why) {
    end(State.CANCELLED, null, null, nowNanos, "cancelled: " + why);
    cancel.run();
  }
}
