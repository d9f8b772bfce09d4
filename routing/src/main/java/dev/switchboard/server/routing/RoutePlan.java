package dev.switchboard.server.routing;

import java.util.List;

/**
 * The outcome of planning: the candidates in the order to try them, how they were ordered, and the
 * trace of every decision (which endpoints were considered, which were excluded and why), for
 * {@code openrouter_metadata} and the generation record.
 *
 * @param candidates endpoints to try, in order
 * @param strategy {@code direct}, {@code fallback}, {@code alias}, or the sort used
 * @param decisions one per endpoint considered, in catalog order per model
 * @param hedge whether to race a second candidate when the first is slow
 * @param hedgeDelayMs a fixed hedge delay, or null for the first candidate's p90 time to first
 *     token
 * @param sessionKey the sticky-routing key of the request, or null
 */
public record RoutePlan(
    List<Candidate> candidates,
    String strategy,
    List<Decision> decisions,
    boolean hedge,
    Long hedgeDelayMs,
    String sessionKey) {

  public RoutePlan {
    candidates = List.copyOf(candidates);
    decisions = List.copyOf(decisions);
  }

  /** What the planner decided about one endpoint. */
  public record Decision(
      String model, String provider, boolean selected, int rank, String reason, Double weight) {}
}
