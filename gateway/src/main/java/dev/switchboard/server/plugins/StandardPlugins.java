package dev.switchboard.server.plugins;

import dev.switchboard.core.model.LlmRequest;
import dev.switchboard.server.pipeline.Services;
import java.util.concurrent.CompletableFuture;

/**
 * The plugins this gateway has, one line each: what OpenRouter documents and is built here gets its
 * handler; what it documents and is not built yet is a {@link NotBuilt} (a 501 naming it), until
 * its line is replaced by the handler.
 */
public final class StandardPlugins {

  private StandardPlugins() {}

  public static PluginRegistry of(Services services) {
    return new PluginRegistry()
        .prepare(StandardPlugins::notBuiltDirectives)
        .everyAttempt(UserHash::apply)
        .notBuilt("file-parser", "PDF and file parsing")
        .notBuilt("web", "web search")
        .notBuilt("web-fetch", "URL fetching")
        .notBuilt("moderation", "moderation")
        .notBuilt("context-compression", "middle-out context compression")
        .notBuilt("auto-router", "settings of openrouter/auto")
        .notBuilt("auto-beta-router", "settings of openrouter/auto-beta")
        .notBuilt("pareto-router", "settings of openrouter/pareto-code")
        .notBuilt("fusion", "the Fusion router")
        .notBuilt("response-healing", "JSON response healing")
        .notBuiltField("max_tool_calls", "the server-tool loop budget")
        .notBuiltField("stop_server_tools_when", "the server-tool loop's stop conditions")
        .notBuiltField("trace", "observability broadcast")
        .notBuiltField("image_config", "image generation options");
  }

  /** Directives of features still to come: refused with a 501 naming them. */
  private static CompletableFuture<LlmRequest> notBuiltDirectives(
      dev.switchboard.server.pipeline.Exchange ex, LlmRequest request) {
    try {
      if (request.directives().transforms() != null
          && !request.directives().transforms().isEmpty()) {
        throw NotBuilt.notImplemented(
            "\"transforms\": [\"middle-out\"] (context compression) is not available in this"
                + " gateway yet; remove it from the request");
      }
      if (request.directives().echoUpstreamBody() && request.stream()) {
        throw NotBuilt.notImplemented(
            "\"debug.echo_upstream_body\" is not available in this gateway yet; remove it from"
                + " the request");
      }
      if (request.directives().preset() != null || presetRef(request)) {
        throw NotBuilt.notImplemented(
            "Presets (\"preset\", \"@preset/<slug>\") are not available in this gateway yet");
      }
      return CompletableFuture.completedFuture(request);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  private static boolean presetRef(LlmRequest request) {
    for (String m : request.modelChain()) {
      if (m != null && m.contains("@preset/")) {
        return true;
      }
    }
    return false;
  }
}
