package dev.switchboard.server.pipeline;

import com.fasterxml.jackson.core.JsonGenerator;
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
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the generation record of every inference request, success or failure, behind the request
 * path (the call only enqueues). Also logs its {@link GenerationLine} (model, provider, tokens,
 * cost): on the request's access-log line, or on {@code switchboard.generation} when that line was
 * written first. The key is not charged here: settling the admission's reservation books the same
 * cost (see {@link Settle}).
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
            .routingTrace(ex.plan() == null ? null : RoutingMetadata.json(ex, served))
            .presetId(ex.presetId())
            .router(ex.router())
            .webSearchEngine(ex.webSearchEngine())
            .build();
    storage.generations().record(r);
    if (accessLog) {
      log(
          ex,
          new GenerationLine(
              "chat completion",
              ex.requestId(),
              ex.generationId(),
              ex.key().label(),
              model,
              served == null ? null : served.providerName(),
              ex.attempts().size(),
              o.error() == null ? 200 : o.error().httpStatus(),
              o.error() == null ? null : o.error().kind(),
              o.streamed(),
              o.cancelled(),
              latencyMs,
              o.usage().promptTokens(),
              o.usage().completionTokens(),
              o.cost().total(),
              null));
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
      log(
          ex,
          new GenerationLine(
              "response cache hit",
              ex.requestId(),
              ex.generationId(),
              ex.key().label(),
              hit.model(),
              null,
              null,
              200,
              null,
              ex.streamed(),
              null,
              ex.elapsedMs(),
              null,
              null,
              java.math.BigDecimal.ZERO,
              hit.sourceGenerationId()));
    }
  }

  /** On the request's access-log line when that is still to come, else a line of its own. */
  private static void log(Exchange ex, GenerationLine line) {
    if (!ex.handToAccessLine(line)) {
      line.log(access);
    }
  }

  /**
   * Every attempt of the request; with server tools, the attempts of each round in order, each
   * marked with its {@code round} (from 0) and the earlier rounds with the {@code
   * server_tool_calls} their answer made. Written straight to JSON text (no tree): every request
   * pays for it.
   */
  private static String providerResponses(Exchange ex) {
    StringWriter out = new StringWriter(256);
    try (JsonGenerator g = ApiJson.mapper().getFactory().createGenerator(out)) {
      g.writeStartArray();
      List<Exchange.Round> rounds = ex.rounds();
      for (int i = 0; i < rounds.size(); i++) {
        for (Attempt a : rounds.get(i).attempts()) {
          attempt(g, a);
          g.writeNumberField("round", i);
          if (a.candidate() == rounds.get(i).served()) {
            g.writeArrayFieldStart("server_tool_calls");
            for (String call : rounds.get(i).toolCalls()) {
              g.writeString(call);
            }
            g.writeEndArray();
          }
          g.writeEndObject();
        }
      }
      for (Attempt a : ex.attempts()) {
        attempt(g, a);
        if (!rounds.isEmpty()) {
          g.writeNumberField("round", rounds.size());
        }
        g.writeEndObject();
      }
      g.writeEndArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }

  /** Starts the attempt's object and writes its fields; the caller ends it. */
  private static void attempt(JsonGenerator g, Attempt a) throws IOException {
    g.writeStartObject();
    g.writeStringField("provider_name", a.providerName());
    g.writeStringField("provider_slug", a.providerSlug());
    g.writeStringField("model_permaslug", a.model());
    if (a.status() == null) {
      g.writeNullField("status");
    } else {
      g.writeNumberField("status", a.status());
    }
    g.writeNumberField("latency", a.latencyMs());
    g.writeBooleanField("is_byok", false);
    if (a.failure() != null) {
      g.writeStringField("failure_class", a.failure().name());
    }
    if (a.note() != null) {
      g.writeStringField("note", a.note());
    }
  }
}
