package dev.switchboard.api.error;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Map;

/**
 * The {@code error} object of OpenRouter's error envelope: {@code code} is the HTTP status as an
 * integer, {@code metadata} is free-form and optional. Model-availability failures (reference §2.4,
 * checklist 61) also carry {@code error_type}, {@code http_status} and {@code availability}
 * directly inside {@code error}; the others leave them out.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ErrorBody(
    int code,
    String message,
    Map<String, Object> metadata,
    @JsonProperty("error_type") String errorType,
    @JsonProperty("http_status") Integer httpStatus,
    Map<String, Object> availability) {

  /** An error without availability details. */
  public ErrorBody(int code, String message, Map<String, Object> metadata) {
    this(code, message, metadata, null, null, null);
  }
}
