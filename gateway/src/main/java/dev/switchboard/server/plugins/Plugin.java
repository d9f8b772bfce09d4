package dev.switchboard.server.plugins;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.core.model.LlmRequest;
import dev.switchboard.core.model.LlmResponse;
import dev.switchboard.core.model.StreamEvent;
import dev.switchboard.server.pipeline.Exchange;
import dev.switchboard.server.routing.Candidate;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

/**
 * The handler of one id of the request's {@code plugins} array. {@code item} is the request's
 * object for it ({@code {"id":…, "enabled":…, …options}}), or null when the request did not name
 * it. Every method has a pass-through default, so a plugin implements only the stages it acts in.
 * Runs on the request's event loop; a slow step completes its stage later instead of blocking.
 */
public interface Plugin {

  /**
   * Whether it runs for requests that do not name it, or name it with {@code enabled:false} (it
   * then decides itself, as context compression does for small contexts). False: it runs only when
   * its item is there and enabled.
   */
  default boolean runsUnasked() {
    return false;
  }

  /**
   * Checks the item's options before any plugin runs: a 400 naming a bad option ({@code at} is the
   * item's place, {@code plugins[1]}), or a 501 for a plugin this gateway does not have yet.
   */
  default void check(String at, JsonNode item, LlmRequest request) {}

  /** Stage 4, before planning: the request to plan. */
  default CompletionStage<LlmRequest> beforeModel(Exchange ex, LlmRequest request, JsonNode item) {
    return CompletableFuture.completedFuture(request);
  }

  /** The request as the attempt on {@code candidate} sends it. */
  default LlmRequest forCandidate(
      Exchange ex, Candidate candidate, LlmRequest request, JsonNode item) {
    return request;
  }

  /** Stage 7 for a whole answer. */
  default CompletionStage<LlmResponse> afterModel(Exchange ex, LlmResponse answer, JsonNode item) {
    return CompletableFuture.completedFuture(answer);
  }

  /** Stage 7 for a streamed answer, event by event. */
  default void afterModel(
      Exchange ex, StreamEvent event, Consumer<StreamEvent> out, JsonNode item) {
    out.accept(event);
  }
}
