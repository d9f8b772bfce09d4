package dev.switchboard.server.plugins;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.core.model.LlmRequest;
import dev.switchboard.core.model.LlmResponse;
import dev.switchboard.core.model.StreamEvent;
import dev.switchboard.server.pipeline.Exchange;
import dev.switchboard.server.pipeline.Plugins;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

/**
 * The gateway's own tools as pipeline stages 4 and 7: before the model, server tools are offered as
 * functions ({@link ServerTools}), PDFs parsed ({@link FileParser}) and the web searched ({@link
 * WebPlugin}), a schema the endpoints cannot enforce given as an instruction ({@link
 * StructuredOutputs}); between rounds, the server-tool loop and the structured-output repair; after
 * the model, the citations and file annotations added and JSON healed ({@link ResponseHealing}). A
 * stream gets its annotations in one {@code annotations} delta just before its finish.
 */
public final class ToolPlugins implements Plugins {

  private final ServerTools serverTools;
  private final FileParser fileParser;
  private final WebPlugin web;
  private final StructuredOutputs structured;

  public ToolPlugins(PluginServices services) {
    this.serverTools = new ServerTools(services);
    this.fileParser = new FileParser(services);
    this.web = new WebPlugin(services);
    this.structured = new StructuredOutputs(services);
  }

  @Override
  public CompletionStage<LlmRequest> beforeModel(Exchange ex) {
    LlmRequest request;
    try {
      request = structured.beforeModel(serverTools.beforeModel(ex, ex.request()));
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
    final LlmRequest tools = request;
    try {
      return unwrapped(
          fileParser.beforeModel(ex, tools).thenCompose(parsed -> web.beforeModel(ex, parsed)));
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  @Override
  public CompletionStage<LlmRequest> nextRound(Exchange ex, LlmResponse answer) {
    return unwrapped(
        serverTools
            .nextRound(ex, ex.request(), answer)
            .thenApply(
                next -> next != null ? next : structured.nextRound(ex, ex.request(), answer)));
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

  @Override
  public CompletionStage<LlmResponse> afterModel(Exchange ex, LlmResponse answer) {
    LlmResponse out = answer;
    if (ResponseHealing.applies(ex.request())) {
      out = ResponseHealing.heal(out);
    }
    JsonNode annotations = annotations(ex, out.annotations(), out.content());
    if (annotations != out.annotations()) {
      out = ResponseHealing.withAnnotations(out, annotations);
    }
    return CompletableFuture.completedFuture(out);
  }

  @Override
  public void afterModel(Exchange ex, StreamEvent event, Consumer<StreamEvent> out) {
    if (event instanceof StreamEvent.Finished) {
      JsonNode annotations = annotations(ex, null, null);
      if (annotations != null && !annotations.isEmpty()) {
        out.accept(new StreamEvent.Annotations(annotations));
      }
    }
    out.accept(event);
  }

  private static JsonNode annotations(Exchange ex, JsonNode existing, String content) {
    WebSearchState web = ex.pluginState(WebSearchState.class, WebSearchState::new);
    JsonNode out = web.isEmpty() ? existing : web.annotations(existing, content);
    return FileParser.annotations(ex, out);
  }
}
