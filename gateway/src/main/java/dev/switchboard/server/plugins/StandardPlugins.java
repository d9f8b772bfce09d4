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

  /** The registry without the gateway's own tools (web, file-parser, response-healing: 501). */
  public static PluginRegistry of(Services services) {
    return base(services)
        .notBuilt("file-parser", "PDF and file parsing")
        .notBuilt("web", "web search")
        .notBuilt("response-healing", "JSON response healing");
  }

  /** The registry with the gateway's own tools, on {@code tools}. */
  public static PluginRegistry of(Services services, PluginServices tools) {
    return base(services)
        .add(FileParser.ID, new FileParser(tools))
        .add(WebPlugin.ID, new WebPlugin(tools))
        .add(ResponseHealing.ID, new ResponseHealing());
  }

  private static PluginRegistry base(Services services) {
    var features = services.config().features();
    ResponseCaching cache =
        new ResponseCaching(
            new LocalResponseCacheStore(
                features.cacheMaxEntries(), () -> services.clock().millis()),
            features.cacheDefaultTtlSeconds(),
            () -> services.clock().millis());
    AutoRouter auto = new AutoRouter(services.catalog());
    return new PluginRegistry()
        .prepare(new Presets(() -> services.storage().presets(), features.defaultModel())::apply)
        .prepare(StandardPlugins::notBuiltDirectives)
        .prepare(auto::route)
        .prepare(cache::lookup)
        .always(cache)
        .everyAttempt(UserHash::apply)
        .notBuilt("web-fetch", "URL fetching")
        .notBuilt("moderation", "moderation")
        .add(ContextCompression.ID, new ContextCompression(features.compressUpToContext()))
        .add(AutoRouter.ID, auto)
        .notBuilt("auto-beta-router", "settings of openrouter/auto-beta")
        .notBuilt("pareto-router", "settings of openrouter/pareto-code")
        .notBuilt("fusion", "the Fusion router")
        .notBuiltField("stop_server_tools_when", "the server-tool loop's stop conditions")
        .notBuiltField("trace", "observability broadcast")
        .notBuiltField("image_config", "image generation options");
  }

  /** Directives of features still to come: refused with a 501 naming them. */
  private static CompletableFuture<LlmRequest> notBuiltDirectives(
      dev.switchboard.server.pipeline.Exchange ex, LlmRequest request) {
    try {
      return CompletableFuture.completedFuture(request);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }
}
