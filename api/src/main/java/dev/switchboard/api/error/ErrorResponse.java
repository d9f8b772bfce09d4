package dev.switchboard.api.error;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Map;

/** OpenRouter's error envelope: {@code {"error":{"code","message","metadata"},"user_id"}}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ErrorResponse(ErrorBody error, @JsonProperty("user_id") String userId) {

  public static ErrorResponse of(int code, String message) {
    return new ErrorResponse(new ErrorBody(code, message, null), null);
  }

  public static ErrorResponse of(int code, String message, Map<String, Object> metadata) {
    return new ErrorResponse(new ErrorBody(code, message, metadata), null);
  }
}
