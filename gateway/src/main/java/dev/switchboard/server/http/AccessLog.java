package dev.switchboard.server.http;

import dev.switchboard.server.auth.Authenticator;
import dev.switchboard.server.pipeline.Exchange;
import dev.switchboard.server.pipeline.GenerationLine;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The access log: one line on {@code switchboard.access} for every request the router sees, from
 * health checks to management calls, 401s and 404s included, written when the response has ended
 * (or the connection closed first: {@code aborted}). Installed as the router's first route.
 *
 * <p>Never a secret: no header values but the user agent, the path without its query, and the
 * caller's key only as the first {@value #KEY_HASH_CHARS} hex digits of its SHA-256 hash (the
 * {@code hash} the key management API addresses keys by), whether or not the key exists. An
 * inference request's line also carries its generation's fields ({@link GenerationLine}: model,
 * provider, tokens, cost) when the generation was settled before the line was written; a stream the
 * client left before that gets them on a {@code switchboard.generation} line of its own, joined by
 * {@code generation_id}. With tracing on, an inference request's line carries its {@code trace_id}.
 */
public final class AccessLog implements Handler<RoutingContext> {

  static final String LOGGER = "switchboard.access";
  static final int KEY_HASH_CHARS = 16;

  /** The routing context's key for the request's trace id (set when tracing is on). */
  static final String TRACE_ID = "switchboard.trace_id";

  /**
   * The routing context's key for an inference request's {@link Exchange}: its authenticate stage
   * has hashed the key already, and the line takes that hash instead of computing it again.
   */
  static final String EXCHANGE = "switchboard.exchange";

  /** The routing context's mark that this request's line will be written when it ends. */
  private static final String LINE_PENDING = "switchboard.access_line";

  private static final Logger log = LoggerFactory.getLogger(LOGGER);

  @Override
  public void handle(RoutingContext ctx) {
    if (log.isInfoEnabled()) {
      long start = System.nanoTime();
      // Vert.x Web calls the end handlers twice when the connection closes early (failed, then
      // ended); the line is written once. Both run on the request's event loop.
      boolean[] written = {false};
      ctx.put(LINE_PENDING, Boolean.TRUE);
      ctx.addEndHandler(
          result -> {
            if (!written[0]) {
              written[0] = true;
              write(
                  ctx.request(),
                  ctx.response(),
                  start,
                  result.failed(),
                  ctx.get(TRACE_ID),
                  ctx.get(EXCHANGE));
            }
          });
    }
    ctx.next();
  }

  /**
   * Attaches an inference request's exchange to its line: the line reuses the key's hash stage 1
   * computed, and takes the generation's fields when the generation is settled first.
   */
  static void attach(RoutingContext ctx, Exchange ex) {
    ctx.put(EXCHANGE, ex);
    if (ctx.get(LINE_PENDING) != null) {
      ex.accessLinePending();
    }
  }

  private static void write(
      HttpServerRequest req,
      HttpServerResponse res,
      long startNanos,
      boolean aborted,
      String traceId,
      Exchange ex) {
    long tenthsOfMs = (System.nanoTime() - startNanos) / 100_000;
    String method = req.method().name();
    String path = req.path();
    int status = res.getStatusCode();
    GenerationLine generation = ex == null ? null : ex.accessLineWritten();
    String generationId = res.headers().get("x-generation-id");
    if (generationId == null && generation != null) {
      generationId = generation.generationId();
    }
    var line = log.atInfo();
    if (traceId != null) {
      line = line.addKeyValue("trace_id", traceId);
    }
    line.addKeyValue("method", method)
        .addKeyValue("path", path)
        .addKeyValue("status", status)
        .addKeyValue("duration_ms", tenthsOfMs / 10.0)
        .addKeyValue("bytes_in", req.bytesRead())
        .addKeyValue("bytes_out", res.bytesWritten())
        .addKeyValue("key_hash", keyHash(req.getHeader("authorization"), ex))
        .addKeyValue("generation_id", generationId)
        .addKeyValue(
            "client", req.remoteAddress() == null ? null : req.remoteAddress().hostAddress())
        .addKeyValue("user_agent", req.getHeader("user-agent"))
        .addKeyValue("aborted", aborted);
    if (generation != null) {
      generation.addTo(line, status);
    }
    line.log("{} {} {}", method, path, status);
  }

  /**
   * The line for a request the HTTP decoder refused before any route saw it (414, 431, a malformed
   * request: {@code GatewayVerticle}'s invalid-request handler), written once its answer has been
   * rendered (no {@code duration_ms}: the refusal has no start). {@code lineRead} says whether the
   * request line was read: when it was not (414), the method and path are unknown and absent from
   * the line. The key's hash is taken only when the headers were read whole (not on a 431).
   */
  static void refused(HttpServerRequest req, HttpServerResponse res, boolean lineRead) {
    if (!log.isInfoEnabled()) {
      return;
    }
    int status = res.getStatusCode();
    String method = lineRead ? req.method().name() : null;
    String path = lineRead ? req.path() : null;
    var line =
        log.atInfo()
            .addKeyValue("method", method)
            .addKeyValue("path", path)
            .addKeyValue("status", status)
            .addKeyValue("bytes_in", req.bytesRead())
            .addKeyValue("bytes_out", res.bytesWritten())
            .addKeyValue(
                "key_hash", status == 431 ? null : keyHash(req.getHeader("authorization"), null))
            .addKeyValue(
                "client", req.remoteAddress() == null ? null : req.remoteAddress().hostAddress())
            .addKeyValue("user_agent", status == 431 ? null : req.getHeader("user-agent"))
            .addKeyValue("aborted", false)
            .addKeyValue("refused_by", "http_decoder");
    if (lineRead) {
      line.log("{} {} {}", method, path, status);
    } else {
      line.log("(unreadable request line) {}", status);
    }
  }

  /** The first hex digits of the bearer key's hash, or null when there is no bearer key. */
  static String keyHash(String authorization) {
    return keyHash(authorization, null);
  }

  /** As {@link #keyHash(String)}, reusing the hash {@code ex} computed for the same key. */
  static String keyHash(String authorization, Exchange ex) {
    String plaintext = Authenticator.bearer(authorization);
    if (plaintext == null) {
      return null;
    }
    String known = ex == null ? null : ex.credentialHash(plaintext);
    return (known != null ? known : Authenticator.hash(plaintext)).substring(0, KEY_HASH_CHARS);
  }
}
