package dev.switchboard.server.plugins;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.api.json.ApiJson;
import dev.switchboard.core.error.GatewayException;
import dev.switchboard.core.model.LlmRequest;
import dev.switchboard.core.model.StreamEvent;
import dev.switchboard.server.pipeline.Ending;
import dev.switchboard.server.pipeline.Exchange;
import dev.switchboard.server.pipeline.Replay;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Response caching (reference §14.7, checklist 147), asked for per request with {@code
 * X-OpenRouter-Cache: true}. The key is the caller's key, the inbound API, the stream flag and the
 * SHA-256 of the body with its whitespace normalised (property order counts). A hit is served
 * before admission, without a model call: a new generation id, zero usage, zero cost, a stream
 * replayed as a stream, and {@code X-OpenRouter-Cache-Status: HIT}, {@code -Age}, {@code -TTL} (the
 * seconds left) and {@code -Source-Id} (the generation that produced it). A miss says {@code MISS}
 * and stores the answer when it completes (a 200: errors and cut streams are never cached) for
 * {@code X-OpenRouter-Cache-TTL} seconds (1 to 86,400, decimals truncated, out of range clamped,
 * non-numeric ignored), else the configured default. {@code X-OpenRouter-Cache-Clear: true} drops
 * the entry and fetches afresh.
 */
final class ResponseCaching implements Plugin {

  static final int MAX_TTL_SECONDS = 86_400;

  private final ResponseCacheStore store;
  private final int defaultTtlSeconds;
  private final LongSupplier clockMillis;

  ResponseCaching(ResponseCacheStore store, int defaultTtlSeconds, LongSupplier clockMillis) {
    this.store = store;
    this.defaultTtlSeconds = defaultTtlSeconds;
    this.clockMillis = clockMillis;
  }

  /** What a request that asked for caching carries through its stages. */
  record Ticket(String key, int ttlSeconds, List<StreamEvent> events) {}

  @Override
  public boolean runsUnasked() {
    return true;
  }

  /** Before admission: a hit is noted as the exchange's {@link Replay}; a miss gets its ticket. */
  CompletionStage<LlmRequest> lookup(Exchange ex, LlmRequest request) {
    String asked = ex.header("x-openrouter-cache");
    if (asked == null || asked.trim().equalsIgnoreCase("false")) {
      return CompletableFuture.completedFuture(request);
    }
    if (!asked.trim().equalsIgnoreCase("true")) {
      return CompletableFuture.failedFuture(
          GatewayException.invalid(
              "X-OpenRouter-Cache must be \"true\" or \"false\", was \"" + asked + "\""));
    }
    int ttl = ttl(ex.header("x-openrouter-cache-ttl"), defaultTtlSeconds);
    String key = key(ex);
    long now = clockMillis.getAsLong();
    if ("true".equalsIgnoreCase(trim(ex.header("x-openrouter-cache-clear")))) {
      store.invalidate(key);
    } else {
      ResponseCacheStore.Entry hit = store.get(key, now);
      if (hit != null && (hit.whole() != null) != request.stream()) {
        ex.note(Replay.class, replay(hit, now));
        return CompletableFuture.completedFuture(request);
      }
    }
    ex.note(Ticket.class, new Ticket(key, ttl, new ArrayList<>()));
    ex.responseHeader("x-openrouter-cache-status", "MISS");
    ex.responseHeader("x-openrouter-cache-ttl", Integer.toString(ttl));
    return CompletableFuture.completedFuture(request);
  }

  private static Replay replay(ResponseCacheStore.Entry hit, long now) {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("x-openrouter-cache-status", "HIT");
    headers.put("x-openrouter-cache-age", Long.toString((now - hit.storedAtMillis()) / 1000));
    headers.put(
        "x-openrouter-cache-ttl",
        Long.toString(Math.max(0, (hit.expiresAtMillis() - now + 999) / 1000)));
    headers.put("x-openrouter-cache-source-id", hit.sourceGenerationId());
    return new Replay(
        hit.whole(),
        hit.events(),
        hit.model(),
        hit.providerName(),
        hit.sourceGenerationId(),
        headers);
  }

  @Override
  public void afterModel(Exchange ex, StreamEvent event, Consumer<StreamEvent> out, JsonNode item) {
    Ticket t = ex.note(Ticket.class);
    if (t != null) {
      switch (event) {
        case StreamEvent.Started s -> {}
        case StreamEvent.UsageReported u -> {}
        case StreamEvent.Failed f -> {}
        default -> t.events().add(event);
      }
    }
    out.accept(event);
  }

  @Override
  public void finished(Exchange ex, JsonNode item) {
    Ticket t = ex.note(Ticket.class);
    if (t == null || !(ex.ending() instanceof Ending.Answered a)) {
      return;
    }
    boolean streamed = ex.streamed();
    if (!streamed && a.production().whole() == null) {
      return;
    }
    long now = clockMillis.getAsLong();
    store.put(
        t.key(),
        new ResponseCacheStore.Entry(
            streamed ? null : a.production().whole(),
            streamed ? t.events() : List.of(),
            a.served().candidate().model().id(),
            a.served().candidate().providerName(),
            ex.generationId(),
            now,
            now + t.ttlSeconds() * 1000L));
  }

  /** {@code X-OpenRouter-Cache-TTL}: seconds, truncated, clamped to 1..86,400; else the default. */
  static int ttl(String header, int fallback) {
    String v = trim(header);
    if (v == null || v.isEmpty()) {
      return fallback;
    }
    double seconds;
    try {
      seconds = Double.parseDouble(v);
    } catch (NumberFormatException e) {
      return fallback;
    }
    if (Double.isNaN(seconds)) {
      return fallback;
    }
    return (int) Math.max(1, Math.min(MAX_TTL_SECONDS, (long) seconds));
  }

  private static String key(Exchange ex) {
    String body;
    try {
      body = ApiJson.tree(ex.requestBody()).toString();
    } catch (IOException e) {
      body = new String(ex.requestBody(), StandardCharsets.UTF_8);
    }
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      String head = ex.key().hash() + "\n" + ex.dialect().name() + "\n" + ex.streamed() + "\n";
      sha.update(head.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(sha.digest(body.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }

  private static String trim(String s) {
    return s == null ? null : s.trim();
  }
}
