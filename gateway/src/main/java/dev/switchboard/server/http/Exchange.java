package dev.switchboard.server.http;

import dev.switchboard.core.model.LlmRequest;
import dev.switchboard.server.routing.Attempt;
import dev.switchboard.server.routing.Candidate;
import dev.switchboard.server.routing.RoutePlan;
import dev.switchboard.server.storage.ApiKey;
import io.vertx.core.http.HttpServerRequest;
import java.util.ArrayList;
import java.util.List;

/**
 * The state of one inference request as it moves through the gateway: who asked, what, the
 * candidates, every attempt, and the clocks that give the overhead header. Confined to one event
 * loop; not thread-safe.
 */
final class Exchange {

  final String generationId;
  final String requestId;
  final long createdEpochSeconds;
  final long startNanos;
  final ApiKey key;
  final LlmRequest request;
  final RoutePlan plan;
  final List<Candidate> candidates;
  final List<Attempt> attempts = new ArrayList<>(2);
  final boolean metadataRequested;
  final String httpReferer;
  final String appTitle;
  final String userAgent;

  /** Time spent waiting on upstreams, excluded from the overhead header. */
  long upstreamNanos;

  Exchange(
      long startNanos,
      long createdEpochSeconds,
      ApiKey key,
      LlmRequest request,
      RoutePlan plan,
      HttpServerRequest http) {
    this.startNanos = startNanos;
    this.createdEpochSeconds = createdEpochSeconds;
    this.generationId = Ids.generationId(createdEpochSeconds);
    this.requestId = Ids.requestId(createdEpochSeconds);
    this.key = key;
    this.request = request;
    this.plan = plan;
    this.candidates = plan.candidates();
    String meta = http.getHeader("x-openrouter-metadata");
    if (meta == null) {
      meta = http.getHeader("x-openrouter-experimental-metadata");
    }
    this.metadataRequested = "enabled".equalsIgnoreCase(meta);
    this.httpReferer = http.getHeader("http-referer");
    String title = http.getHeader("x-openrouter-title");
    this.appTitle = title != null ? title : http.getHeader("x-title");
    this.userAgent = http.getHeader("user-agent");
  }

  /** Whether reasoning goes back to the client ({@code reasoning.exclude} hides it). */
  boolean includeReasoning() {
    return request.reasoning() == null || !request.reasoning().exclude();
  }

  /** The gateway's own time so far, in milliseconds with one decimal, upstream time excluded. */
  String overheadMs() {
    return overheadMs(0);
  }

  /** The same, with {@code inFlightUpstreamNanos} of an attempt still running also excluded. */
  String overheadMs(long inFlightUpstreamNanos) {
    long own = Math.max(0, System.nanoTime() - startNanos - upstreamNanos - inFlightUpstreamNanos);
    long tenths = own / 100_000;
    return (tenths / 10) + "." + (tenths % 10);
  }

  long elapsedMs() {
    return (System.nanoTime() - startNanos) / 1_000_000;
  }
}
