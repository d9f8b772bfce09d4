package dev.switchboard.server.pipeline;

import dev.switchboard.core.error.FailureClass;
import java.math.BigDecimal;
import org.slf4j.Logger;
import org.slf4j.spi.LoggingEventBuilder;

/**
 * What the log says about a generation: model, provider, tokens, cost. It rides on the request's
 * access-log line when it is known before that line is written (every request but a stream the
 * client left before it was settled); otherwise it is a line of its own on {@code
 * switchboard.generation} (docs/operations.md, "The access log"). One line a request instead of two
 * (docs/performance.md: the log's cost a line).
 *
 * <p>A field that does not apply is null and left out of the line: {@code attempts}, {@code
 * provider}, {@code cancelled} and the token counts for a response-cache hit; {@code failure_class}
 * for a success; {@code cache_source_id} for a generation a model produced.
 *
 * @param message the message of its own line: {@code chat completion} or {@code response cache hit}
 * @param status the generation's status: 200, or its error's HTTP status
 */
public record GenerationLine(
    String message,
    String requestId,
    String generationId,
    String key,
    String model,
    String provider,
    Integer attempts,
    int status,
    FailureClass failureClass,
    boolean stream,
    Boolean cancelled,
    long totalMs,
    Long promptTokens,
    Long completionTokens,
    BigDecimal cost,
    String cacheSourceId) {

  /**
   * Writes it as a line of its own on {@code log}, where {@code status} is the generation's (a
   * response-cache hit has none).
   */
  void log(Logger log) {
    LoggingEventBuilder line =
        log.atInfo()
            .addKeyValue("request_id", requestId)
            .addKeyValue("generation_id", generationId);
    fields(line, "status", cacheSourceId == null ? status : null).log(message);
  }

  /**
   * Adds its fields to the request's access-log line (whose {@code status} is the HTTP status and
   * which has the {@code generation_id} already): {@code generation_status} only where the
   * generation's status is not the HTTP status (a stream that failed after its 200).
   */
  public void addTo(LoggingEventBuilder line, int httpStatus) {
    line.addKeyValue("request_id", requestId);
    fields(line, "generation_status", status != httpStatus ? status : null);
  }

  /** The fields both lines share; a null value is left out of the line by its encoder. */
  private LoggingEventBuilder fields(LoggingEventBuilder line, String statusKey, Integer status) {
    return line.addKeyValue("key", key)
        .addKeyValue("model", model)
        .addKeyValue("provider", provider)
        .addKeyValue("attempts", attempts)
        .addKeyValue(statusKey, status)
        .addKeyValue("failure_class", failureClass)
        .addKeyValue("stream", stream)
        .addKeyValue("cancelled", cancelled)
        .addKeyValue("total_ms", totalMs)
        .addKeyValue("prompt_tokens", promptTokens)
        .addKeyValue("completion_tokens", completionTokens)
        .addKeyValue("cost", cost)
        .addKeyValue("cache_source_id", cacheSourceId);
  }
}
