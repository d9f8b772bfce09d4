package dev.switchboard.server.plugins;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.core.model.LlmRequest;
import dev.switchboard.core.model.LlmResponse;
import dev.switchboard.core.model.StreamEvent;
import dev.switchboard.server.pipeline.Exchange;
import dev.switchboard.server.pipeline.Plugins;
import dev.switchboard.server.routing.Candidate;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

/**
 * The plugin registry ({@link PluginRegistry}: the {@code plugins} array, with the {@code web},
 * {@code file-parser} and {@code response-healing} handlers) plus what is not a plugin id but works
 * around the model all the same: server tools offered as functions and their loop ({@link
 * ServerTools}), structured outputs where endpoints lack them ({@link StructuredOutputs}), and the
 * answer's {@code url_citation} and file annotations (from the web plugin's and the web_search
 * tool's results, and from parsed files). A stream gets its annotations in one {@code annotations}
 * delta just before its finish.
 */
public final class ToolPlugins implements Plugins {

  private final Plugins registry;
  private final ServerTools serverTools;
  private final StructuredOutputs structured;

  public ToolPlugins(Plugins registry, PluginServices services) {
    this.registry = registry;
    this.serverTools = new ServerTools(services);
    this.structured = new StructuredOutputs(services);
  }

  @Override
  public CompletionStage<LlmRequest> beforeAdmission(Exchange ex) {
    return registry.beforeAdmission(ex);
  }

  @Override
  public CompletionStage<LlmRequest> beforeModel(Exchange ex) {
    try {
      return then(
          registry.beforeModel(ex), r -> structured.beforeModel(serverTools.beforeModel(ex, r)));
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  @Override
  public LlmRequest forCandidate(Exchange ex, Candidate candidate, LlmRequest request) {
    return registry.forCandidate(ex, candidate, request);
  }

  @Override
  public dev.switchboard.server.pipeline.Replay replay(Exchange ex) {
    return registry.replay(ex); // the response cache's hit
  }

  @Override
  public void finished(Exchange ex) {
    registry.finished(ex); // the response cache stores what the client got
  }

  @Override
  public CompletionStage<LlmRequest> nextRound(Exchange ex, LlmResponse answer) {
    return then(
        serverTools.nextRound(ex, ex.request(), answer),
        next -> next != null ? next : structured.nextRound(ex, ex.request(), answer));
  }

  @Override
  public java.math.BigDecimal toolFeesAtMost(Exchange ex, LlmResponse answer) {
    return serverTools.feesAtMost(ex, answer);
  }

  @Override
  public CompletionStage<LlmResponse> afterModel(Exchange ex, LlmResponse answer) {
    return then(
        registry.afterModel(ex, answer),
        out -> {
          JsonNode annotations = annotations(ex, out.annotations(), out.content());
          return annotations == out.annotations() ? out : out.withAnnotations(annotations);
        });
  }

  @Override
  public void afterModel(Exchange ex, StreamEvent event, Consumer<StreamEvent> out) {
    registry.afterModel(
        ex,
        event,
        e -> {
          if (e instanceof StreamEvent.Finished) {
            JsonNode annotations = annotations(ex, null, null);
            if (annotations != null && !annotations.isEmpty()) {
              out.accept(new StreamEvent.Annotations(annotations));
            }
          }
          out.accept(e);
        });
  }

  private static JsonNode annotations(Exchange ex, JsonNode existing, String content) {
    WebSearchState web = ex.pluginState(WebSearchState.class);
    JsonNode out = web == null || web.isEmpty() ? existing : web.annotations(existing, content);
    return FileParser.annotations(ex, out);
  }

  /**
   * {@code next} applied to what {@code stage} completes with, failing with the exception as thrown
   * ({@link #unwrapped}). A stage that has already completed normally (no plugin waited) is mapped
   * at once, without a stage object per step.
   */
  private static <T, U> CompletionStage<U> then(
      CompletionStage<T> stage, java.util.function.Function<T, U> next) {
    if (stage instanceof CompletableFuture<T> f && f.isDone() && !f.isCompletedExceptionally()) {
      try {
        return CompletableFuture.completedFuture(next.apply(f.join()));
      } catch (RuntimeException e) {
        return CompletableFuture.failedFuture(e);
      }
    }
    return unwrapped(stage.thenApply(next));
  }

  /**
   * The stage with its failure as thrown (a {@code GatewayException} with its status), not wrapped
   * in the {@code CompletionException} that chained stages add.
   */
  private static <T> CompletionStage<T> unwrapped(CompletionStage<T> stage) {
    CompletableFuture<T> out = new CompletableFuture<>();
    stage.whenComplete(
        (value, err) -> {
          if (err == null) {
            out.complete(value);
          } else {
            out.completeExceptionally(
                err instanceof java.util.concurrent.CompletionException && err.getCause() != null
                    ? err.getCause()
                    : err);
          }
        });
    return out;
  }
}
