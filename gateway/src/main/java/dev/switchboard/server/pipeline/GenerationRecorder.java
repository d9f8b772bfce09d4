package dev.switchboard.server.pipeline;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.api.json.ApiJson;
import dev.switchboard.core.error.GatewayError;
import dev.switchboard.core.model.FinishReason;
import dev.switchboard.core.model.StreamEvent;
import dev.switchboard.core.model.Usage;
import dev.switchboard.server.metering.Cost;
import dev.switchboard.server.routing.Attempt;
import dev.switchboard.server.routing.Candidate;
import dev.switchboard.server.storage.GenerationRecord;
import dev.switchboard.server.storage.Storage;
import java.time.Instant;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the generation record of every inference request, success or failure, behind the request
 * path (the call only enqueues). Also writes its line on {@code switchboard.generation} (model,
 * provider, tokens, cost), next to the request's access-log line. The key is not charged here:
 * settling the admission's reservation books the same cost (see {@link Settle}).
 */
public final class GenerationRecorder {

  private static final Logger access = LoggerFactory.getLogger("switchboard.generation");

  /** How a request ended, for its record. */
  record Outcome(
      String upstreamId,
      FinishReason finishReason,
      String nativeFinishReason,
      Usage usage,
      Cost cost,
      boolean streamed,
      boolean cancelled,
      Long generationTimeMs,
      GatewayError error) {

    static Outcome success(
        String upstreamId,
        FinishReason finish,
        String nativeFinish,
        Usage usage,
        Cost cost,
        boolean streamed,
        boolean cancelled,
        long generationTimeMs) {
      return new Outcome(
          upstreamId,
          finish,
          nativeFinish,
          usage,
          cost,
          streamed,
          cancelled,
          generationTimeMs,
          null);
    }

    static Outcome partial(
        String upstreamId,
        GatewayError error,
        Usage usage,
        Cost cost,
        boolean streamed,
        boolean cancelled) {
      return new Outcome(
          upstreamId,
          cancelled ? null : FinishReason.ERROR,
          null,
          usage,
          cost,
          streamed,
          cancelled,
          null,
          error);
    }

    static Outcome failure(GatewayError error, boolean streamed, boolean cancelled) {
      return new Outcome(
          null,
          cancelled ? null : FinishReason.ERROR,
          null,
          Usage.ZERO,
          Cost.ZERO,
          streamed,
          cancelled,
          null,
          error);
    }
  }

  private final Storage storage;
  private final boolean accessLog;

  public GenerationRecorder(Storage storage, boolean accessLog) {
    this.storage = storage;
    this.accessLog = accessLog;
  }

  /** {@code served} is the candidate that produced output, or null when none did. */
  void record(Exchange ex, Candidate served, Outcome o) {
    long latencyMs = ex.elapsedMs();
    String model = served != null ? served.model().id() : ex.request().model();
    GenerationRecord r =
        GenerationRecord.builder(ex.generationId())
            .requestId(ex.requestId())
            .apiType(ex.dialect().apiType())
            .keyHash(ex.key().hash())
            .upstreamId(o.upstreamId())
            .model(model)
            .providerName(served == null ? null : served.providerName())
            .providerSlug(served == null ? null : served.target().providerSlug())
            .createdAt(Instant.ofEpochSecond(ex.createdEpochSeconds()))
            .totalCost(o.cost().total())
            .streamed(o.streamed())
            .cancelled(o.cancelled())
            .latencyMs(latencyMs)
            .generationTimeMs(o.generationTimeMs())
            .finishReason(o.finishReason() == null ? null : o.finishReason().wire())
            .nativeFinishReason(o.nativeFinishReason())
            .tokensPrompt(o.usage().promptTokens())
            .tokensCompletion(o.usage().completionTokens())
            .nativeTokensPrompt(o.usage().promptTokens())
            .nativeTokensCompletion(o.usage().completionTokens())
            .nativeTokensReasoning(o.usage().reasoningTokens())
            .nativeTokensCached(o.usage().cachedTokens())
            .numMediaPrompt(0)
            .numSearchResults(ex.searchResults())
            .origin(ex.httpReferer() == null ? "" : ex.httpReferer())
            .httpReferer(ex.httpReferer())
            .appTitle(ex.appTitle())
            .userAgent(ex.userAgent())
            .externalUser(ex.request().user())
            .sessionId(ex.sessionId())
            .isByok(false)
            .errorStatus(o.error() == null ? null : o.error().httpStatus())
            .errorMessage(o.error() == null ? null : o.error().operatorMessage())
            .providerResponses(providerResponses(ex))
            // The dashboard's activity page shows why this endpoint served (the same document as
            // openrouter_metadata, kept whether or not the request asked for it).
            .routingTrace(ex.plan() == null ? null : RoutingMetadata.of(ex, served).toString())
            .presetId(ex.presetId())
            .router(ex.router())
            .webSearchEngine(ex.webSearchEngine())
            .build();
    storage.generations().record(r);
    if (accessLog) {
      access
          .atInfo()
          .addKeyValue("request_id", ex.requestId())
          .addKeyValue("generation_id", ex.generationId())
          .addKeyValue("key", ex.key().label())
          .addKeyValue("model", model)
          .addKeyValue("provider", served == null ? null : served.providerName())
          .addKeyValue("attempts", ex.attempts().size())
          .addKeyValue("status", o.error() == null ? 200 : o.error().httpStatus())
          .addKeyValue("failure_class", o.error() == null ? null : o.error().kind())
          .addKeyValue("stream", o.streamed())
          .addKeyValue("cancelled", o.cancelled())
          .addKeyValue("total_ms", latencyMs)
          .addKeyValue("prompt_tokens", o.usage().promptTokens())
          .addKeyValue("completion_tokens", o.usage().completionTokens())
          .addKeyValue("cost", o.cost().total())
          .log("chat completion");
    }
  }

