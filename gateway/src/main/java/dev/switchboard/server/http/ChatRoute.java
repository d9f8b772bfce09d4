package dev.switchboard.server.http;

import dev.switchboard.core.error.FailureClass;
import dev.switchboard.core.error.GatewayError;
import dev.switchboard.core.error.GatewayException;
import dev.switchboard.server.auth.Authenticator;
import dev.switchboard.server.inbound.InboundDialect;
import dev.switchboard.server.pipeline.Exchange;
import dev.switchboard.server.pipeline.Pipeline;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;

/**
 * An inference route ({@code POST /chat/completions}): checks what can be checked before reading
 * the body (the content type, that a key is there at all), reads the body up to the limit, and
 * hands the request to the {@link Pipeline} in its inbound dialect. Everything else is the
 * pipeline's.
 */
final class ChatRoute implements Handler<RoutingContext> {

  private final Pipeline pipeline;
  private final InboundDialect dialect;
  private final long maxBodyBytes;

  ChatRoute(Pipeline pipeline, InboundDialect dialect, long maxBodyBytes) {
    this.pipeline = pipeline;
    this.dialect = dialect;
    this.maxBodyBytes = maxBodyBytes;
  }

  @Override
  public void handle(RoutingContext ctx) {
    long start = System.nanoTime();
    HttpServerRequest http = ctx.request();
    Exchange ex =
        pipeline.open(start, dialect, http::getHeader, new HttpClientChannel(ctx.response()));
    AccessLog.attach(ctx, ex);
    if (ex.traceId() != null) {
      ctx.put(AccessLog.TRACE_ID, ex.traceId()); // the access line names the request's trace
    }
    // A shutdown whose drain time runs out ends the request with its error (see security.md).
    ConnectionClock.onDrain(http, e -> pipeline.abort(ex, e));
    if (!BodyReader.isJson(http.getHeader("content-type"))) {
      pipeline.refuse(
          ex,
          new GatewayException(
              GatewayError.of(
                  FailureClass.UNSUPPORTED_MEDIA_TYPE,
                  415,
                  "Content-Type must be application/json, was " + http.getHeader("content-type"))));
      return;
    }
    if (dialect.credential(http::getHeader) == null) {
      pipeline.refuse(ex, new GatewayException(Authenticator.missing()));
      return;
    }
    BodyReader.read(http, maxBodyBytes)
        .onSuccess(body -> pipeline.run(ex, body.getBytes()))
        .onFailure(err -> pipeline.refuse(ex, err));
  }
}
