package dev.switchboard.server.plugins;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.core.error.GatewayException;
import dev.switchboard.core.model.LlmRequest;
import dev.switchboard.server.pipeline.Exchange;
import dev.switchboard.server.routing.Candidate;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The {@code context-compression} plugin and its 2025 spelling {@code transforms: ["middle-out"]}
 * (reference §7.5, checklist 19 and 102). On for an endpoint when the request asks for it, and by
 * default for endpoints whose context is at most {@code defaultUpToContext} tokens (8,192, as
 * OpenRouter has it); off with {@code {"id":"context-compression","enabled":false}} or {@code
 * transforms: []}. The plugin item wins over {@code transforms}.
 *
 * <p>Before planning it tells routing which endpoints it will fit the prompt to ({@link
 * dev.switchboard.core.model.Directives#compressUpToContext}), so a prompt longer than their
 * context does not rule them out; each attempt on such an endpoint then sends the prompt cut by
 * {@link MiddleOut} to the endpoint's context less the room for the answer ({@code max_tokens}, or
 * a quarter of the context when the request sets none).
 */
final class ContextCompression implements Plugin {

  static final String ID = "context-compression";

  private final long defaultUpToContext;

  ContextCompression(long defaultUpToContext) {
    this.defaultUpToContext = defaultUpToContext;
  }

  @Override
  public boolean runsUnasked() {
    return true;
  }

  @Override
  public void check(String at, JsonNode item, LlmRequest request) {
    PluginRegistry.allowOnly(at, item, Set.of("engine"));
    JsonNode engine = item.get("engine");
    if (engine != null && !engine.isNull() && !"middle-out".equals(engine.asText(null))) {
      throw GatewayException.invalid(
          "\"" + at + ".engine\" must be \"middle-out\" (the only compression engine)");
    }
  }

  @Override
  public CompletionStage<LlmRequest> beforeModel(Exchange ex, LlmRequest request, JsonNode item) {
    long upTo = upTo(request, item);
    if (request.directives().compressUpToContext() == upTo) {
      return CompletableFuture.completedFuture(request); // already so: no copy of the request
    }
    return CompletableFuture.completedFuture(
        request.withDirectives(request.directives().withCompressUpToContext(upTo)));
  }

  /** Up to which endpoint context the prompt is compressed: 0 off, MAX_VALUE always. */
  long upTo(LlmRequest request, JsonNode item) {
    if (request.embedding() != null) {
      return 0; // each input is its own vector: cutting one would change what it means
    }
    if (item != null) {
      return item.path("enabled").asBoolean(true) ? Long.MAX_VALUE : 0;
    }
    if (request.directives().transforms() != null) {
      return request.directives().transforms().contains("middle-out") ? Long.MAX_VALUE : 0;
    }
    return defaultUpToContext;
  }

  @Override
  public LlmRequest forCandidate(
      Exchange ex, Candidate candidate, LlmRequest request, JsonNode item) {
    long context = candidate.endpoint().contextLength();
    if (context <= 0 || context > request.directives().compressUpToContext()) {
      return request;
    }
    Integer maxTokens = request.sampling().maxTokens();
    long room = maxTokens != null ? maxTokens : context / 4;
    long budget = context - room;
    if (budget <= 0) {
      return request;
    }
    return MiddleOut.fit(request, budget);
  }
}
