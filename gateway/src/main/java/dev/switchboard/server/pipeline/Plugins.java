package dev.switchboard.server.pipeline;

import dev.switchboard.core.model.LlmRequest;
import dev.switchboard.core.model.LlmResponse;
import dev.switchboard.core.model.StreamEvent;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

/**
 * Stages 4 and 7: what runs before and after the model (web search, PDF parsing, response healing,
 * caching). They work on canonical values, never on bytes, so they serve every inbound dialect and
 * every provider. {@code dev.switchboard.server.plugins.PluginRegistry} is the implementation: the
 * {@code plugins} array's ids and their handlers. Two hooks around them: {@link #beforeAdmission}
 * (between decode and admission: what changes the model, such as presets and the auto router, must
 * run before admission prices the model) and {@link #forCandidate} (the request as one candidate's
 * attempt sends it: context compression fits it to that endpoint's context).
 *
 * <p>Runs on the request's event loop and must not block it (complete the stage later instead).
 */
public interface Plugins {

  /** Passes everything through. */
  Plugins NONE =
      new Plugins() {
        @Override
        public CompletionStage<LlmRequest> beforeModel(Exchange ex) {
          return CompletableFuture.completedFuture(ex.request());
        }

        @Override
        public CompletionStage<LlmResponse> afterModel(Exchange ex, LlmResponse answer) {
          return CompletableFuture.completedFuture(answer);
        }

        @Override
        public void afterModel(Exchange ex, StreamEvent event, Consumer<StreamEvent> out) {
          out.accept(event);
        }
      };

  /**
   * Between decode and admission: the request to admit (a preset applied, a router's model chosen).
   * Completing with a {@link dev.switchboard.core.error.GatewayException} refuses it.
   */
  default CompletionStage<LlmRequest> beforeAdmission(Exchange ex) {
    return CompletableFuture.completedFuture(ex.request());
  }

  /**
   * The request as the attempt on {@code candidate} sends it, from the planned request; called on
   * the event loop for every attempt, so it must be quick. Throwing a {@link
   * dev.switchboard.core.error.GatewayException} fails that attempt.
   */
  default LlmRequest forCandidate(
      Exchange ex, dev.switchboard.server.routing.Candidate candidate, LlmRequest request) {
    return request;
  }

  /**
   * After {@link #beforeAdmission}: an answer to serve without a model call (a response-cache hit),
   * or null to go on with admission, planning and the attempts.
   */
  default Replay replay(Exchange ex) {
    return null;
  }

  /** After the request ended and its answer or error was written. Must not throw. */
  default void finished(Exchange ex) {}

  /**
   * Stage 4, before planning: the request to plan (changed or not). Completing with a {@link
   * dev.switchboard.core.error.GatewayException} refuses it.
   */
  CompletionStage<LlmRequest> beforeModel(Exchange ex);

  /** Stage 7 for a whole answer: the answer to send (changed or not). */
  CompletionStage<LlmResponse> afterModel(Exchange ex, LlmResponse answer);

  /**
   * Stage 7 for a streamed answer, event by event as the serving attempt produces them: {@code out}
   * takes the events to send instead of {@code event} (itself to pass it on, none to drop it).
   */
  void afterModel(Exchange ex, StreamEvent event, Consumer<StreamEvent> out);

  /**
   * Between stage 6 and 7 of a whole answer, the server-tool loop: the request for the next model
   * round when {@code answer} calls tools the gateway runs itself (those tools run, their results
   * appended to the conversation), or null (the stage completes with null) when the answer goes to
   * the client. Nothing by default.
   */
  default CompletionStage<LlmRequest> nextRound(Exchange ex, LlmResponse answer) {
    return CompletableFuture.completedFuture(null);
  }

  /**
   * The most that running the server tools {@code answer} calls can add in fees (web search
   * results), so that the loop can make the budget hold cover it before they run. Zero by default.
   */
  default java.math.BigDecimal toolFeesAtMost(Exchange ex, LlmResponse answer) {
    return java.math.BigDecimal.ZERO;
  }
}
