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
 * every provider. The plugins work fills it; today both stages pass everything through.
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
}
