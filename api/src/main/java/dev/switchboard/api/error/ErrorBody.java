package dev.switchboard.api.error;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Map;

/**
 * The {@code error} object of OpenRouter's error envelope: {@code code} is the HTTP status as an
 * integer, {@code metadata} is free-form and optional.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ErrorBody(int code, String message, Map<String, Object> metadata) {}