  /**
   * The record of a response-cache hit: a generation of its own (the request's new id) with zero
   * tokens and zero cost, the model and provider of the answer it replayed, and that answer's
   * generation in {@code response_cache_source_id}, which marks it as a hit.
   */
  void recordCacheHit(Exchange ex, Replay hit) {
    FinishReason finish = null;
    String nativeFinish = null;
    if (hit.whole() != null) {
      finish = hit.whole().finishReason();
      nativeFinish = hit.whole().nativeFinishReason();
    } else {
      for (StreamEvent e : hit.events()) {
        if (e instanceof StreamEvent.Finished f) {
          finish = f.reason();
          nativeFinish = f.nativeReason();
        }
      }
    }
    GenerationRecord r =
        GenerationRecord.builder(ex.generationId())
            .requestId(ex.requestId())
            .apiType(ex.dialect().apiType())
            .keyHash(ex.key().hash())
            .model(hit.model())
            .providerName(hit.providerName())
            .createdAt(Instant.ofEpochSecond(ex.createdEpochSeconds()))
            .totalCost(java.math.BigDecimal.ZERO)
            .streamed(ex.streamed())
            .cancelled(false)
            .latencyMs(ex.elapsedMs())
            .generationTimeMs(0L)
            .finishReason(finish == null ? null : finish.wire())
            .nativeFinishReason(nativeFinish)
            .tokensPrompt(0L)
            .tokensCompletion(0L)
            .nativeTokensPrompt(0L)
            .nativeTokensCompletion(0L)
            .nativeTokensReasoning(0L)
            .nativeTokensCached(0L)
            .numMediaPrompt(0)
            .numSearchResults(0)
            .origin(ex.httpReferer() == null ? "" : ex.httpReferer())
            .httpReferer(ex.httpReferer())
            .appTitle(ex.appTitle())
            .userAgent(ex.userAgent())
            .externalUser(ex.request().user())
            .sessionId(ex.sessionId())
            .isByok(false)
            .providerResponses("[]")
            .presetId(ex.presetId())
            .router(ex.router())
            .responseCacheSourceId(hit.sourceGenerationId())
            .build();
    storage.generations().record(r);
    if (accessLog) {
      access
          .atInfo()
          .addKeyValue("request_id", ex.requestId())
          .addKeyValue("generation_id", ex.generationId())
          .addKeyValue("key", ex.key().label())
          .addKeyValue("model", hit.model())
          .addKeyValue("cache_source_id", hit.sourceGenerationId())
          .addKeyValue("stream", ex.streamed())
          .addKeyValue("total_ms", ex.elapsedMs())
          .addKeyValue("cost", java.math.BigDecimal.ZERO)
          .log("response cache hit");
    }
  }

  /**
   * Every attempt of the request; with server tools, the attempts of each round in order, each
   * marked with its {@code round} (from 0) and the earlier rounds with the {@code
   * server_tool_calls} their answer made.
   */
  private static String providerResponses(Exchange ex) {
    ArrayNode list = ApiJson.mapper().createArrayNode();
    List<Exchange.Round> rounds = ex.rounds();
    for (int i = 0; i < rounds.size(); i++) {
      for (Attempt a : rounds.get(i).attempts()) {
        ObjectNode n = attempt(list, a);
        n.put("round", i);
        if (a.candidate() == rounds.get(i).served()) {
          ArrayNode calls = n.putArray("server_tool_calls");
          rounds.get(i).toolCalls().forEach(calls::add);
        }
      }
    }
    for (Attempt a : ex.attempts()) {
      ObjectNode n = attempt(list, a);
      if (!rounds.isEmpty()) {
        n.put("round", rounds.size());
      }
    }
    return list.toString();
  }

  private static ObjectNode attempt(ArrayNode list, Attempt a) {
    ObjectNode n = list.addObject();
    n.put("provider_name", a.providerName());
    n.put("provider_slug", a.providerSlug());
    n.put("model_permaslug", a.model());
    if (a.status() == null) {
      n.putNull("status");
    } else {
      n.put("status", a.status());
    }
    n.put("latency", a.latencyMs());
    n.put("is_byok", false);
    if (a.failure() != null) {
      n.put("failure_class", a.failure().name());
    }
    if (a.note() != null) {
      n.put("note", a.note());
    }
    return n;
  }
}
